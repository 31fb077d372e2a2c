#!/usr/bin/env bash
# Load and soak test of `polgraph serve` on each store (bench/soak, run by
# bin/polsoak): seeds a synthetic graph, starts the server on a free
# loopback port with a reader and a writer API key, and for SOAK_DURATION
# sends SOAK_RATE mixed reads a second (relations, network, paths, Latin
# and Arabic search, timeline, entity, events) while a writer posts
# SOAK_DOC_RATE new reports a second, sampling the server's memory. Then
# it reads every acknowledged report back, checks the document count, and
# fits memory for a growth trend. Reports go to
# $SOAK_OUT/<store>-<duration>.json (every sample) and .md. Exits non-zero
# if any store's verdict fails or its run could not be made.
#
#   scripts/soak.sh                                  both stores, 60 s each (CI)
#   SOAK_STORES=embedded scripts/soak.sh             one store
#   SOAK_DURATION=10m scripts/soak.sh                the recorded soak
#   scripts/soak.sh -mix relations=1,paths=1         extra arguments go to polsoak
#
# Environment: SOAK_STORES ("embedded neo4j"), SOAK_DURATION (60s),
# SOAK_RATE (reads/s for every store; else SOAK_RATE_EMBEDDED and
# SOAK_RATE_NEO4J, by default polsoak's: 100 and 20, see soak.DefaultRate
# for why), SOAK_DOC_RATE (2 reports/s), SOAK_RELATIONS (10000, the seeded
# graph), SOAK_OUT (artifacts/soak).
#
# Neo4j: NEO4J_URI (and NEO4J_USERNAME, NEO4J_PASSWORD) must name one; the
# script starts none (scripts/neo4j.sh start does). Its database is wiped
# before the run and after (polsoak -wipe), under the lock the Neo4j tests
# take (internal/neo4jtest), so point it at a test instance, never at one
# whose data matters.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

read -r -a stores <<<"${SOAK_STORES:-embedded neo4j}"
duration="${SOAK_DURATION:-60s}"
rate_embedded="${SOAK_RATE:-${SOAK_RATE_EMBEDDED:-}}"
rate_neo4j="${SOAK_RATE:-${SOAK_RATE_NEO4J:-}}"
doc_rate="${SOAK_DOC_RATE:-2}"
relations="${SOAK_RELATIONS:-10000}"
out="${SOAK_OUT:-artifacts/soak}"

for store in "${stores[@]}"; do
	case "$store" in
	embedded) ;;
	neo4j)
		if [[ -z "${NEO4J_URI:-}" ]]; then
			echo "soak.sh: SOAK_STORES names neo4j but NEO4J_URI is not set: start one (scripts/neo4j.sh start prints its URI)" >&2
			echo "         and export NEO4J_URI, or run SOAK_STORES=embedded $0" >&2
			exit 2
		fi
		;;
	*)
		echo "soak.sh: unknown store $store (embedded or neo4j)" >&2
		exit 2
		;;
	esac
done

mkdir -p bin "$out"
go build -o bin/polgraph ./cmd/polgraph
go build -o bin/polsoak ./bench/cmd/polsoak

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failed=0
for store in "${stores[@]}"; do
	rate=$rate_embedded
	[[ "$store" == neo4j ]] && rate=$rate_neo4j
	echo "== soak: $store store, $duration, ${rate:+$rate reads/s, }$doc_rate reports/s"
	args=(-store "$store" -polgraph bin/polgraph -duration "$duration" -doc-rate "$doc_rate"
		-relations "$relations" -work "$work/$store"
		-json "$out/$store-$duration.json" -md "$out/$store-$duration.md")
	[[ -n "$rate" ]] && args+=(-rate "$rate")
	[[ "$store" == neo4j ]] && args+=(-wipe)
	status=0
	bin/polsoak "${args[@]}" "$@" || status=$?
	if [[ $status -ne 0 ]]; then
		failed=1
		echo "soak.sh: the $store soak failed (report: $out/$store-$duration.md)" >&2
		log="$work/$store/server.log"
		if [[ -f "$log" ]]; then
			# Request lines say only a status, which the report counts.
			echo "soak.sh: the server's last warnings and errors besides request lines:" >&2
			grep -E '"level":"(ERROR|WARN)"|level=(ERROR|WARN)' "$log" | grep -vE '"msg":"request"|msg=request ' | tail -n 20 >&2 || true
		fi
	fi
done
exit $failed
