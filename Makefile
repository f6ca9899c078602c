GO      ?= go
BIN     := bin/flireo-sim
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
STATICCHECK ?= v0.8.2

.PHONY: demo test build lint bench clean e2e bench-load zoo-deps figures image realism

## build: compile bin/flireo-sim
build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/flireo-sim

## demo: build, start the reference integrator on a loopback port, play varied calls
demo: build
	./$(BIN) demo

## test: formatting, vet and the whole test suite with the race detector
test: lint
	$(GO) test -race -count=1 -timeout 15m ./...

## lint: gofmt, go vet and staticcheck (a pinned version, run from the module proxy)
lint:
	@out="$$(gofmt -l .)"; \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK) ./...

## zoo-deps: python3 and node, which run the zoo of independent integrators (Debian packages when missing)
test: zoo-deps
zoo-deps:
	@command -v python3 >/dev/null 2>&1 && command -v node >/dev/null 2>&1 || \
	  (apt-get update -qq && apt-get install -y -qq python3 nodejs >/dev/null)

## bench: the rendering, signing and engine benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./simulator/...

## realism: play 500 seeded calls per dialect against the reference integrator and the zoo's booking backends; print the realism figures
realism: zoo-deps
	FLIREO_REALISM_FULL=1 $(GO) test -count=1 -run '^TestRealismAgainst' -v -timeout 30m ./simulator/realism/

## figures: code-size figures (files over 600 lines, functions over 80 lines or complexity 15, exported identifiers)
figures:
	$(GO) run ./.ci/figures

## bench-load: load figures against flireo-sim sink on loopback, with vegeta on the same sink (about 15 minutes)
bench-load: build bin/vegeta
	@test -x /usr/bin/time || (apt-get update -qq && apt-get install -y -qq time >/dev/null)
	FLIREO_BENCH_LOAD=1 FLIREO_SIM_BIN=$(CURDIR)/$(BIN) VEGETA=$(CURDIR)/bin/vegeta FLIREO_BENCH_OUT=$(CURDIR)/bin/bench-load.txt \
	  $(GO) test -count=1 -run '^TestBenchLoad$$' -v -timeout 30m ./simulator/load/
	@echo "figures written to bin/bench-load.txt"

# vegeta is a tool for the comparison, not a dependency of the module: go
# install @latest, or (where the module proxy lists no versions) a build of
# the pinned v12.12.0 in a throwaway module.
bin/vegeta:
	@mkdir -p bin
	GOBIN=$(CURDIR)/bin $(GO) install github.com/tsenart/vegeta/v12@latest 2>/dev/null || { \
	  d=$$(mktemp -d) && \
	  printf 'module vegbuild\n\ngo 1.22\n\nrequire github.com/tsenart/vegeta/v12 v12.12.0\n' > $$d/go.mod && \
	  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/tsenart/vegeta/v12"\n' > $$d/tools.go && \
	  (cd $$d && GOFLAGS=-mod=mod $(GO) build -o $(CURDIR)/bin/vegeta github.com/tsenart/vegeta/v12); \
	  s=$$?; rm -rf $$d; exit $$s; }

clean:
	rm -rf bin

## e2e: browser tests (HTML report, dashboard) in headless Chromium; installs Debian's chromium when missing
e2e:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)
	FLIREO_E2E=1 $(GO) test -count=1 -run 'E2E' ./...

## image: the container image of deploy/container/Containerfile with docker or podman (IMAGE=name:tag to name it)
IMAGE ?= flireo-sim:$(VERSION)
image:
	@engine=$$(command -v docker || command -v podman) || { \
	  echo "make image: neither docker nor podman is installed; install one of them, or build the static binary alone:"; \
	  echo "  CGO_ENABLED=0 go build -trimpath -o bin/flireo-sim ./cmd/flireo-sim"; exit 1; }; \
	  echo "$$engine build -f deploy/container/Containerfile --build-arg VERSION=$(VERSION) -t $(IMAGE) ."; \
	  $$engine build -f deploy/container/Containerfile --build-arg VERSION=$(VERSION) -t $(IMAGE) .
