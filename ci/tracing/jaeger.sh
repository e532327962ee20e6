#!/usr/bin/env bash
# Runs the Jaeger built by `make tracing-tools` on loopback only: OTLP/HTTP in on OTLP_PORT, the query API
# (/api/traces?service=...) and UI on QUERY_PORT, spans in memory, no other listener (no metrics, no health
# port). The tests start it with free ports and stop it by its pid (this script execs Jaeger).
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 OTLP_HTTP_PORT QUERY_PORT" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
jaeger="${JAEGER_BIN:-$root/.tools/tracing/bin/jaeger}"
if [ ! -x "$jaeger" ]; then
  echo "$jaeger is missing: run make tracing-tools" >&2
  exit 1
fi
# The configuration goes inline (the collector's yaml: provider): no file to clean up.
config="$(cat <<YAML
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:$2
    grpc:
      endpoint: 127.0.0.1:0
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 10000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:$1
processors:
  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
YAML
)"
exec "$jaeger" --config "yaml:$config"
