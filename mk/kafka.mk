# Kafka: the throughput of --server_type kafka against a real broker (KRaft, started from the test classpath).
.PHONY: bench-kafka

BENCH_KAFKA_RECORDS ?= 20000
BENCH_KAFKA_WORKERS ?= 1 4 16

bench-kafka: ## Kafka server type throughput: records/s through a one-model graph, at least once (not in CI); see docs/kafka.md
	$(MVN) -q -pl engine -am test-compile
	$(MVN) -q -pl engine dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
	$(JAVA) -Xmx1g -cp "engine/target/test-classes:engine/target/classes:api/target/classes:$$(cat engine/target/test-classpath.txt)" \
	  dev.seldonj.engine.kafka.KafkaBench $(BENCH_KAFKA_RECORDS) $(BENCH_KAFKA_WORKERS)
