#!/usr/bin/env bash
# Rebuilds the API reference page that GET /docs serves (api/reference/).
#
# The page is Redoc's standalone bundle, from the npm package pinned in
# api/reference/package.json and package-lock.json. This script installs
# exactly the locked package (npm ci, no install scripts) in a temporary
# directory and copies the bundle and its licence notices next to
# index.html; the copies are committed and embedded in the binary, so
# `polgraph serve` needs neither npm nor a network to show the reference.
#
#   scripts/build-reference.sh            rebuild the copies
#   scripts/build-reference.sh --check    fail if the copies differ from the
#                                         locked package's files
#
# To move to another version of Redoc: change the version in
# api/reference/package.json, run
#   (cd api/reference && npm install --package-lock-only --ignore-scripts)
# to update the lockfile, then this script, then `go test ./api -run
# 'Reference|Contract'`, and commit the four files.
set -euo pipefail
cd "$(dirname "$0")/../api/reference"

check=false
[[ "${1:-}" == "--check" ]] && check=true

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json package-lock.json "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)

pkg="$work/node_modules/redoc"
# source in node_modules → name in api/reference
files=(
	"bundles/redoc.standalone.js:redoc.standalone.js"
	"bundles/redoc.standalone.js.LICENSE.txt:redoc.standalone.js.LICENSE.txt"
	"LICENSE:redoc.LICENSE.txt"
)
status=0
for f in "${files[@]}"; do
	src="$pkg/${f%%:*}" dst="${f##*:}"
	if $check; then
		if ! cmp -s "$src" "$dst"; then
			echo "api/reference/$dst differs from redoc $(node -p "require('$pkg/package.json').version")'s ${f%%:*}" >&2
			status=1
		fi
	else
		cp "$src" "$dst"
	fi
done
$check || echo "api/reference: redoc $(node -p "require('$pkg/package.json').version") copied"
exit $status
