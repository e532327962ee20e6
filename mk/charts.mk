# Helm charts (charts/, values/). `make charts-test` needs only Java and Maven (the embedded Helm of
# helm-java, offline); charts-lint and charts-render use the helm CLI: $(HELM) when set, else Helm
# built once into .tools/cluster/bin by ci/cluster/build-tools.sh (its pinned version; needs Go and the
# Go module proxy), the same helm the cluster tests use.
HELM_TOOL := .tools/cluster/bin/helm
HELM ?= $(HELM_TOOL)
CHART ?= seldon-core-operator
RELEASE ?= $(CHART)
NAMESPACE ?= seldon-system
VALUES ?=
SET ?=

.PHONY: charts-test charts-lint charts-render

$(HELM_TOOL):
	ci/cluster/build-tools.sh helm

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

.PHONY: charts-schema
charts-schema: ## Regenerate the operator chart's values.schema.json and docs/charts.md's values table from its annotated values.yaml
	$(MVN) -q -pl charts-test -am verify -Dtest=GeneratedValuesFilesTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=NONE -Dfailsafe.failIfNoSpecifiedTests=false -Dcharts.regenerate=true
