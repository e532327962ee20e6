#!/usr/bin/env bash
# Engine benchmark: requests/s and added latency of one hop, for a single-MODEL graph.
#   direct : the client calls the component itself
#   nginx  : through an nginx reverse-proxy hop (1 worker, keep-alive upstream): the lean-hop reference
#   engine : through seldonj-engine (-Xmx128m)
# The component is nginx returning a static SeldonMessage (REST) or a tiny grpc-java server (gRPC).
# Everything listens on 127.0.0.1. Env: DURATION (s per cell, default 10), WARMUP (s, default 10),
# ENGINE_THREADS (event loops, default 1), CONNS ("16 64"), PARTS ("rest big grpc"), OUT (markdown table file),
# ENGINE_JAR (another engine jar, e.g. a saved build to compare with), ENGINE_OPTS (extra JVM options of the
# engine, e.g. "-XX:StartFlightRecording=filename=/tmp/engine.jfr,settings=profile").
# ghz reports the calls still in flight when a run's duration ends as errors: those are not counted (run_ghz).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-10}"
ENGINE_THREADS="${ENGINE_THREADS:-1}"
CONNS="${CONNS:-16 64}"
PARTS="${PARTS:-rest big grpc}"
OUT="${OUT:-$ROOT/bench/out/engine-bench.md}"
JAR="${ENGINE_JAR:-}"
[ -n "$JAR" ] || for candidate in "$ROOT"/engine/target/seldonj-engine-*.jar; do
  case "$candidate" in *original-*) ;; *) JAR="$candidate"; break ;; esac
done
GHZ="$ROOT/.tools/ghz"
WORK="$(mktemp -d /tmp/engine-bench.XXXXXX)"
mkdir -p "$(dirname "$OUT")" "$WORK/tmp"
chmod -R 777 "$WORK"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need nginx || ! need wrk; then
  echo "installing nginx-light and wrk from apt" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y nginx-light wrk >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
if [ ! -x "$GHZ" ]; then
  echo "installing ghz into .tools/" >&2
  GOBIN="$ROOT/.tools" go install github.com/bojand/ghz/cmd/ghz@v0.120.0
fi
[ -f "$JAR" ] || { echo "build the engine first: mvn -pl engine package" >&2; exit 1; }

P_COMP=19101; P_HOP=19102; P_ENGINE=19103; P_ENGINE_GRPC=19104; P_GRPC_MODEL=19105
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for pidfile in "$WORK/comp.pid" "$WORK/hop.pid"; do
    if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

ANSWER='{"data":{"names":["p"],"ndarray":[[0.9]]}}'
nginx_conf() { # name port body
  cat > "$WORK/$1.conf" <<CONF
worker_processes 1;
daemon on;
pid $WORK/$1.pid;
error_log $WORK/$1.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_max_body_size 16m;
  client_body_buffer_size 2m;
  client_body_temp_path $WORK/tmp/$1-body;
  proxy_temp_path $WORK/tmp/$1-proxy;
  fastcgi_temp_path $WORK/tmp/$1-fcgi;
  uwsgi_temp_path $WORK/tmp/$1-uwsgi;
  scgi_temp_path $WORK/tmp/$1-scgi;
  keepalive_requests 1000000;
  upstream component { server 127.0.0.1:$P_COMP; keepalive 256; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$2;
    $3
  }
}
CONF
  "$NGINX" -c "$WORK/$1.conf" -p "$WORK"
}
nginx_conf comp "$P_COMP" "location / { default_type application/json; return 200 '$ANSWER'; }"
nginx_conf hop "$P_HOP" "location = /api/v1.0/predictions { proxy_pass http://component/predict; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_buffering on; }"

wait_http() { for _ in $(seq 1 600); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }

start_engine() { # transport
  cat > "$WORK/sdep-$1.yaml" <<YAML
apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata:
  name: bench
spec:
  predictors:
  - name: default
    componentSpecs:
    - spec:
        containers:
        - name: model
          image: bench/static-model:1
          ports: [{name: http, containerPort: $P_COMP}, {name: grpc, containerPort: $P_GRPC_MODEL}]
    graph: {name: model, type: MODEL, endpoint: {type: $1}}
YAML
  CDS_OPTS=()
  if [ -f "$ROOT/engine/target/engine.jsa" ]; then CDS_OPTS=("-XX:SharedArchiveFile=$ROOT/engine/target/engine.jsa"); fi
  # shellcheck disable=SC2086 # ENGINE_OPTS is a list of JVM options
  java "${CDS_OPTS[@]}" ${ENGINE_OPTS:-} -Xmx128m -Xms128m -XX:+UseParallelGC -jar "$JAR" --file "$WORK/sdep-$1.yaml" --http_port "$P_ENGINE" \
    --grpc_port "$P_ENGINE_GRPC" --event_loop_threads "$ENGINE_THREADS" > "$WORK/engine-$1.log" 2>&1 &
  ENGINE_PID=$!
  PIDS+=("$ENGINE_PID")
  wait_http "http://127.0.0.1:$P_ENGINE/ready"
}
stop_engine() { kill "$ENGINE_PID"; wait "$ENGINE_PID" 2>/dev/null || true; }

SMALL="$WORK/small.json"
echo '{"data":{"names":["a","b","c","d"],"ndarray":[[1.0,2.0,3.0,4.0]]}}' > "$SMALL"
BIG="$WORK/big.json"
python3 - "$BIG" <<'PY'
import sys
row = ",".join(["0.123456"] * 1000)
n = (1024 * 1024) // (len(row) + 3) + 1
with open(sys.argv[1], "w") as f:
    f.write('{"data":{"ndarray":[' + ",".join("[" + row + "]" for _ in range(n)) + ']}}')
PY

# wrk URL CONNS BODY -> "rps p50ms p99ms errors"
run_wrk() {
  BODY_FILE="$3" wrk -t1 -c"$2" -d"${WARMUP}s" -s "$ROOT/bench/post.lua" "$1" >/dev/null 2>&1 || true
  BODY_FILE="$3" wrk -t1 -c"$2" -d"${DURATION}s" --latency -s "$ROOT/bench/post.lua" "$1" > "$WORK/wrk.out" 2>&1
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /Requests\/sec/ { rps = $2 }
    /Non-2xx/ { err += $NF }
    /Socket errors/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.3f %.3f %d\n", rps, p50, p99, err }' "$WORK/wrk.out"
  grep -q "Requests/sec" "$WORK/wrk.out" || { echo "wrk failed against $1:" >&2; cat "$WORK/wrk.out" >&2; }
}
# ghz ADDR METHOD CONNS -> "rps p50ms p99ms errors"
run_ghz() {
  local data='{"data":{"names":["a","b","c","d"],"tensor":{"shape":[1,4],"values":[1,2,3,4]}}}'
  "$GHZ" --insecure --call "$2" -d "$data" -c "$3" --connections 1 -z "${WARMUP}s" "$1" >/dev/null 2>&1 || true
  "$GHZ" --insecure --call "$2" -d "$data" -c "$3" --connections 1 -z "${DURATION}s" --format json "$1" > "$WORK/ghz.json"
  python3 "$ROOT/bench/ghz_summary.py" "$WORK/ghz.json" "$3"
}

ROWS=()
row() { ROWS+=("$1"); echo "$1" >&2; }
cell() { # label base(rps p50 p99 err) hop(rps p50 p99 err) [ref_rps]
  read -r brps bp50 bp99 _ <<<"$2"
  read -r rps p50 p99 err <<<"$3"
  local rel="" 
  [ -n "${4:-}" ] && rel=$(awk -v a="$rps" -v b="$4" 'BEGIN { printf "%.2f", a / b }')
  printf '| %s | %s | %s | %.3f | %.3f | %.3f | %.3f | %s | %s |' "$1" "$rps" "$brps" "$p50" "$p99" \
    "$(awk -v a="$p50" -v b="$bp50" 'BEGIN { print a - b }')" "$(awk -v a="$p99" -v b="$bp99" 'BEGIN { print a - b }')" \
    "${rel:--}" "$err"
}

wait_http "http://127.0.0.1:$P_COMP/"
start_engine REST
for c in $CONNS; do
  [[ " $PARTS " == *" rest "* ]] || break
  direct=$(run_wrk "http://127.0.0.1:$P_COMP/predict" "$c" "$SMALL")
  hop=$(run_wrk "http://127.0.0.1:$P_HOP/api/v1.0/predictions" "$c" "$SMALL")
  eng=$(run_wrk "http://127.0.0.1:$P_ENGINE/api/v1.0/predictions" "$c" "$SMALL")
  row "$(cell "REST direct, c=$c" "$direct" "$direct")"
  row "$(cell "REST nginx hop, c=$c" "$direct" "$hop")"
  row "$(cell "REST engine, c=$c" "$direct" "$eng" "$(echo "$hop" | cut -d' ' -f1)")"
done
if [[ " $PARTS " == *" big "* ]]; then
  direct=$(run_wrk "http://127.0.0.1:$P_COMP/predict" 16 "$BIG")
  hop=$(run_wrk "http://127.0.0.1:$P_HOP/api/v1.0/predictions" 16 "$BIG")
  eng=$(run_wrk "http://127.0.0.1:$P_ENGINE/api/v1.0/predictions" 16 "$BIG")
  row "$(cell "REST 1 MiB direct, c=16" "$direct" "$direct")"
  row "$(cell "REST 1 MiB nginx hop, c=16" "$direct" "$hop")"
  row "$(cell "REST 1 MiB engine, c=16" "$direct" "$eng" "$(echo "$hop" | cut -d' ' -f1)")"
fi
stop_engine
if [[ " $PARTS " == *" grpc "* ]]; then
java -Xmx128m -cp "$JAR" "$ROOT/bench/FastGrpcModel.java" "$P_GRPC_MODEL" > "$WORK/grpc-model.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 600); do grep -q "fast gRPC model" "$WORK/grpc-model.log" && break; sleep 0.1; done
start_engine GRPC
for c in $CONNS; do
  direct=$(run_ghz "127.0.0.1:$P_GRPC_MODEL" seldon.protos.Model/Predict "$c")
  eng=$(run_ghz "127.0.0.1:$P_ENGINE_GRPC" seldon.protos.Seldon/Predict "$c")
  row "$(cell "gRPC direct, c=$c" "$direct" "$direct")"
  row "$(cell "gRPC engine, c=$c" "$direct" "$eng")"
done
stop_engine
fi

{
  echo "Engine benchmark, $(date -u +%Y-%m-%dT%H:%MZ): $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); wrk -t1 / ghz, ${DURATION}s per cell after ${WARMUP}s warm-up;"
  echo "engine: java $(java -version 2>&1 | head -1 | cut -d'"' -f2), -Xmx128m, $ENGINE_THREADS event-loop thread(s)."
  echo
  echo "| path | req/s | direct req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | engine / nginx hop | errors |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
} | tee "$OUT"
