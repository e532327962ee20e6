# Compatibility with Seldon's own Python wrapper and clients: a pinned virtualenv in .venv/ (git-ignored).
PYTHON ?= python3
VENV := .venv
VENV_STAMP := $(VENV)/.seldonj-requirements

# The compat tests' models also need their own packages (scikit-learn, joblib) next to this project's
# Python wrapper, in .venv-wrapper (made by wrapper-venv, mk/python.mk), as a model image would have them.
WRAPPER_MODELS_STAMP := .venv-wrapper/.seldonj-compat-models

.PHONY: venv venv-clean compat-test wrapper-venv-models

venv: $(VENV_STAMP) ## Create .venv with the pinned seldon-core, scikit-learn and joblib (skipped when up to date)

$(VENV_STAMP): compat/requirements.txt
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check -q -r compat/requirements.txt
	$(VENV)/bin/python -c "import seldon_core.microservice, seldon_core.seldon_client, sklearn, joblib"
	@touch $@

wrapper-venv-models: wrapper-venv $(WRAPPER_MODELS_STAMP) ## Add the compat tests' model packages (compat/wrapper-model-requirements.txt) to .venv-wrapper

$(WRAPPER_MODELS_STAMP): compat/wrapper-model-requirements.txt .venv-wrapper/.seldonj-installed
	.venv-wrapper/bin/pip install --disable-pip-version-check -q -r compat/wrapper-model-requirements.txt
	.venv-wrapper/bin/python -c "import sklearn, joblib"
	@touch $@

venv-clean: ## Remove the Python virtualenv
	rm -rf $(VENV)

compat-test: venv wrapper-venv-models ## Run the compatibility tests against Seldon's Python wrapper and clients, and ours
	$(MVN) -pl api,wrapper,components,compat -am install
