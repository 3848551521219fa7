#!/usr/bin/env bash
# Writes .br and .gz beside each text asset in dist/, so the server sends them without compressing per request.
set -euo pipefail
dist=${1:-dist}
for file in "$dist"/*.{html,js,wasm,css,svg,json,webmanifest}; do
  [ -f "$file" ] || continue
  gzip -9 -k -f -n "$file"
  if command -v brotli >/dev/null; then
    brotli -q 11 -k -f "$file"
  fi
done
