#!/usr/bin/env bash
# Tests the explorer page (GET /) in a real headless Chromium: installs what
# the tests need (playwright-core from tests/browser's lockfile; Debian's
# Chromium and an Arabic font if missing; never a browser download), builds
# polgraph, starts `polgraph serve --demo` on a free loopback port with a
# temporary data directory, waits for /readyz, runs tests/browser with node's
# test runner, and stops the server. Screenshots and exports go to the
# artifacts directory. The exit status is the tests'.
#
#   scripts/browser-tests.sh                      all tests
#   scripts/browser-tests.sh --test-name-pattern=evidence
#   BROWSER_ARTIFACTS=/tmp/shots scripts/browser-tests.sh
#   POLGRAPH_URL=http://127.0.0.1:8080 scripts/browser-tests.sh   against a running server
#
# Environment: BROWSER_ARTIFACTS (default artifacts/browser), CHROMIUM
# (default /usr/bin/chromium), POLGRAPH_URL (test that server instead of
# starting one; it must hold the demo data and accept POST /v1/documents).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
artifacts="${BROWSER_ARTIFACTS:-$repo/artifacts/browser}"
mkdir -p "$artifacts"
artifacts=$(cd "$artifacts" && pwd)
# Screenshots of an earlier run would pass for this one's.
# Only the files the tests name (<test>-...), and the server's log.
find "$artifacts" -maxdepth 1 -type f \( -name '[0-9]-*' -o -name server.log \) -delete

need_apt=()
[[ -x "$CHROMIUM" ]] || need_apt+=(chromium)
# Arabic is shaped only with a font that has Arabic glyphs (DejaVu Sans has).
fc-list :lang=ar 2>/dev/null | grep -q . || need_apt+=(fonts-dejavu-core)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [[ ${#need_apt[@]} -gt 0 ]]; then
	echo "== apt-get install ${need_apt[*]}"
	apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"
fi

# npm ci, unless node_modules already holds the locked playwright-core (npm
# ci would wipe it under another run of this script).
lock_version() { node -p "require('./package-lock.json').packages['node_modules/playwright-core'].version"; }
have_version() { node -p "require('./node_modules/playwright-core/package.json').version" 2>/dev/null || true; }
(
	cd tests/browser
	if [[ "$(have_version)" != "$(lock_version)" ]]; then
		echo "== npm ci in tests/browser"
		npm ci --no-audit --no-fund --loglevel=error
	fi
)

work=$(mktemp -d)
source "$(dirname "${BASH_SOURCE[0]}")/lib/serve.sh"
trap 'stop_server; rm -rf "$work"' EXIT

if [[ -z "${POLGRAPH_URL:-}" ]]; then
	go build -o "$work/polgraph" ./cmd/polgraph
	port=$(free_port)
	export POLGRAPH_URL="http://127.0.0.1:$port"
	log="$artifacts/server.log"
	echo "== polgraph serve --demo on $POLGRAPH_URL"
	start_server "$work/polgraph" "$port" "$log" --demo --data-dir "$work/data" || exit 1
fi

echo "== browser tests ($("$CHROMIUM" --version 2>/dev/null | head -n 1))"
status=0
(cd tests/browser && POLGRAPH_ARTIFACTS="$artifacts" node --test --test-concurrency=1 --test-reporter=spec "$@" explorer.test.js) || status=$?
stop_server
echo "== screenshots and exports in $artifacts"
exit $status
