# The prepackaged model servers (servers/, docs/prepackaged.md): SKLEARN_SERVER, XGBOOST_SERVER and
# MLFLOW_SERVER on the Seldon protocol, each a class run by this project's wrapper from its own pinned
# virtualenv in .venv-servers/<name>/ (git-ignored), and MLServer for the v2 protocol in .venv-mlserver/.
PYTHON ?= python3
SERVERS_VENVS := .venv-servers
SERVER_NAMES := sklearn xgboost mlflow
SERVER_STAMPS := $(SERVER_NAMES:%=$(SERVERS_VENVS)/%/.seldonj-installed)
MLSERVER_VENV := .venv-mlserver
MLSERVER_STAMP := $(MLSERVER_VENV)/.seldonj-installed
# The wrapper's test-only pins (the same filter as the Dockerfiles).
WRAPPER_TEST_ONLY := ^(setuptools|pytest|iniconfig|pluggy|Pygments)==
SERVERS_WRAPPER_SOURCES := $(shell find python/src -type f -not -name '*.pyc' 2>/dev/null) python/pyproject.toml

.PHONY: servers-venv mlserver-venv servers-test

servers-venv: $(SERVER_STAMPS) ## Create .venv-servers/{sklearn,xgboost,mlflow}: the wrapper and each prepackaged server's pinned dependencies

# One virtualenv per server: the wrapper's runtime pins, the server's pins, then the wrapper itself.
$(SERVERS_VENVS)/%/.seldonj-installed: python/requirements.lock servers/%server/requirements.lock $(SERVERS_WRAPPER_SOURCES)
	@test -x $(@D)/bin/python || $(PYTHON) -m venv $(@D)
	@grep -vE '$(WRAPPER_TEST_ONLY)' python/requirements.lock > $(@D)/wrapper-runtime.txt
	$(@D)/bin/pip install --disable-pip-version-check -q -r $(@D)/wrapper-runtime.txt -r servers/$*server/requirements.lock
	$(@D)/bin/pip install --disable-pip-version-check -q --no-deps --force-reinstall ./python
	@rm -rf python/build python/src/*.egg-info
	@touch $@

mlserver-venv: $(MLSERVER_STAMP) ## Create .venv-mlserver: MLServer and its sklearn, xgboost and mlflow runtimes (v2 protocol), pinned

# The lock is complete (every transitive package), so it installs with --no-deps: that is what lets it
# carry xgboost-cpu and mlflow-skinny where the runtimes name the much larger xgboost and mlflow.
$(MLSERVER_STAMP): servers/mlserver/requirements.lock
	@test -x $(MLSERVER_VENV)/bin/python || $(PYTHON) -m venv $(MLSERVER_VENV)
	$(MLSERVER_VENV)/bin/pip install --disable-pip-version-check -q --no-deps -r servers/mlserver/requirements.lock
	@touch $@

servers-test: wrapper-venv servers-venv mlserver-venv ## The servers' tests: each server and MLServer as real processes on free ports, REST and gRPC (pytest)
	cd servers && ../$(WRAPPER_VENV)/bin/python -m pytest tests
