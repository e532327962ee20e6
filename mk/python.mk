# The Apache-2.0 Python wrapper (python/, docs/python-wrapper.md): a pinned virtualenv in .venv-wrapper/
# (git-ignored) with the package installed as a user's image would install it, and its tests.
WRAPPER_VENV := .venv-wrapper
WRAPPER_STAMP := $(WRAPPER_VENV)/.seldonj-installed
WRAPPER_SOURCES := $(shell find python/src -type f -not -name '*.pyc' 2>/dev/null) python/pyproject.toml

.PHONY: wrapper-venv wrapper-test wrapper-protos wrapper-dist

wrapper-venv: $(WRAPPER_STAMP) ## Create .venv-wrapper: the pinned dependencies and this project's seldon-core-microservice

$(WRAPPER_STAMP): python/requirements.lock $(WRAPPER_SOURCES)
	@test -x $(WRAPPER_VENV)/bin/python || $(PYTHON) -m venv $(WRAPPER_VENV)
	$(WRAPPER_VENV)/bin/pip install --disable-pip-version-check -q -r python/requirements.lock
	$(WRAPPER_VENV)/bin/pip install --disable-pip-version-check -q --no-deps --no-build-isolation --force-reinstall ./python
	@rm -rf python/build python/src/*.egg-info
	@touch $@

wrapper-test: wrapper-venv ## The Python wrapper's own tests (pytest: units, then real processes on free ports)
	cd python && ../$(WRAPPER_VENV)/bin/python -m pytest

wrapper-protos: ## Regenerate python/src/seldonj_wrapper/proto from api/src/main/proto (pinned grpcio-tools)
	python/generate-protos.sh

wrapper-dist: wrapper-venv ## Build the wheel and sdist into python/dist (what a release publishes)
	cd python && ../$(WRAPPER_VENV)/bin/pip wheel --no-deps --no-build-isolation -w dist . -q && ls dist
