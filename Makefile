# 同心建言: `make run` serves the app; `make test` runs every check. Both install what is missing first.

SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

ADDR ?= 127.0.0.1:8080
DB ?= data/jianyan.db

.PHONY: run test tools tools-test frontend server lint unit fuzz e2e bench bench-desk bench-surveys clean

## Build the release frontend and serve everything at http://$(ADDR) on an SQLite file under data/.
run: tools frontend
	cargo build --release -p jianyan-server
	./target/release/jianyan serve --addr $(ADDR) --db $(DB) --static dist

## Formatting, lints, Rust tests, API fuzzing, and browser tests against the release build.
test: tools-test lint unit fuzz frontend e2e

tools:
	@scripts/install-tools.sh build

tools-test:
	@scripts/install-tools.sh test

frontend:
	trunk build --release
	# The service worker is a first-load file of every member page: sent minified (terser), it costs
	# 0.8 KB of brotli instead of 1.5 KB. assets/sw.js stays the readable, commented source.
	terser assets/sw.js --compress --mangle --output dist/sw.js
	# The staff's app after the members' (whose build replaces dist/): its own bundle under /staff/.
	trunk build staff.html --release=true --dist dist/staff --public-url /staff/
	# The members' account app (joining, 我的) under /me/: its own bundle, so the form's stays small.
	trunk build account.html --release=true --dist dist/me --public-url /me/
	# The members' 问卷 (answering surveys) under /surveys/: a bundle of its own, like /me/.
	trunk build surveys.html --release=true --dist dist/surveys --public-url /surveys/
	# The members' topics app (课题, results with attachments) under /topics/: its own bundle too.
	trunk build topics.html --release=true --dist dist/topics --public-url /topics/
	# Its forms with attachments (a result, the form with files) after the list (whose build replaces
	# dist/topics/): the upload code in a bundle of its own, served for /topics/<id>/result and /topics/submit.
	trunk build topics-send.html --release=true --dist dist/topics/send --public-url /topics/send/
	for app in dist dist/staff dist/me dist/surveys dist/topics dist/topics/send; do \
		scripts/minify-glue.sh $$app && scripts/precompress.sh $$app || exit 1; \
	done

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

unit:
	cargo test --workspace

## Property-based fuzzing of the API from its OpenAPI document (schemathesis, in .tools/venv).
fuzz:
	scripts/fuzz-api.sh

e2e:
	cargo build -p jianyan-server
	npx playwright test --config tests/e2e/playwright.config.ts

## Load benchmark of the release server on this machine (a few minutes; not part of `test`, too noisy).
## Prints a Markdown report; BENCHMARKS.md holds the last one worth keeping.
bench:
	cargo build --release -p jianyan-server -p jianyan-bench
	./target/release/jianyan-bench --server target/release/jianyan

## Only the staff desk's scenarios (list, search, exports at 100,000 corpus submissions); ~3 min.
bench-desk:
	cargo build --release -p jianyan-server -p jianyan-bench
	./target/release/jianyan-bench --server target/release/jianyan --desk-only

## Surveys only: results, breakdowns and exports of 10,000 responses to a 20-question survey.
bench-surveys:
	cargo build --release -p jianyan-server -p jianyan-bench
	./target/release/jianyan-bench --server target/release/jianyan --surveys-only

clean:
	rm -rf dist test-results playwright-report
