# Helm charts (charts/, values/). `make charts-test` needs only Java and Maven (the embedded Helm of
# helm-java, offline); charts-lint and charts-render use the helm CLI: $(HELM) when set, else Helm
# $(HELM_VERSION) built once into .tools/ with `go install` (needs Go and the Go module proxy).
HELM_VERSION ?= v3.16.4
HELM_TOOL := .tools/bin/helm
HELM ?= $(HELM_TOOL)
CHART ?= seldon-core-operator
RELEASE ?= $(CHART)
NAMESPACE ?= seldon-system
VALUES ?=
SET ?=

.PHONY: charts-test charts-lint charts-render

$(HELM_TOOL):
	GOBIN=$(CURDIR)/.tools/bin go install helm.sh/helm/v3/cmd/helm@$(HELM_VERSION)

charts-test: ## Lint and render every chart and values file with the embedded Helm, and check the objects
	$(MVN) -pl charts-test -am install

charts-lint: $(if $(filter $(HELM_TOOL),$(HELM)),$(HELM_TOOL)) ## helm lint --strict every chart (and the umbrella example)
	@set -e; for chart in charts/*/; do $(HELM) lint --strict "$$chart"; done
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	  mkdir -p "$$tmp/charts" "$$tmp/values"; cp -r charts/seldon-core-operator "$$tmp/charts/"; cp -r values/umbrella "$$tmp/values/"; \
	  $(HELM) dependency build "$$tmp/values/umbrella" >/dev/null; $(HELM) lint --strict "$$tmp/values/umbrella"

charts-render: $(if $(filter $(HELM_TOOL),$(HELM)),$(HELM_TOOL)) ## Print a chart's objects offline: CHART=seldon-single-model VALUES=values/x.yaml SET=model.image.name=...
	@$(HELM) template $(RELEASE) charts/$(CHART) --namespace $(NAMESPACE) \
	  $(foreach file,$(VALUES),--values '$(file)') $(foreach set,$(SET),--set '$(set)')
