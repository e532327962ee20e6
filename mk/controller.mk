# The controller: fat jar, render, benchmark. See docs/controller.md.
.PHONY: controller render bench-controller

CONTROLLER_JAR = controller/target/seldonj-controller-0.1.0-SNAPSHOT.jar

controller: ## Build the controller's runnable jar (no tests; api built in the same reactor, nothing installed)
	$(MVN) -q -pl controller -am package -DskipTests

render: controller ## Print the objects the controller creates for FILE (make render FILE=examples/seldon-model.yaml)
	$(JAVA) -jar $(CONTROLLER_JAR) render -f $(or $(FILE),examples/seldon-model.yaml)

bench-controller: node ## 500 SeldonDeployments on the test cluster (kwok node, as root): convergence, Available, heap, idle CPU
	$(MVN) -pl e2e verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=ControllerClusterBench -Dfailsafe.failIfNoSpecifiedTests=false -DtrimStackTrace=false
	@cat e2e/target/bench-controller.txt
