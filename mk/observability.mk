# Analytics (charts/seldon-core-analytics, docs/analytics.md): the real Prometheus the analytics tests
# scrape a running graph with (Debian's package, pinned), and upstream's promtool of the same release
# built from its Go module into .tools/prometheus/bin (Debian's is built without the Kubernetes service
# discovery, so it cannot check the chart's configuration).
PROMETHEUS_DEB_VERSION := 2.42.0+ds-5+deb12u1
PROMTOOL_VERSION := v0.42.0
PROMETHEUS_TOOLS := .tools/prometheus
PROMTOOL_STAMP := $(PROMETHEUS_TOOLS)/.promtool-$(PROMTOOL_VERSION)

.PHONY: prometheus-tools prometheus-server

prometheus-tools: prometheus-server $(PROMTOOL_STAMP) ## Prometheus (Debian's package, pinned) and promtool (Go module, pinned) for the analytics chart's tests; once

prometheus-server: ## Debian's prometheus package (pinned), with the promtool that lints the wrappers' metrics
	@command -v prometheus >/dev/null || { \
	  sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus=$(PROMETHEUS_DEB_VERSION) \
	  || { $$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus=$(PROMETHEUS_DEB_VERSION); }; }

$(PROMTOOL_STAMP):
	ci/prometheus/build-promtool.sh $(PROMTOOL_VERSION) $(PROMETHEUS_TOOLS)/bin
	@rm -f $(PROMETHEUS_TOOLS)/.promtool-* && touch $@

# Debian's package also brings promtool, which lints the metrics the wrappers expose (`check metrics`); under
# `make test` the tests that need it fail instead of skipping when it is missing.
test: export SELDONJ_REQUIRE_PROMTOOL := 1
