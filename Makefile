# Thin wrappers: the README names these targets, .ci/run calls `make test`.
GO ?= go
PKGS ?= ./...

.PHONY: run test test-short bench lint build

run:
	$(GO) run ./cmd/polgraph serve --demo

build:
	$(GO) build -o bin/polgraph ./cmd/polgraph

# Everything: lint, then every test with the race detector.
test: lint
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

# Unit tests only: no services, no long end-to-end runs.
test-short:
	$(GO) test -short -count=1 $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
