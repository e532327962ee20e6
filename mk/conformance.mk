# Protocol conformance (conformance/, docs/conformance.md): the engine jar as a real process, checked with real
# clients: tritonclient against MLServer (the Open Inference Protocol), schemathesis against the served OpenAPI
# document, grpcurl through the local runner's gateway. Clients in .venv-conformance, grpcurl in .tools/grpcurl.
PYTHON ?= python3
CONFORMANCE_VENV := .venv-conformance
CONFORMANCE_STAMP := $(CONFORMANCE_VENV)/.seldonj-installed
GRPCURL_VERSION := v1.9.4
GRPCURL_TOOLS := .tools/grpcurl
GRPCURL_STAMP := $(GRPCURL_TOOLS)/.grpcurl-$(GRPCURL_VERSION)
# `make test-fast` (no Go) sets CONFORMANCE_GRPCURL=no: the reflection test is skipped, naming why.
CONFORMANCE_GRPCURL ?= yes

.PHONY: conformance-venv conformance-test grpcurl-tool

conformance-venv: $(CONFORMANCE_STAMP) ## Create .venv-conformance: tritonclient[http,grpc] and schemathesis, pinned

$(CONFORMANCE_STAMP): conformance/requirements.lock
	@test -x $(CONFORMANCE_VENV)/bin/python || $(PYTHON) -m venv $(CONFORMANCE_VENV)
	$(CONFORMANCE_VENV)/bin/pip install --disable-pip-version-check -q --no-deps -r conformance/requirements.lock
	@touch $@

grpcurl-tool: $(GRPCURL_STAMP) ## Build grpcurl $(GRPCURL_VERSION) into .tools/grpcurl/bin (go install, pinned)

$(GRPCURL_STAMP):
	@mkdir -p $(GRPCURL_TOOLS)/bin
	GOBIN=$(abspath $(GRPCURL_TOOLS)/bin) CGO_ENABLED=0 go install github.com/fullstorydev/grpcurl/cmd/grpcurl@$(GRPCURL_VERSION)
	@rm -f $(GRPCURL_TOOLS)/.grpcurl-* && touch $@

conformance-test: conformance-venv mlserver-venv $(if $(filter no,$(CONFORMANCE_GRPCURL)),,grpcurl-tool) ## The engine jar against MLServer (tritonclient), fuzzed (schemathesis), reflected through the local gateway (grpcurl)
	cd conformance && CONFORMANCE_GRPCURL=$(CONFORMANCE_GRPCURL) ../$(CONFORMANCE_VENV)/bin/python -m pytest tests
