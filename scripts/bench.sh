#!/usr/bin/env bash
# The benchmarks of docs/BENCHMARKS.md in one command: builds polgraph and
# polbench, starts the development Neo4j unless NEO4J_URI names one, and
# runs polbench on both stores at 10k, 100k and 1M relations. Figures go to
# artifacts/bench/results.json (every run) and results.md (the medians).
# Neo4j's database is wiped. Takes about an hour; arguments are passed to
# polbench, e.g. scripts/bench.sh -sizes 10000 -runs 1 for a quick look.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p artifacts/bench bin
go build -o bin/polgraph ./cmd/polgraph
go build -o bin/polbench ./bench/cmd/polbench
if [[ -z "${NEO4J_URI:-}" ]]; then
  NEO4J_URI=$(scripts/neo4j.sh start)
  export NEO4J_URI
fi
bin/polbench -polgraph bin/polgraph -neo4j-uri "$NEO4J_URI" -out artifacts/bench/results.json "$@" \
  | tee artifacts/bench/results.md
