#!/bin/sh
# Copies the examples and UI fixtures into fuzz/seeds/all, the starting corpus of every target.
set -e
cd "$(dirname "$0")/.."
mkdir -p fuzz/seeds/all
find examples tests/ui stdlib -name '*.lawful' | while read -r f; do
  cp "$f" "fuzz/seeds/all/$(echo "$f" | tr '/' '_')"
done
ls fuzz/seeds/all | wc -l
# The `lsp` target's frame mode (a first byte that is even, here `0`): LSP frames, well-formed
# and broken, as an editor sends them.
mkdir -p fuzz/seeds/lsp
frame() { printf 'Content-Length: %d\r\n\r\n%s' "$(printf '%s' "$1" | wc -c)" "$1"; }
{ printf 0; frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'; } > fuzz/seeds/lsp/initialize
{ printf 0; frame '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///w/a.lawful","languageId":"lawful","version":1,"text":"controller c {\n}\n"}}}'; } > fuzz/seeds/lsp/did-open
{ printf 0; frame '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///w/a.lawful","version":2},"contentChanges":[{"range":{"start":{"line":0,"character":11},"end":{"line":0,"character":12}},"text":"x"}]}}'; frame '{"jsonrpc":"2.0","id":2,"method":"shutdown"}'; } > fuzz/seeds/lsp/did-change-shutdown
{ printf '0Content-Length: 5\r\n\r\nnot{}'; printf 'Content-Type: x\r\n\r\n'; frame '{"jsonrpc":"2.0","method":"exit"}'; } > fuzz/seeds/lsp/broken-then-exit
{ printf '0content-length:  +12 \n\n{"a":[1,2]}'; printf 'Content-Length: 999999999999\r\n\r\n{}'; } > fuzz/seeds/lsp/odd-headers
ls fuzz/seeds/lsp | wc -l
