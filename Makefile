GO      ?= go
BIN     := bin/flireo-sim
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: demo test build lint bench clean e2e

## build: compile bin/flireo-sim
build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/flireo-sim

## demo: build, start the reference integrator on a loopback port, play varied calls
demo: build
	./$(BIN) demo

## test: formatting, vet and the whole test suite with the race detector
test: lint
	$(GO) test -race -count=1 -timeout 8m ./...

## lint: gofmt and go vet
lint:
	@out="$$(gofmt -l .)"; \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## bench: the rendering, signing and engine benchmarks
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./simulator/...

clean:
	rm -rf bin

## e2e: browser tests (HTML report, dashboard) in headless Chromium; installs Debian's chromium when missing
e2e:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)
	FLIREO_E2E=1 $(GO) test -count=1 -run 'E2E' ./...
