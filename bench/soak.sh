#!/usr/bin/env bash
# Soak (`make soak`, not in CI): the engine jar at -Xmx128m under wrk load with faults mixed in (malformed heads,
# bad chunks, huge, endless-ish and compressed bodies, slowloris, half-sent bodies, idle keep-alive floods,
# pipelining, a hanging and a huge-answering component, large bodies and answers beyond the memory budget, a
# 100 MiB gRPC message). Prints throughput per slice, errors, heap after GC, RSS, threads and fds at start and end.
# Env: SOAK_MINUTES (default 10), SLICE_SECONDS (default 30), CONNS (wrk connections, default 16), ENGINE_JAR.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
MINUTES="${SOAK_MINUTES:-10}"
SLICE="${SLICE_SECONDS:-30}"
CONNS="${CONNS:-16}"
JAR="${ENGINE_JAR:-}"
[ -n "$JAR" ] || for candidate in "$ROOT"/engine/target/seldonj-engine-*.jar; do
  case "$candidate" in *original-*) ;; *) JAR="$candidate"; break ;; esac
done
[ -f "$JAR" ] || { echo "build the engine first: make engine" >&2; exit 1; }
command -v wrk >/dev/null || { echo "soak needs wrk (apt-get install wrk)" >&2; exit 1; }
JAVA="${JAVA:-java}"
BODY="$(mktemp /tmp/soak-body.XXXXXX)"
trap 'rm -f "$BODY"' EXIT
printf '{"data":{"names":["a","b"],"ndarray":[[1.0,2.0]]}}' > "$BODY"
echo "soak: $MINUTES min in ${SLICE}s slices, wrk -c$CONNS, engine $JAR at -Xmx128m ($(nproc) CPUs, $(date -u +%H:%MZ))"
exec "$JAVA" -Xmx2g -cp "$JAR" bench/Soak.java "$JAR" "$MINUTES" "$SLICE" "$CONNS" "$BODY"
