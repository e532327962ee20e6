# Engine targets: the runnable jar (+ its class-data-sharing archive), running it, and its benchmark.
.PHONY: engine engine-aot engine-run bench bench-startup

ENGINE_JAR = engine/target/seldonj-engine-0.1.0-SNAPSHOT.jar
ENGINE_CDS = engine/target/engine.jsa
ENGINE_AOT = engine/target/engine.aot
# A JDK 25 for the image's ahead-of-time cache (bench-startup's aot mode); unset: not measured.
AOT_JAVA ?= $(if $(JDK25_HOME),$(JDK25_HOME)/bin/java)
SDEP ?= examples/seldon-model.yaml

engine: ## Build the engine's runnable jar and its CDS archive (faster start-up)
	$(MVN) -q -pl engine install -DskipTests
	@# The archive records the jar's path: absolute, so the benchmark and any working directory can use it.
	$(JAVA) -XX:ArchiveClassesAtExit=$(ENGINE_CDS) -Xmx128m -jar $(CURDIR)/$(ENGINE_JAR) \
	  --file examples/seldon-model.yaml --http_port 0 --grpc_port 0 --dry_run >/dev/null 2>&1

engine-aot: engine ## JDK 25's AOT cache of what start-up loads and links, as the image builds it, for bench-startup's aot mode (needs a JDK 25: JDK25_HOME or AOT_JAVA)
	@test -n "$(AOT_JAVA)" || { echo "AOT_JAVA: no JDK 25 found; set AOT_JAVA=/path/to/jdk25/bin/java" >&2; exit 1; }
	$(AOT_JAVA) --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:AOTCacheOutput=$(CURDIR)/$(ENGINE_AOT) -Xmx128m -jar $(CURDIR)/$(ENGINE_JAR) \
	  --file examples/seldon-model.yaml --http_port 0 --grpc_port 0 --dry_run >/dev/null 2>&1

engine-run: engine ## Run the engine on a SeldonDeployment file: make engine-run SDEP=file.yaml
	$(JAVA) -XX:SharedArchiveFile=$(ENGINE_CDS) -Xmx128m -jar $(CURDIR)/$(ENGINE_JAR) --file $(SDEP)

bench: engine ## Engine benchmark: direct, nginx hop (REST and gRPC), engine and PEER_EXECUTOR side by side, REPS repetitions, min ratios, latency at a constant rate; see docs/engine.md
	bench/engine-bench.sh

bench-startup: engine $(if $(AOT_JAVA),engine-aot) ## Engine start-up: ms from `java` to the first 200 on /live: no archive, the CDS archive, JDK 25's AOT cache when AOT_JAVA is found (RUNS=5)
	JAVA="$(JAVA)" AOT_JAVA="$(AOT_JAVA)" bench/engine-startup.sh

.PHONY: soak
soak: engine ## Soak the engine jar at -Xmx128m: load plus faults for SOAK_MINUTES (default 10); not in CI. See docs/engine.md
	JAVA="$(JAVA)" bench/soak.sh
