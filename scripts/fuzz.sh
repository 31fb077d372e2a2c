#!/usr/bin/env bash
# Runs every fuzz target of the module (each `func Fuzz…` in a _test.go
# file), one at a time, as `go test -fuzz` can fuzz only one target per
# process, and prints one line per target: target, package, wall time,
# execs, new interesting inputs and the result. It keeps going after a failure and
# exits 1 if any target failed, naming the input Go wrote under the
# package's testdata/fuzz/FuzzX/: commit that file and it becomes a
# regression test that every `go test` runs.
#
#   scripts/fuzz.sh                          every target, 10 s each
#   scripts/fuzz.sh 'FuzzReader'             targets matching an extended regex,
#   scripts/fuzz.sh 'acled\.FuzzReader'      matched against dir.Target
#   FUZZTIME=10m FUZZ_PARALLEL=1 scripts/fuzz.sh -o docs/fuzz.md FuzzExtract
#
# Options and environment:
#   FUZZTIME        -fuzztime of each target (default 10s; 1000x for runs)
#   FUZZ_PARALLEL   fuzzing processes per target (default 2)
#   FUZZ_MINIMIZE   -fuzzminimizetime (default 5s). Go minimizes every new
#                   interesting input, for up to a minute by default, and
#                   counts none of those runs as execs: a target with
#                   inputs of a few hundred bytes (an NDJSON file, a CSV)
#                   then spends most of a short run minimizing.
#   -o FILE, FUZZ_REPORT
#                   append a Markdown table row per target to FILE (with
#                   the header and the run's date, cores and -parallel
#                   first when FILE is new or empty).
#   FUZZ_LOGS       keep each target's go test output in this directory
#                   (default: a temporary one, removed at the end).
#
# What Go finds interesting goes to its cache ($(go env GOCACHE)/fuzz),
# not the repository; only failing inputs land in testdata.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

report="${FUZZ_REPORT:-}"
filter=""
while [[ $# -gt 0 ]]; do
	case "$1" in
	-o)
		report="$2"
		shift 2
		;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	*)
		filter="$1"
		shift
		;;
	esac
done
fuzztime="${FUZZTIME:-10s}"
parallel="${FUZZ_PARALLEL:-2}"
minimize="${FUZZ_MINIMIZE:-5s}"

logs="${FUZZ_LOGS:-}"
if [[ -z "$logs" ]]; then
	logs=$(mktemp -d)
	trap 'rm -rf "$logs"' EXIT
fi
mkdir -p "$logs"

# The directories with a fuzz target, found cheaply; `go test -list` then
# names the targets as the test binary sees them (build tags and all).
mapfile -t dirs < <(grep -rlE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(' . |
	grep -v '/testdata/' | xargs -r -n1 dirname | sed 's|^\./||' | sort -u)
failed=0
targets=()
for dir in "${dirs[@]}"; do
	if ! list=$(go test -list '^Fuzz' "./$dir" 2>&1); then
		echo "FAIL ./$dir: cannot list its fuzz targets:" >&2
		sed 's/^/     | /' <<<"$list" >&2
		failed=$((failed + 1))
		continue
	fi
	for name in $(grep '^Fuzz' <<<"$list" || true); do
		if [[ -z "$filter" || "$dir.$name" =~ $filter ]]; then
			targets+=("$dir $name")
		fi
	done
done
if [[ ${#targets[@]} -eq 0 ]]; then
	echo "fuzz.sh: no fuzz target matches ${filter:-anything}" >&2
	exit 2
fi

if [[ -n "$report" && ! -s "$report" ]]; then
	{
		echo "Fuzzing run of $(date -u +%Y-%m-%d), $(nproc) cores, -parallel $parallel, -fuzztime $fuzztime, $(go env GOVERSION)."
		echo
		echo "| target | package | fuzztime | wall | execs | new interesting | result |"
		echo "|---|---|---|---|---|---|---|"
	} >>"$report"
fi

for t in "${targets[@]}"; do
	read -r dir name <<<"$t"
	log="$logs/${dir//\//_}.$name.log"
	start=$SECONDS
	status=0
	go test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimize" \
		-parallel "$parallel" "./$dir" >"$log" 2>&1 || status=$?
	wall="$((SECONDS - start))s"
	# The last progress line: "fuzz: elapsed: 10s, execs: 1234 (123/sec),
	# new interesting: 5 (total: 42)".
	progress=$(grep 'execs: ' "$log" | tail -n1 || true)
	execs=$(sed -nE 's/.*execs: ([0-9]+).*/\1/p' <<<"$progress")
	interesting=$(sed -nE 's/.*new interesting: ([0-9]+).*/\1/p' <<<"$progress")
	result=ok
	crash=$(sed -nE 's|.*Failing input written to (testdata/fuzz/[^ ]+).*|\1|p' "$log" | tail -n1)
	if [[ $status -ne 0 && -z "$crash" ]] && grep -qx '    context deadline exceeded' "$log" &&
		! grep -q -- "--- FAIL: $name/" "$log"; then
		# Go's coordinator can report its own -fuzztime deadline as a
		# failure when a worker is mid-input at the end: go.dev/issue/75804,
		# fixed in Go 1.27. No input failed; a count (FUZZTIME=100000x)
		# has no deadline to race.
		status=0
		result="ok (go.dev/issue/75804)"
	fi
	if [[ $status -ne 0 ]]; then
		result=FAIL
		failed=$((failed + 1))
	fi
	printf '%-26s %-18s %5s  execs %-9s new interesting %-4s %s\n' \
		"$name" "$dir" "$wall" "${execs:--}" "${interesting:--}" "$result"
	if [[ $status -ne 0 ]]; then
		if [[ -n "$crash" ]]; then
			echo "     failing input: $dir/$crash (commit it as a regression test)"
			echo "     rerun: go test -run '^$name/${crash##*/}\$' ./$dir"
		fi
		sed 's/^/     | /' "$log" | grep -v 'fuzz: elapsed' | tail -n 40
		result="FAIL${crash:+ ($dir/$crash)}"
	fi
	if [[ -n "$report" ]]; then
		echo "| $name | $dir | $fuzztime | $wall | ${execs:--} | ${interesting:--} | $result |" >>"$report"
	fi
done
echo "${#targets[@]} targets fuzzed for $fuzztime each, $failed failed"
[[ $failed -eq 0 ]]
