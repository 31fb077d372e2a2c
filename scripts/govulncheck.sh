#!/usr/bin/env bash
# Runs govulncheck (pinned, from the Go module proxy) over the repository
# against the Go vulnerability database, and fails when the code calls a
# vulnerable symbol of a module it requires or of the Go standard library
# of the go command on PATH.
#
#   scripts/govulncheck.sh                       ./... (tests left out)
#   scripts/govulncheck.sh -show verbose ./...   any govulncheck arguments
#   scripts/govulncheck.sh -test ./...           tests too
#   VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018 scripts/govulncheck.sh
#
# Exit status: govulncheck's, so 0 when clean, 3 when the code is affected,
# 1 on any error.
#
# Why not plain `govulncheck ./...`: it reads https://vuln.go.dev, which CI
# cannot reach; the Go module proxy it can. The database's source is the
# module golang.org/x/vulndb (untagged, so a pseudo-version; "latest" is the
# newest commit the proxy has), whose data/osv holds every report as an OSV
# file. `go mod download` fetches it checked against the checksum database,
# and the generator below lays those files out as the v1 database that
# `govulncheck -db file://DIR` reads (go.dev/doc/security/vuln/database):
#
#   index/db.json       {"modified": newest entry's modified}
#   index/modules.json  [{"path", "vulns": [{"id", "modified"}]}] by path
#   index/vulns.json    [{"id", "modified", "aliases"}] by id
#   ID/GO-YYYY-NNNN.json  the OSV entry
#
# x/vulndb's own cmd/indexdb does the same but builds some hundred modules
# of Google Cloud client code first (a minute, cold); the generator needs
# only the standard library. Two differences from vuln.go.dev, neither of
# which changes a finding:
#   - the repository's OSV files carry "modified": 0001-01-01 (vuln.go.dev
#     fills it from git history when it deploys); an entry without one is
#     given the time of the commit it comes from, so index/db.json's date,
#     which this script prints, is the date of the snapshot;
#   - modules.json leaves out the optional "fixed" shortcut, so govulncheck
#     reads every entry of a module the code requires and matches its
#     version against the entry's ranges itself (the shortcut only skips
#     entries whose newest fix is at or below the version in use).
# The database is cached in ${XDG_CACHE_HOME:-~/.cache}/polgraph/vulndb/
# VERSION/ and built again only when the resolved version changes (20 s:
# a 25 MB download); when the proxy can't be asked, the newest cached one
# is used.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

GOVULNCHECK_VERSION=v1.9.0
VULNDB_MODULE=golang.org/x/vulndb
VULNDB_VERSION="${VULNDB_VERSION:-latest}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/polgraph/vulndb"
args=("$@")
[[ ${#args[@]} -gt 0 ]] || args=(./...)

mkdir -p "$cache"
work=$(mktemp -d "$cache/.work.XXXXXX")
cleanup() {
	# The module cache of the download is read-only; go clean empties it.
	if [[ -d "$work/modcache" ]]; then
		GOMODCACHE="$work/modcache" GOTOOLCHAIN=local go clean -modcache >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# Resolve the database version: a private module cache, so the 90 MB of the
# module's files never pile up in the user's, one version after another.
# The go commands run in $work, outside this module, on the go on PATH (a
# GOTOOLCHAIN would be downloaded into that cache again).
vgo() { (cd "$work" && GOMODCACHE="$work/modcache" GOTOOLCHAIN=local go "$@"); }
if resolved=$(vgo list -m -f '{{.Version}} {{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' "$VULNDB_MODULE@$VULNDB_VERSION"); then
	read -r version when <<<"$resolved"
else
	version=$(find "$cache" -mindepth 1 -maxdepth 1 -name 'v*' -type d -printf '%f\n' | sort | tail -n 1)
	[[ -n "$version" ]] || { echo "govulncheck.sh: cannot resolve $VULNDB_MODULE@$VULNDB_VERSION and no database is cached" >&2; exit 1; }
	echo "govulncheck.sh: cannot resolve $VULNDB_MODULE@$VULNDB_VERSION; using the cached $version" >&2
fi
db="$cache/$version"

if [[ ! -f "$db/index/db.json" ]]; then
	echo "== building the vulnerability database from $VULNDB_MODULE@$version"
	src=$(vgo mod download -json "$VULNDB_MODULE@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
	[[ -d "$src/data/osv" ]] || { echo "govulncheck.sh: no data/osv in $VULNDB_MODULE@$version" >&2; exit 1; }
	mkdir -p "$work/gen"
	cat >"$work/gen/main.go" <<-'EOF'
	// Lays out a directory of OSV files as a v1 Go vulnerability database.
	// Usage: gen OSVDIR OUTDIR MODIFIED (RFC 3339, for entries without one)
	package main

	import (
		"encoding/json"
		"log"
		"os"
		"path/filepath"
		"slices"
		"strings"
		"time"
	)

	type moduleVuln struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
	}

	type module struct {
		Path  string       `json:"path"`
		Vulns []moduleVuln `json:"vulns"`
	}

	type vuln struct {
		ID       string    `json:"id"`
		Modified time.Time `json:"modified"`
		Aliases  []string  `json:"aliases,omitempty"`
	}

	func main() {
		log.SetFlags(0)
		osvDir, out := os.Args[1], os.Args[2]
		snapshot, err := time.Parse(time.RFC3339, os.Args[3])
		check(err)
		files, err := filepath.Glob(filepath.Join(osvDir, "*.json"))
		check(err)
		if len(files) == 0 {
			log.Fatalf("no OSV files in %s", osvDir)
		}
		check(os.MkdirAll(filepath.Join(out, "ID"), 0o755))
		check(os.MkdirAll(filepath.Join(out, "index"), 0o755))
		var newest time.Time
		modules := map[string]*module{}
		var vulns []vuln
		for _, f := range files {
			b, err := os.ReadFile(f)
			check(err)
			var raw map[string]json.RawMessage // the entry, rewritten as is
			check(json.Unmarshal(b, &raw))
			var e struct {
				ID       string    `json:"id"`
				Modified time.Time `json:"modified"`
				Aliases  []string  `json:"aliases"`
				Affected []struct {
					Package struct {
						Name string `json:"name"`
					} `json:"package"`
				} `json:"affected"`
			}
			check(json.Unmarshal(b, &e))
			if e.ID == "" || filepath.Base(f) != e.ID+".json" {
				log.Fatalf("%s: id %q does not match the file name", f, e.ID)
			}
			if e.Modified.IsZero() {
				e.Modified = snapshot
				raw["modified"], err = json.Marshal(snapshot)
				check(err)
			}
			if e.Modified.After(newest) {
				newest = e.Modified
			}
			vulns = append(vulns, vuln{e.ID, e.Modified, e.Aliases})
			for _, a := range e.Affected {
				m := modules[a.Package.Name]
				if m == nil {
					m = &module{Path: a.Package.Name}
					modules[m.Path] = m
				}
				// One line a module and entry, however many ranges it has.
				if !slices.ContainsFunc(m.Vulns, func(v moduleVuln) bool { return v.ID == e.ID }) {
					m.Vulns = append(m.Vulns, moduleVuln{e.ID, e.Modified})
				}
			}
			write(filepath.Join(out, "ID", e.ID+".json"), raw)
		}
		slices.SortFunc(vulns, func(a, b vuln) int { return strings.Compare(a.ID, b.ID) })
		var mods []*module
		for _, m := range modules {
			slices.SortFunc(m.Vulns, func(a, b moduleVuln) int { return strings.Compare(a.ID, b.ID) })
			mods = append(mods, m)
		}
		slices.SortFunc(mods, func(a, b *module) int { return strings.Compare(a.Path, b.Path) })
		write(filepath.Join(out, "index", "vulns.json"), vulns)
		write(filepath.Join(out, "index", "modules.json"), mods)
		// Last: its presence marks a complete database.
		write(filepath.Join(out, "index", "db.json"), map[string]time.Time{"modified": newest})
		log.Printf("%d entries, %d modules", len(vulns), len(mods))
	}

	func write(name string, v any) {
		b, err := json.Marshal(v)
		check(err)
		check(os.WriteFile(name, b, 0o644))
	}

	func check(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	EOF
	(cd "$work/gen" && go run main.go "$src/data/osv" "$work/db" "$when")
	# Another run may have built it meanwhile; then keep that one.
	[[ -f "$db/index/db.json" ]] || rm -rf "$db"
	mv -T "$work/db" "$db" 2>/dev/null || [[ -f "$db/index/db.json" ]]
	find "$cache" -mindepth 1 -maxdepth 1 -name 'v*' -type d ! -name "$version" -exec rm -rf {} +
fi

modified=$(sed -n 's/.*"modified":"\([0-9-]*\)T.*/\1/p' "$db/index/db.json")
age=$(( ( $(date -u +%s) - $(date -u -d "$modified" +%s) ) / 86400 ))
echo "== vulnerability database: $VULNDB_MODULE@$version, as of $modified ($age days old)"
if (( age > 30 )); then
	echo "govulncheck.sh: warning: the database is $age days old; the Go module proxy has no newer $VULNDB_MODULE" >&2
fi

# The binary, in the cache: `go run` would turn govulncheck's exit status 3
# (affected) into 1. One per Go version too: govulncheck type-checks the
# standard library of the go command on PATH (or GOTOOLCHAIN's) with the
# go/types it was built with, which must be at least as new.
goversion=$(go env GOVERSION)
bin="$cache/bin/$GOVULNCHECK_VERSION-$goversion/govulncheck"
if [[ ! -x "$bin" ]]; then
	(cd "$work" && GOBIN="$(dirname "$bin")" go install "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION")
fi
echo "== govulncheck@$GOVULNCHECK_VERSION ($goversion) ${args[*]}"
status=0
"$bin" -db "file://$db" "${args[@]}" || status=$?
if [[ $status -eq 3 ]]; then
	echo "govulncheck.sh: the code calls vulnerable symbols: upgrade to the 'Fixed in' versions above" >&2
fi
exit "$status"
