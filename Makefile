# bluestream monorepo. `make help` lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export GOTOOLCHAIN := local
export GOFLAGS := -buildvcs=false

# Pinned tool versions (see ../shared/TOOLCHAIN.md for what resolves here).
BUF_VERSION                  := v1.75.0
PROTOC_GEN_GO_VERSION        := v1.36.12
PROTOC_GEN_CONNECT_GO_VERSION := v1.21.1
PROTOVALIDATE_PROTO_VERSION  := v1.2.2

# Release builds (make images, make dist-bin) stamp this version: VERSION, else
# the IMAGE_TAG the release workflow passes, else the nearest v* tag, else a
# development version.
RELEASE_VERSION = $(or $(VERSION),$(IMAGE_TAG),$(shell git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null | sed 's/^v//'),0.0.0-dev)
REVISION ?= $(shell git rev-parse HEAD 2>/dev/null)
# Files in images are dated at the commit, so one commit gives one digest.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
IMAGE_REGISTRY ?= ghcr.io/bluestream/bluestream
VERSION_VAR := github.com/bluestream/bluestream/platform/buildinfo.version

BIN   := $(CURDIR)/bin
CACHE := $(CURDIR)/.cache
BUF   := $(BIN)/buf
MODULES := $(shell find . -name go.mod -not -path './.cache/*' -not -path './bin/*' -printf '%h\n' | sort)
BREAKING_AGAINST ?= main

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

.PHONY: setup
setup: $(BUF) $(BIN)/protoc-gen-go $(BIN)/protoc-gen-connect-go $(CACHE)/protovalidate/buf/validate/validate.proto ## install buf, protoc plugins and protovalidate's proto at pinned versions
	@for m in $(MODULES); do (cd $$m && go mod download); done

$(BUF):
	GOWORK=off GOBIN=$(BIN) go install github.com/bufbuild/buf/cmd/buf@$(BUF_VERSION)
$(BIN)/protoc-gen-go:
	GOWORK=off GOBIN=$(BIN) go install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)
$(BIN)/protoc-gen-connect-go:
	GOWORK=off GOBIN=$(BIN) go install connectrpc.com/connect/cmd/protoc-gen-connect-go@$(PROTOC_GEN_CONNECT_GO_VERSION)

# protovalidate's rules are a BSR dependency, which cannot be fetched here; the
# same file ships in the Go module github.com/bufbuild/protovalidate.
$(CACHE)/protovalidate/buf/validate/validate.proto:
	dir=$$(GOWORK=off go mod download -json github.com/bufbuild/protovalidate@$(PROTOVALIDATE_PROTO_VERSION) | sed -n 's/.*"Dir": "\(.*\)",/\1/p'); \
	mkdir -p $(CACHE)/protovalidate/buf/validate; \
	cp "$$dir/proto/protovalidate/buf/validate/validate.proto" $@; chmod u+w $@

.PHONY: generate
generate: setup ## regenerate gen/ from proto/
	@# Generate aside and swap, so a proto error leaves gen/ as it was.
	rm -rf $(CACHE)/gen
	PATH=$(BIN):$$PATH $(BUF) generate -o $(CACHE)/gen
	rm -rf gen/bluestream
	mv $(CACHE)/gen/gen/bluestream gen/bluestream

.PHONY: checkgenerate
checkgenerate: generate ## fail when gen/ differs from what buf generate writes
	@git add -N gen/bluestream >/dev/null 2>&1 || true
	@if ! git diff --quiet -- gen/bluestream; then git diff --stat -- gen/bluestream; echo "gen/ is stale: run make generate and commit" >&2; exit 1; fi

.PHONY: lint
lint: setup ## buf lint, buf breaking against main, go vet, gofmt
	$(BUF) lint
	./scripts/buf-breaking.sh $(BUF) $(BREAKING_AGAINST)
	@for m in $(MODULES); do echo "go vet $$m"; (cd $$m && go vet ./...); done
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

.PHONY: test
test: ## every module's tests with the race detector
	@failed=0; for m in $(MODULES); do echo "== go test $$m"; (cd $$m && go test -race -count=1 ./...) || failed=1; done; exit $$failed

.PHONY: bench
bench: ## every stage's benchmarks, with allocations
	@for m in $(MODULES); do (cd $$m && go test -run '^$$' -bench . -benchmem ./...) | grep -E '^(Benchmark|ok|FAIL|pkg:)' ; done

.PHONY: run
run: ## the whole system on this machine; ARGS="--mode inprocess" runs the services in one process
	go run ./stack/cmd/bluestream $(ARGS)

.PHONY: deploy-check
deploy-check: ## validate deploy/, packer/ and .github/ offline (kustomize, kubeconform, Go tests, actionlint, packer, shellcheck)
	bash deploy/check.sh

.PHONY: test-kafka
test-kafka: ## real Apache Kafka + MirrorMaker 2 suite (Java 17, Maven; jars cached in ~/.cache/bluestream)
	services/mirror-health/testkafka/run.sh

.PHONY: plugins
plugins: ## build the example transformer WASM plugin into bin/plugins
	mkdir -p bin/plugins
	cd services/transformer && GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o ../../bin/plugins/example.wasm ./plugins/example
	cp services/transformer/plugins/example/manifest.json bin/plugins/example.json

.PHONY: lambda
lambda: ## AWS Lambda zips (provided.al2023 bootstrap) into dist/lambda
	sh deploy/aws/build.sh dist/lambda

.PHONY: azfunc functions
azfunc: ## Azure Functions custom-handler app folders into dist/functions
	sh deploy/azure/build.sh dist/functions
functions: azfunc

.PHONY: bench-pipeline
bench-pipeline: ## drive the whole stack at rising rates: ads/s end to end, p50/p99 ingest-to-analyzer latency, raw broker throughput
	cd e2e && go test -run '^$$' -bench Pipeline -benchtime 5000x -timeout 30m .

.PHONY: images
images: ## the five services' multi-arch images (linux/amd64+arm64, static, nonroot 65532) as OCI layouts in dist/images; PUSH=1 pushes to IMAGE_REGISTRY/<service>:IMAGE_TAG
	cd deploy && SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) go run ./cmd/imagebuild -root $(CURDIR) -out $(CURDIR)/dist/images \
		-version $(RELEASE_VERSION) -revision "$(REVISION)" -tag $(or $(IMAGE_TAG),$(RELEASE_VERSION)) \
		$(if $(PUSH),-push -registry $(IMAGE_REGISTRY)) $(SERVICES)

.PHONY: dist-bin
dist-bin: ## ble-ingest and bluestream-simulator for the gateway and simulator VM images, into dist/bin/linux_{amd64,arm64}/
	@for arch in amd64 arm64; do \
		for cmd in ble-ingest bluestream-simulator; do \
			echo "go build $$cmd for linux/$$arch ($(RELEASE_VERSION))"; \
			CGO_ENABLED=0 GOOS=linux GOARCH=$$arch go build -trimpath -ldflags "-s -w -X $(VERSION_VAR)=$(RELEASE_VERSION)" \
				-o dist/bin/linux_$$arch/$$cmd ./services/ble-ingest/cmd/$$cmd; \
		done; \
	done
