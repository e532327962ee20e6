# Benchmark of the Python wrappers: Seldon's seldon-core-microservice (.venv, `make venv`) against this
# project's drop-in (.venv-wrapper, `make wrapper-venv`), same run, same machine. Knobs (make variables or
# env): DURATION, WARMUP, OUT, WRAPPERS, WORKERS, CONNS, THREADS, PARTS. See docs/python-wrapper-benchmark.md.
.PHONY: bench-python-wrapper

bench-python-wrapper: venv wrapper-venv ## Seldon's Python wrapper vs ours (MyModel; 1 and 4 workers; REST, 1 MiB, gRPC): req/s, p50, p99
	bench/python-wrapper-bench.sh
