#!/usr/bin/env bash
# Fuzzes the REST API against its OpenAPI document with schemathesis (from
# PyPI): builds polgraph, starts `polgraph serve --demo` on a free loopback
# port for each store, waits for /readyz, lets schemathesis generate
# requests from /openapi.json, stops the server. Fails on any failure, or
# when a store got fewer than MIN_CASES generated cases.
#
#   scripts/schemathesis.sh                  both stores (Neo4j at NEO4J_URI,
#                                            default bolt://127.0.0.1:7687)
#   scripts/schemathesis.sh embedded         one store
#   SCHEMATHESIS_MAX_EXAMPLES=100 scripts/schemathesis.sh embedded
#
# Checks: `--checks all` but negative_data_rejection, which fails on
# requests the document calls invalid and the server accepts, by design:
# JSON null for an optional field is taken as the field left out (Go's
# decoder), the search text's limit is 500 bytes where a schema can only
# count characters, and an upload's body is bytes, not the JSON value the
# fuzzer typed. The contract test (api/contract_test.go) checks the other
# side of that on every realistic request instead: what the server accepts,
# the document accepts. positive_data_acceptance runs with the statuses of
# scripts/schemathesis.toml, which says why. The change stream
# (/v1/changes/stream) is left out: it never ends, so every request would
# time out; the contract test covers it.
#
# Neo4j: the run takes the lock internal/neo4jtest's tests take (the same
# file), so tests of other packages never see the fuzzer's data, nor wipe
# the database under it; the data stays until the next test wipes it.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

SCHEMATHESIS_VERSION=4.32.5
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-25}"
MIN_CASES=1000
SEED="${SCHEMATHESIS_SEED:-20251102}"
stores=("$@")
[[ ${#stores[@]} -gt 0 ]] || stores=(embedded neo4j)

# Run as a module of the python3 that pip installs into: no PATH to trust.
st() { python3 -m schemathesis.cli "$@"; }
if ! st --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; then
	echo "== pip install schemathesis==$SCHEMATHESIS_VERSION"
	python3 -m pip install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

work=$(mktemp -d)
source "$(dirname "${BASH_SOURCE[0]}")/lib/serve.sh"
trap 'stop_server; rm -rf "$work"' EXIT

go build -o "$work/polgraph" ./cmd/polgraph


# neo4j_lock is the file internal/neo4jtest locks for the database.
neo4j_lock() {
	local sum
	sum=$(printf '%s\0%s' "$NEO4J_URI" "${NEO4J_DATABASE:-}" | sha256sum | cut -c1-16)
	echo "${TMPDIR:-/tmp}/polgraph-neo4j-$sum.lock"
}

run_store() {
	local store=$1 port base log out status cases
	port=$(free_port)
	base="http://127.0.0.1:$port"
	log="$work/$store-server.log"
	out="$work/$store-schemathesis.txt"
	echo "== schemathesis on the $store store ($base)"
	start_server "$work/polgraph" "$port" "$log" --demo --store "$store" --data-dir "$work/$store-data" || return 1

	status=0
	# From the work directory, where schemathesis leaves its cache. One
	# worker: with two, Hypothesis' source cache now and then fails with a
	# KeyError inside schemathesis (a race of its own, not an API failure).
	(cd "$work" && PYTHONPATH="$repo/scripts${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=schemathesis_hooks \
		st --no-color --config-file "$repo/scripts/schemathesis.toml" run "$base/openapi.json" \
		--checks all --exclude-checks negative_data_rejection \
		--exclude-path /v1/changes/stream \
		--max-examples "$MAX_EXAMPLES" --seed "$SEED" \
		--request-timeout 30 --workers 1 \
		>"$out" 2>&1) || status=$?
	stop_server
	sed -n '/^=* \(ERRORS\|FAILURES\|SUMMARY\) =*$/,$p' "$out" | tail -n 100
	if [[ $status -ne 0 ]]; then
		echo "schemathesis.sh: failures on the $store store (full output above; server log: $log)" >&2
		grep -E '"level":"(ERROR|WARN)"|level=(ERROR|WARN)' "$log" | tail -n 20 >&2 || true
		return 1
	fi
	cases=$(sed -nE 's/^ *([0-9]+) generated.*/\1/p' "$out" | tail -n 1)
	if [[ -z "$cases" || "$cases" -lt $MIN_CASES ]]; then
		echo "schemathesis.sh: the $store store got ${cases:-no} generated cases, fewer than $MIN_CASES" >&2
		return 1
	fi
	echo "== $store: $cases generated cases, no failures"
}

failed=0
for store in "${stores[@]}"; do
	case "$store" in
	embedded)
		run_store embedded || failed=1
		;;
	neo4j)
		export NEO4J_URI="${NEO4J_URI:-bolt://127.0.0.1:7687}"
		exec {lock}>"$(neo4j_lock)"
		flock "$lock"
		run_store neo4j || failed=1
		flock -u "$lock"
		;;
	*)
		echo "schemathesis.sh: unknown store $store (embedded or neo4j)" >&2
		exit 2
		;;
	esac
done
exit $failed
