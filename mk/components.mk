# Example components: one jar, one image per component (docs/components.md).
COMPONENTS := mock-classifier identity-model mean-transformer fixed-router average-combiner scale-output-transformer
COMPONENTS_VERSION ?= 0.1.0
COMPONENTS_JAR := components/target/seldonj-components.jar

.PHONY: components components-images run-component

components: ## Build the example components' jar (components/target/seldonj-components.jar)
	$(MVN) -q -pl api,wrapper,components -am install -DskipTests

components-images: components ## Build seldonj/<component>:$(COMPONENTS_VERSION) images (needs Docker)
	@for c in $(COMPONENTS); do \
	  docker build -f components/Dockerfile --build-arg COMPONENT=$$c -t seldonj/$$c:$(COMPONENTS_VERSION) components || exit 1; \
	done

run-component: ## Run one example component: make run-component C=mock-classifier
	$(JAVA) -jar $(COMPONENTS_JAR) $(C)
