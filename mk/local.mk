# Local runner (module local/) and the kind CI flow (ci/).
RUN_FILE ?= examples/seldon-model.yaml
RUN_NAMESPACE ?= default
RUN_ARGS ?=
SHELLCHECK_VERSION := 0.9.0
# The modules `make run` needs, among those present in this checkout (the SeldonDeployment is rendered
# in-process by the desired module, which `-am` builds; the controller jar is not needed).
LOCAL_RUN_MODULES := $(shell m=local; for d in engine components; do [ -f $$d/pom.xml ] && m="$$m,$$d"; done; echo $$m)

.PHONY: run lint-ci test-local

run: ## Run RUN_FILE (default examples/seldon-model.yaml) locally: gateway http://localhost:8003, Ctrl-C stops
	$(MVN) -q install -DskipTests -pl $(LOCAL_RUN_MODULES) -am
	$(JAVA) -jar local/target/seldonj-local.jar run -f $(RUN_FILE) --namespace $(RUN_NAMESPACE) $(RUN_ARGS)

test-local: ## Unit and integration tests of the local runner and the CI files
	$(MVN) -pl local install

lint-ci: ## shellcheck every shell script (ci/, bench/, values/) (installs shellcheck $(SHELLCHECK_VERSION) from apt when missing)
	@command -v shellcheck >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y shellcheck; else sudo apt-get install -y shellcheck; fi; }
	@version="$$(shellcheck --version | sed -n 's/^version: //p')"; \
	  [ "$$version" = "$(SHELLCHECK_VERSION)" ] || { \
	    echo "shellcheck $$version found, $(SHELLCHECK_VERSION) expected (the version ci/ is checked with)"; exit 1; }
	shellcheck ci/*.sh ci/*/*.sh bench/*.sh values/emissary/*.sh servers/storage-initializer/*.sh
