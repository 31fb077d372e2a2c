#!/usr/bin/env bash
# Rebuilds the explorer page that GET / serves (api/explorer/dist/).
#
# The page's source is api/explorer/src/ (plain JavaScript and CSS); its
# packages (Cytoscape.js, the fcose layout, esbuild) are pinned in
# api/explorer/package.json and package-lock.json. This script copies the
# source to a temporary directory, installs exactly the locked packages
# there (npm ci, no install scripts), bundles with esbuild
# (api/explorer/build.mjs) and puts the result in api/explorer/dist/:
# index.html, one JS and one CSS file named by their content's hash, and
# the bundled packages' licences. It first runs the unit tests of the
# page's helpers (api/explorer/test/). dist/ is committed and embedded in the
# binary, so `polgraph serve` needs neither npm nor a network to show it.
#
#   scripts/build-explorer.sh            rebuild api/explorer/dist
#   scripts/build-explorer.sh --check    fail if api/explorer/dist is not
#                                        what the source and the lockfile
#                                        build
#
# After changing the source: run this script, then `go test ./api -run
# Explorer`, look at the page (`go run ./cmd/polgraph serve --demo`), and
# commit the source and dist/ together. To move a package to another
# version: change it in api/explorer/package.json, run
#   (cd api/explorer && npm install --package-lock-only --ignore-scripts)
# then this script.
set -euo pipefail
cd "$(dirname "$0")/../api/explorer"

check=false
[[ "${1:-}" == "--check" ]] && check=true

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r package.json package-lock.json build.mjs src test "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
# The unit tests of the page's helpers (test/), with node's test runner.
(cd "$work" && node --test test/)
node "$work/build.mjs" "$work/dist" >/dev/null

if $check; then
	if ! diff -r "$work/dist" dist >/dev/null; then
		echo "api/explorer/dist differs from what api/explorer/src and the lockfile build:" >&2
		diff -rq "$work/dist" dist >&2 || true
		echo "run scripts/build-explorer.sh and commit api/explorer/dist" >&2
		exit 1
	fi
	echo "api/explorer/dist: up to date"
	exit 0
fi
rm -rf dist
cp -r "$work/dist" dist
echo "api/explorer/dist: $(cd dist && ls | tr '\n' ' ')"
