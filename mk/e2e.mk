# The real-cluster tier (module e2e/, docs/cluster.md): helm install -> deploy -> predict -> delete on
# the test cluster of ci/cluster (started by the tests when it is not up; as root).
.PHONY: e2e

e2e: cluster-tools ## The real-cluster tests: install -> deploy -> predict -> delete on kube-apiserver (as root; builds what it runs)
	$(MVN) -pl e2e -am install -DskipTests
	$(MVN) -pl node,e2e verify
