# Compatibility with Seldon's own Python wrapper and clients: a pinned virtualenv in .venv/ (git-ignored).
PYTHON ?= python3
VENV := .venv
VENV_STAMP := $(VENV)/.seldonj-requirements

.PHONY: venv venv-clean compat-test

venv: $(VENV_STAMP) ## Create .venv with the pinned seldon-core, scikit-learn and joblib (skipped when up to date)

$(VENV_STAMP): compat/requirements.txt
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check -q -r compat/requirements.txt
	$(VENV)/bin/python -c "import seldon_core.microservice, seldon_core.seldon_client, sklearn, joblib"
	@touch $@

venv-clean: ## Remove the Python virtualenv
	rm -rf $(VENV)

compat-test: venv ## Run the compatibility tests against Seldon's Python wrapper and clients
	$(MVN) -pl api,wrapper,components,compat -am install
