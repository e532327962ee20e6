# Distributed tracing (docs/tracing.md): a real trace store for the tests, Jaeger v2 (OTLP in, memory storage,
# its query API out) built from its Go module at a pinned version into .tools/tracing/bin (git-ignored).
JAEGER_VERSION := v1.75.0
TRACING_TOOLS := .tools/tracing
JAEGER_STAMP := $(TRACING_TOOLS)/.jaeger-$(JAEGER_VERSION)

.PHONY: tracing-tools tracing-jaeger

tracing-tools: $(JAEGER_STAMP) ## Jaeger (go build, pinned) into .tools/tracing/bin for the tracing tests; once

# Jaeger's module has replace directives, so `go install pkg@version` refuses it: a throw-away module in the
# tools folder requires it as a tool instead, and go builds it from there.
$(JAEGER_STAMP):
	@mkdir -p $(TRACING_TOOLS)/module $(TRACING_TOOLS)/bin
	cd $(TRACING_TOOLS)/module && rm -f go.mod go.sum && printf 'module seldonj.local/tracing-tools\n\ngo 1.24\n' > go.mod \
	  && GOFLAGS=-mod=mod go get -tool github.com/jaegertracing/jaeger/cmd/jaeger@$(JAEGER_VERSION) \
	  && GOFLAGS=-mod=mod CGO_ENABLED=0 go build -o $(abspath $(TRACING_TOOLS)/bin/jaeger) github.com/jaegertracing/jaeger/cmd/jaeger
	@rm -f $(TRACING_TOOLS)/.jaeger-* && touch $@

tracing-jaeger: tracing-tools ## Run Jaeger on loopback: OTLP/HTTP on 4318, UI and query API on 16686 (Ctrl-C stops)
	ci/tracing/jaeger.sh 4318 16686
