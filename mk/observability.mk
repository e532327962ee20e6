# Observability tools the tests use.
PROMTOOL_DEB_VERSION ?= 2.42.0+ds-5+deb12u1

.PHONY: promtool
promtool: ## promtool (Debian's prometheus package, pinned), used to lint the metrics the components expose
	@command -v promtool >/dev/null || { \
	  sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get install -y -q prometheus=$(PROMTOOL_DEB_VERSION) \
	    || { $$sudo apt-get update -q && $$sudo apt-get install -y -q prometheus=$(PROMTOOL_DEB_VERSION); }; }

# `make test` installs it, and the tests that need it fail instead of skipping when it is missing there.
test: promtool
test: export SELDONJ_REQUIRE_PROMTOOL := 1
