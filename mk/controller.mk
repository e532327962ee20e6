# The controller: fat jar, render, benchmark. See docs/controller.md.
.PHONY: controller render bench-controller

CONTROLLER_JAR = controller/target/seldonj-controller-0.1.0-SNAPSHOT.jar

controller: ## Build the controller's runnable jar (no tests; api built in the same reactor, nothing installed)
	$(MVN) -q -pl controller -am package -DskipTests

render: controller ## Print the objects the controller creates for FILE (make render FILE=examples/seldon-model.yaml)
	$(JAVA) -jar $(CONTROLLER_JAR) render -f $(or $(FILE),examples/seldon-model.yaml)

bench-controller: controller ## 500 SeldonDeployments against the mock API server: convergence time, heap, idle CPU
	$(MVN) -pl controller -am verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dit.test=ControllerBench -Dfailsafe.failIfNoSpecifiedTests=false -DtrimStackTrace=false
	@cat controller/target/bench-controller.txt
