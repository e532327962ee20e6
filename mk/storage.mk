# The storage initializer (servers/storage-initializer/, docs/storage-initializer.md) and the real
# S3 and GCS APIs its tests run against on loopback: rclone (Debian's package), fake-gcs-server
# built from its Go module into .tools/storage/bin, and moto's server in .venv-storage (git-ignored).
PYTHON ?= python3
FAKE_GCS_SERVER_VERSION := v1.53.1
STORAGE_TOOLS := .tools/storage
STORAGE_VENV := .venv-storage
STORAGE_VENV_STAMP := $(STORAGE_VENV)/.seldonj-requirements
STORAGE_REQUIREMENTS := servers/storage-initializer/tests/requirements.txt
FAKE_GCS_SERVER_STAMP := $(STORAGE_TOOLS)/.fake-gcs-server-$(FAKE_GCS_SERVER_VERSION)
GCS_PORT ?= 4443

.PHONY: storage-tools storage-rclone storage-test gcs-seed-bucket

storage-tools: storage-rclone $(FAKE_GCS_SERVER_STAMP) $(STORAGE_VENV_STAMP) ## rclone (apt), fake-gcs-server (go install, pinned) and .venv-storage (moto, pytest); once

storage-rclone:
	@command -v rclone >/dev/null || { \
	  sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get install -y -q rclone || { $$sudo apt-get update -q && $$sudo apt-get install -y -q rclone; }; }

$(FAKE_GCS_SERVER_STAMP):
	@mkdir -p $(STORAGE_TOOLS)/bin
	GOBIN=$(abspath $(STORAGE_TOOLS)/bin) CGO_ENABLED=0 go install github.com/fsouza/fake-gcs-server@$(FAKE_GCS_SERVER_VERSION)
	@rm -f $(STORAGE_TOOLS)/.fake-gcs-server-* && touch $@

$(STORAGE_VENV_STAMP): $(STORAGE_REQUIREMENTS)
	@test -x $(STORAGE_VENV)/bin/python || $(PYTHON) -m venv $(STORAGE_VENV)
	$(STORAGE_VENV)/bin/pip install --disable-pip-version-check -q -r $(STORAGE_REQUIREMENTS)
	@touch $@

storage-test: storage-tools ## The storage initializer's tests: the real program against fake-gcs-server, moto (S3), local files and HTTP
	@test -x .venv-servers/sklearn/bin/python || test -x .venv/bin/python || $(MAKE) --no-print-directory venv
	$(STORAGE_VENV)/bin/python -m pytest servers/storage-initializer/tests

gcs-seed-bucket: storage-tools ## Serve a local GCS on GCS_PORT (default 4443) with the seeds' bucket seldon-models (Ctrl-C stops)
	@test -x .venv-servers/sklearn/bin/python || test -x .venv/bin/python || $(MAKE) --no-print-directory venv
	servers/storage-initializer/local-gcs.sh $(GCS_PORT)
