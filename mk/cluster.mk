# The test cluster (ci/cluster/): a real control plane + the project's node agent on this machine,
# no Docker. `make cluster-up` prints `export KUBECONFIG=...`; docs/cluster.md explains the rest.
.PHONY: cluster-tools cluster-up cluster-down cluster-wipe node

cluster-tools: ## Build the pinned kube-apiserver, kube-controller-manager, kube-scheduler, kwok and helm into .tools/cluster (once)
	ci/cluster/build-tools.sh

node: ## Build the node agent's jar and what its pods run (engine, components, controller)
	$(MVN) -q install -DskipTests -pl node,engine,components,controller -am

cluster-up: node ## Start the test cluster (as root): control plane, pod network, node agent, gateway on localhost:8003 (KWOK=1 adds a fake node)
	ci/cluster/up.sh

cluster-down: ## Stop the test cluster's processes and remove its pod network (keeps etcd data)
	ci/cluster/down.sh

cluster-wipe: ## cluster-down, then delete the cluster's state (.run/cluster)
	ci/cluster/down.sh --wipe
