# seldonj: build, test, run and benchmark. `make help` lists the targets.
SHELL := /bin/bash
MVN ?= mvn -B -ntp
JAVA ?= java
# A JDK 25, the engine image's: the engine's SIMD payload scanner is built with it and its tests run on it.
JDK25_HOME ?= $(firstword $(wildcard /usr/lib/jvm/temurin-25-jdk-*))
export JDK25_HOME

.DEFAULT_GOAL := help

.PHONY: help build test test-fast format crd clean

help: ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

build: ## Compile and package every module (no tests)
	$(MVN) -q install -DskipTests

test: cluster-tools storage-tools prometheus-tools tracing-tools ## Run every test: unit (*Test), integration (*IT) and the real-cluster tier (as root; builds the cluster's binaries and the storage, Prometheus and tracing test tools once)
	$(MVN) install

test-fast: ## Unit and integration tiers without the real cluster, the storage, Prometheus and tracing tools, grpcurl (no root, no Go needed)
	$(MVN) install -Dcluster.tests.exclude='%regex[.*(/cluster/|/models/|/analytics/|NodeAgentIT|TracingIT|TracedGraphIT).*]' -Dstorage.tests.skip=true -Dconformance.grpcurl=no

format: ## Apply the code style (palantir-java-format through Spotless; every build checks it)
	$(MVN) -q spotless:apply

crd: ## Regenerate the CRD in charts/seldon-core-operator from the Java model
	$(MVN) -q -pl api process-classes
	$(JAVA) -cp "api/target/classes:$$($(MVN) -q -pl api dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" \
	  dev.seldonj.api.crd.CrdFile .

clean: ## Remove build outputs
	$(MVN) -q clean

# Module-specific targets (run, bench, charts, ...) live beside this file, one file per area.
include $(wildcard mk/*.mk)
