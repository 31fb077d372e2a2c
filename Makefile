# Thin wrappers: the README names these targets, .ci/run calls `make test`.
GO ?= go
# Go 1.27.3, from the Go module proxy on first use: its standard library
# has security fixes 1.26.8 lacks (scripts/govulncheck.sh checks).
export GOTOOLCHAIN ?= go1.27.3
PKGS ?= ./...

.PHONY: run test test-short bench lint build

run:
	$(GO) run ./cmd/polgraph serve --demo

build:
	$(GO) build -o bin/polgraph ./cmd/polgraph

# Everything: lint, then every test with the race detector, the Neo4j
# backend's included. Without NEO4J_URI it starts the development Neo4j
# (scripts/neo4j.sh: built from Maven Central on first use) and leaves it
# running for the next run; `scripts/neo4j.sh stop` stops it.
test: lint
	@uri="$${NEO4J_URI:-}"; \
	if [ -z "$$uri" ]; then \
		uri=$$(scripts/neo4j.sh start) || { echo "make test: Neo4j did not start; see the log named by 'scripts/neo4j.sh log'. 'make test-short' runs the tests that need no services." >&2; exit 1; }; \
	fi; \
	echo "make test: Neo4j at $$uri"; \
	NEO4J_URI="$$uri" $(GO) test -race -count=1 -timeout 30m $(PKGS)

# Unit tests only: no services, no long end-to-end runs.
test-short:
	$(GO) test -short -count=1 $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
