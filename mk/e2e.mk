# End-to-end test (module e2e/): Helm-rendered charts -> controller on the mock API server -> the pod run
# locally -> predictions through the gateway -> delete. See docs/e2e.md.
.PHONY: e2e

e2e: ## Install -> deploy -> predict -> delete with everything real but the cluster (builds what it runs)
	$(MVN) -pl e2e -am install -DskipTests
	$(MVN) -pl e2e verify
