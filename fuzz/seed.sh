#!/bin/sh
# Copies the examples and UI fixtures into fuzz/seeds/all, the starting corpus of every target.
set -e
cd "$(dirname "$0")/.."
mkdir -p fuzz/seeds/all
find examples tests/ui stdlib -name '*.lawful' | while read -r f; do
  cp "$f" "fuzz/seeds/all/$(echo "$f" | tr '/' '_')"
done
ls fuzz/seeds/all | wc -l
