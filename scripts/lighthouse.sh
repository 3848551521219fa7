#!/usr/bin/env bash
# Lighthouse (default mobile throttling, Debian's Chromium) against the release build served by the real
# server, for the home, submit and 查询进度 pages (and the staff's login page). Writes
# target/lighthouse/<page>.json and prints the scores.
# Targets (issue 4): performance ≥ 95, accessibility 100, best practices ≥ 95, LCP ≤ 1.8 s, CLS ≤ 0.02.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${LIGHTHOUSE_PORT:-8282}
# simulate (Lighthouse's default) or devtools (throttles the real load instead of modelling it).
throttling=${LIGHTHOUSE_THROTTLING:-simulate}
out=target/lighthouse
tools=.tools/lighthouse
mkdir -p "$out" "$tools"

# Installed on demand (not by make test): lighthouse 12.2.3 is the newest that runs on Node 20.
if [ ! -x "$tools/node_modules/.bin/lighthouse" ]; then
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error -E lighthouse@12.2.3
fi
[ -f dist/index.html ] || { echo "dist/ is missing: run 'make frontend' first" >&2; exit 1; }
cargo build --release -p jianyan-server

db=$(mktemp -d)/lighthouse.db
./target/release/jianyan serve --addr "127.0.0.1:$port" --db "$db" --static dist >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break
  sleep 0.2
done

flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
for page in home:/ submit:/submit track:/track staff:/staff/; do
  name=${page%%:*}
  path=${page#*:}
  CHROME_PATH=/usr/bin/chromium "$tools/node_modules/.bin/lighthouse" "http://127.0.0.1:$port$path" \
    --quiet --throttling-method="$throttling" --output=json --output-path="$out/$name.json" \
    --chrome-flags="$flags"
done

node -e '
const fs = require("fs");
const rows = ["home", "submit", "track", "staff"].map((name) => {
  const r = JSON.parse(fs.readFileSync(`target/lighthouse/${name}.json`, "utf8"));
  const score = (c) => Math.round(r.categories[c].score * 100);
  const audit = (a) => r.audits[a].numericValue;
  return { page: name, performance: score("performance"), accessibility: score("accessibility"),
    "best-practices": score("best-practices"), "LCP s": (audit("largest-contentful-paint") / 1000).toFixed(2),
    "FCP s": (audit("first-contentful-paint") / 1000).toFixed(2), CLS: audit("cumulative-layout-shift").toFixed(3) };
});
console.table(rows);
'
