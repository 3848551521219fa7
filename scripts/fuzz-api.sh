#!/usr/bin/env bash
# Property-based API fuzzing: schemathesis reads /api/openapi.json from a fresh server and sends it
# requests generated from that document (valid and invalid), failing on any 5xx or any answer whose
# status or body the document does not describe. A failure prints the seed that reproduces it:
#   FUZZ_SEED=<seed> scripts/fuzz-api.sh
# FUZZ_MAX_EXAMPLES (default 300) bounds the cases per operation and phase: about 35 s on 2 idle cores.
# FUZZ_CHECKS picks other schemathesis checks (e.g. `all`, which also flags deliberate choices such as
# answering a wrong secret with 404, and 422 for schema-valid but rule-breaking submissions).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

SCHEMATHESIS_VERSION=4.32.5
venv=.tools/venv
max_examples=${FUZZ_MAX_EXAMPLES:-300}
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '==> %s\n' "$*"; }

# A venv of its own, in an ignored folder, so the pinned version is what runs.
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; then
  say "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

cargo build --quiet -p jianyan-server
# The binary cargo just built: under CARGO_TARGET_DIR when it is set, ./target otherwise.
jianyan="${CARGO_TARGET_DIR:-target}/debug/jianyan"
case "$jianyan" in /*) ;; *) jianyan="$root/$jianyan" ;; esac

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
# A fresh database; no frontend; no rate limits, since the fuzzer submits and logs in from one address on
# purpose.
"$jianyan" serve --addr "127.0.0.1:$port" --db "$work/fuzz.db" --static "$work/no-frontend" \
  --submit-rate-per-minute 0 --login-rate-per-minute 0 --join-rate-per-minute 0 >"$work/server.log" 2>&1 &
server_pid=$!

ready=
for _ in $(seq 100); do
  if curl -fsS -o /dev/null "$base/api/health" 2>/dev/null; then ready=1; break; fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$ready" ]; then
  say "the server did not start:"; cat "$work/server.log"; exit 1
fi

# One real submission, so that part of the lookups find something and the 200 answer is checked too.
receipt=$(curl -fsS "$base/api/submissions" -H 'Content-Type: application/json' --data-binary @- <<'JSON'
{"kind": "suggestion", "title": "关于老旧小区加装电梯的建议", "unit_id": 1, "name": "王建国",
 "phone": "13812345678", "body": "我区老旧小区多建于上世纪九十年代，没有电梯，老年居民上下楼十分困难。"}
JSON
)
read -r code secret < <(python3 -c 'import json, sys; r = json.load(sys.stdin); print(r["code"], r["secret"])' <<<"$receipt")

# An admin account and a session, so the staff endpoints (the admin-only ones too) are fuzzed past their
# login. The session is the `jianyan_staff` cookie the login sets.
printf 'fuzz-password-1\n' | "$jianyan" staff add fuzzer --name 测试员 --role admin --db "$work/fuzz.db" >/dev/null
cookie=$(curl -fsS -o /dev/null -D - "$base/api/staff/session" -H 'Content-Type: application/json' \
  --data '{"login": "fuzzer", "password": "fuzz-password-1"}' |
  sed -n 's/^[Ss]et-[Cc]ookie: \(jianyan_staff=[^;]*\);.*/\1/p')
if [ -z "$cookie" ]; then say "logging in set no session cookie"; exit 1; fi

# A member on the roster, invited and joined, so the member endpoints are fuzzed past their device
# session too (the `jianyan_member` cookie the join sets). The roster import is not needed for one row.
python3 -c 'import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute("INSERT INTO members (name, unit_id, phone, created_at, updated_at) VALUES (?, 1, ?, ?, ?)", ("测试成员", "13900000000", "2026-01-01T00:00:00+08:00", "2026-01-01T00:00:00+08:00")); db.commit()' "$work/fuzz.db"
member_id=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT MAX(id) FROM members").fetchone()[0])' "$work/fuzz.db")
link=$(curl -fsS -X POST "$base/api/staff/members/$member_id/invitation" -H "Cookie: $cookie" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["link"].split("#", 1)[1])')
member_cookie=$(curl -fsS -o /dev/null -D - "$base/api/member/join" -H 'Content-Type: application/json' \
  --data "{\"token\": \"$link\"}" |
  sed -n 's/^[Ss]et-[Cc]ookie: \(jianyan_member=[^;]*\);.*/\1/p')
if [ -z "$member_cookie" ]; then say "joining set no member cookie"; exit 1; fi

# Every request carries the real secret, so random codes get past the 401 into the lookup, and half the
# lookups use the real code; staff endpoints carry the session cookie (scripts/fuzz-api.toml holds the
# rest of the settings).
{
  printf 'headers = { Authorization = "Bearer %s" }\n\n' "$secret"
  printf '[dictionaries.codes]\nvalues = ["%s"]\n\n' "$code"
  cat scripts/fuzz-api.toml
  # Staff endpoints get the session cookie too (a fuzzed logout ends it; the 401s after that are checked too).
  printf '\n[[operations]]\ninclude-path-regex = "^/api/staff/"\nheaders = { Cookie = "%s" }\n' "$cookie"
  # Member endpoints get the device cookie (a fuzzed logout ends it; the 401s after that are checked too).
  printf '\n[[operations]]\ninclude-path-regex = "^/api/member/"\nheaders = { Cookie = "%s" }\n' "$member_cookie"
  # Not fuzzed: the four requests that end the fuzzer's own sessions (logging out, ending the member's
  # device, disabling the member). Run early, they left every later staff or member request a 401, so
  # two dozen operations were fuzzed only as far as their login check. The API tests cover these four.
  for ended in 'DELETE /api/staff/session' 'POST /api/member/logout' \
    'DELETE /api/staff/members/{id}/devices/{device}' 'PUT /api/staff/members/{id}/disabled'; do
    printf '\n[[operations]]\ninclude-name = "%s"\nenabled = false\n' "$ended"
  done
} >"$work/schemathesis.toml"

say "fuzzing $base with schemathesis $SCHEMATHESIS_VERSION (at most $max_examples cases per operation and phase)"
seed_args=()
if [ -n "${FUZZ_SEED:-}" ]; then seed_args=(--seed "$FUZZ_SEED"); fi
status=0
# Run from the temporary folder so nothing (a config lookup, a report) touches the repo.
(cd "$work" && PYTHONPATH="$root/scripts" SCHEMATHESIS_HOOKS=fuzz_hooks "$root/$venv/bin/schemathesis" --config-file schemathesis.toml run "$base/api/openapi.json" \
  --checks "${FUZZ_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance}" \
  --max-examples "$max_examples" \
  --generation-database none \
  --request-timeout 10 \
  --no-color \
  "${seed_args[@]}") || status=$?

stored=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM submissions").fetchone()[0])' "$work/fuzz.db" || echo '?')
say "the fuzzed server stored $stored submissions"
if [ "$status" -ne 0 ]; then
  say "schemathesis found problems; the server's errors were:"
  grep -E 'ERROR|panicked' "$work/server.log" | tail -n 40 || true
fi
exit "$status"
