#!/usr/bin/env python3
"""The language server's budget on the hostile workspaces of hostile_inputs.py: for each one,
`lawful lsp` is started in the workspace, the file is opened as an editor opens it, and the
script waits for its diagnostics; then one character is typed at its end (didChange) and it
waits for the new diagnostics; then it asks for formatting, document symbols and a hover.
Prints, per workspace, the time to the first diagnostics, to the ones after the edit, to the
three answers, and the server's peak resident memory (VmHWM), for docs/robustness.md.

    python3 fuzz/hostile_inputs.py /tmp/hostile
    python3 fuzz/lsp_budget.py target/release/lawful /tmp/hostile
"""
import json
import os
import subprocess
import sys
import time

BUDGET_SECONDS = 5.0
BUDGET_BYTES = 10 ** 9


class Server:
    def __init__(self, binary, root):
        self.proc = subprocess.Popen(
            [binary, "lsp"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=None if os.environ.get("LSP_STDERR") else subprocess.DEVNULL)
        self.next_id = 0

    def send(self, message):
        body = json.dumps(dict(message, jsonrpc="2.0")).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.next_id

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EOFError("the server closed its output")
            line = line.strip()
            if not line:
                break
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def wait(self, predicate, deadline):
        while time.monotonic() < deadline:
            message = self.read()
            if predicate(message):
                return message
            if "id" in message and "method" in message:  # a request from the server
                self.send({"id": message["id"], "result": None})
        raise TimeoutError

    def peak_bytes(self):
        with open(f"/proc/{self.proc.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        return 0

    def close(self):
        try:
            self.request("shutdown", None)
            self.send({"method": "exit"})
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()


def debug(server, what):
    if os.environ.get("LSP_STDERR"):
        print(f"{what}: peak {server.peak_bytes() / 1e6:,.0f} MB", file=sys.stderr)


def measure(binary, root):
    path = os.path.join(root, "policy.lawful")
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    uri = "file://" + os.path.abspath(path)
    server = Server(binary, root)
    times = {}
    try:
        start = time.monotonic()
        deadline = start + 60
        server.request("initialize", {
            "processId": os.getpid(), "rootUri": "file://" + os.path.abspath(root),
            "capabilities": {"general": {"positionEncodings": ["utf-16"]}}})
        server.wait(lambda m: m.get("id") == 1, deadline)
        server.send({"method": "initialized", "params": {}})
        opened = time.monotonic()
        server.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "lawful", "version": 1, "text": text}}})
        published = lambda m: (m.get("method") == "textDocument/publishDiagnostics"
                               and m["params"]["uri"] == uri)
        server.wait(published, deadline)
        times["open"] = time.monotonic() - opened
        debug(server, "after open")
        lines = text.split("\n")
        end = {"line": len(lines) - 1, "character": len(lines[-1].encode("utf-16-le")) // 2}
        edited = time.monotonic()
        server.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": end, "end": end}, "text": "#"}]}})
        server.wait(lambda m: published(m) and m["params"].get("version") in (2, None), deadline)
        times["edit"] = time.monotonic() - edited
        debug(server, "after edit")
        for name, method, params in [
            ("format", "textDocument/formatting",
             {"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}}),
            ("symbols", "textDocument/documentSymbol", {"textDocument": {"uri": uri}}),
            ("hover", "textDocument/hover",
             {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
        ]:
            asked = time.monotonic()
            rid = server.request(method, params)
            server.wait(lambda m, rid=rid: m.get("id") == rid, deadline)
            times[name] = time.monotonic() - asked
            debug(server, f"after {name}")
        peak = server.peak_bytes()
    finally:
        server.close()
    return len(text.encode()), times, peak


def main():
    binary, out = os.path.abspath(sys.argv[1]), sys.argv[2]
    print("| input | bytes | open → diagnostics s | edit → diagnostics s | format s | symbols s | hover s | peak RSS MB | within 5 s, 1 GB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    failed = False
    for name in sorted(os.listdir(out)):
        root = os.path.join(out, name)
        try:
            size, times, peak = measure(binary, root)
        except (TimeoutError, EOFError) as error:
            print(f"| {name} | | {type(error).__name__} | | | | | | no |")
            failed = True
            continue
        ok = all(t <= BUDGET_SECONDS for t in times.values()) and peak <= BUDGET_BYTES
        failed |= not ok
        cells = " | ".join(f"{times[k]:.2f}" for k in ["open", "edit", "format", "symbols", "hover"])
        print(f"| {name} | {size:,} | {cells} | {peak / 1e6:,.0f} | {'yes' if ok else '**no**'} |")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
