#!/usr/bin/env bash
# Installs what building (and, with `test`, testing) needs on a fresh machine of this kind.
# Every step is skipped when its tool is already there at the right version, so a second run costs nothing.
# Nothing here downloads a prebuilt binary or a browser: cargo, npm and apt only (see shared/TOOLCHAIN.md).
set -euo pipefail
cd "$(dirname "$0")/.."

purpose=${1:-build}
TRUNK_VERSION=0.21.14
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '==> %s\n' "$*"; }

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    say "need Debian packages: $* (run as root, or install them yourself)"
    return 1
  fi
  if [ ! -f /tmp/.jianyan-apt-updated ]; then
    apt-get update -qq && touch /tmp/.jianyan-apt-updated
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  # 0.22 needs a newer rustc than this machine has.
  say "installing trunk $TRUNK_VERSION (about 11 minutes on 2 cores, once)"
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

# The CLI must equal the wasm-bindgen crate version that Cargo.lock pins.
bindgen_version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $bindgen_version\$"; then
  # Without --locked: a version it pins is missing from the registry.
  say "installing wasm-bindgen-cli $bindgen_version (about 3 minutes, once)"
  cargo install "wasm-bindgen-cli@$bindgen_version"
fi

# wasm-opt from npm's binaryen 132 (never Debian's 108, which breaks the page), and Playwright.
if [ ! -x node_modules/.bin/wasm-opt ] || [ package.json -nt node_modules/.installed ]; then
  say "installing node tools (binaryen, playwright)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.installed
fi

# brotli precompresses the built files; without it the server compresses on the fly.
if ! command -v brotli >/dev/null; then
  apt_install brotli || say "brotli missing: files will be compressed on the fly"
fi

# The API fuzzer (scripts/fuzz-api.sh) installs schemathesis into a venv, and talks to the server with curl.
if [ "$purpose" = test ] && ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  apt_install python3-venv
fi
if [ "$purpose" = test ] && ! command -v curl >/dev/null; then
  apt_install curl
fi

# The reverse-proxy check (crates/server/tests/process/behind_nginx.rs) runs deploy/nginx/jianyan.conf in
# Debian's nginx, with a throwaway certificate made by openssl.
if [ "$purpose" = test ] && ! command -v openssl >/dev/null; then
  apt_install openssl
fi
if [ "$purpose" = test ] && ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  say "installing Debian's nginx for the reverse-proxy check"
  apt_install nginx-light
  # The test starts its own nginx; on a machine with systemd the package's service would hold port 80.
  if [ -d /run/systemd/system ]; then
    systemctl disable --now nginx >/dev/null 2>&1 || true
  fi
fi

if [ "$purpose" = test ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's Chromium for the browser tests"
  apt_install chromium
fi

# Chinese glyphs, so the browser tests lay the pages out (320 px, 200 % text) and screenshot them with the
# widths members' phones have, not with placeholder boxes.
if [ "$purpose" = test ] && [ ! -d /usr/share/fonts/opentype/noto ] && ! fc-list 2>/dev/null | grep -q 'Noto Sans CJK'; then
  say "installing Noto CJK fonts for the browser tests"
  apt_install fonts-noto-cjk
fi
