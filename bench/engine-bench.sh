#!/usr/bin/env bash
# Engine benchmark: what one seldonj-engine hop costs in front of a single-MODEL graph, measured side by side
# with the references in the same run, REPS times, cells alternating so that drift hits every path alike:
#   direct   : the client calls the component itself
#   hop      : a lean nginx hop (1 worker, keep-alive upstream): proxy_pass for REST, grpc_pass for gRPC
#   engine   : seldonj-engine (-Xmx128m)
#   peer     : only when PEER_EXECUTOR is set: that binary (e.g. Seldon's executor, built elsewhere) started
#              with the engine's flags (--sdep --namespace --predictor --file --http_port --grpc_port
#              --transport --protocol) plus PEER_OPTS
# The component is nginx returning a static SeldonMessage (REST) or a tiny grpc-java server (gRPC).
# Cells: REST small (c in CONNS), REST 1 MiB (c=16), gRPC over a gRPC node, gRPC in front of a REST node, and a
# latency profile: p50/p99/p99.9 at a constant rate of LATENCY_SHARE % of the hop's REST small c=16 capacity.
# Everything listens on 127.0.0.1. Env: DURATION (s per cell, 10), WARMUP (s, 5 per cell), REPS (2),
# PROCESS_WARMUP (s of each kind of traffic every server process gets once before rep 1: JIT, 25),
# CONNS ("16 64"), PARTS ("rest big grpc grpc-rest latency"), PIN (1: load generators on CPU 0, servers on
# CPU 1, "1 core each"; 0: unpinned), ENGINE_THREADS (event loops, 1), ENGINE_JAR, ENGINE_JAVA (default
# $JDK25_HOME/bin/java with the vector module, as the image runs it; else java), ENGINE_OPTS (extra JVM
# options), PEER_EXECUTOR, PEER_OPTS, LATENCY_SHARE (50), OUT (markdown file).
# ghz reports the calls still in flight when a timed run ends as errors: those are not counted (ghz_summary.py).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-5}"
REPS="${REPS:-2}"
CONNS="${CONNS:-16 64}"
PARTS="${PARTS:-rest big grpc grpc-rest latency}"
PIN="${PIN:-0}"
ENGINE_THREADS="${ENGINE_THREADS:-1}"
LATENCY_SHARE="${LATENCY_SHARE:-50}"
PROCESS_WARMUP="${PROCESS_WARMUP:-25}"
PEER_EXECUTOR="${PEER_EXECUTOR:-}"
OUT="${OUT:-$ROOT/bench/out/engine-bench.md}"
JAR="${ENGINE_JAR:-}"
# The engine's JVM: the image's JDK 25 when the Makefile found one (JDK25_HOME), else java.
ENGINE_JAVA="${ENGINE_JAVA:-${JDK25_HOME:+$JDK25_HOME/bin/java}}"
ENGINE_JAVA="${ENGINE_JAVA:-java}"
[ -n "$JAR" ] || for candidate in "$ROOT"/engine/target/seldonj-engine-*.jar; do
  case "$candidate" in *original-*) ;; *) JAR="$candidate"; break ;; esac
done
GHZ="$ROOT/.tools/ghz"
VEGETA="$ROOT/.tools/vegeta"
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
if [ ! -x "$VEGETA" ]; then
  echo "installing vegeta into .tools/" >&2
  GOBIN="$ROOT/.tools" go install github.com/tsenart/vegeta/v12@v12.12.0
fi
[ -f "$JAR" ] || { echo "build the engine first: make engine" >&2; exit 1; }
if [ -n "$PEER_EXECUTOR" ] && [ ! -x "$PEER_EXECUTOR" ]; then
  echo "PEER_EXECUTOR=$PEER_EXECUTOR is not an executable file" >&2; exit 1
fi

# "1 core each": the load generator on CPU 0, the servers (component, hop, engine, peer) on CPU 1.
CLIENT_CPU=(); SERVER_CPU=()
if [ "$PIN" = 1 ]; then CLIENT_CPU=(taskset -c 0); SERVER_CPU=(taskset -c 1); fi

P_COMP=19101; P_HOP=19102; P_GRPC_MODEL=19105; P_GRPC_HOP=19106
P_ENGINE_REST=19110; P_ENGINE_GRPC=19112; P_PEER_REST=19120; P_PEER_GRPC=19122  # each +1 is its gRPC port
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for pidfile in "$WORK"/*.pid; do
    if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

ANSWER='{"data":{"names":["p"],"ndarray":[[0.9]]}}'
nginx_conf() { # name server-block
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
  upstream grpc_model { server 127.0.0.1:$P_GRPC_MODEL; keepalive 256; keepalive_requests 1000000; }
  server {
    $2
  }
}
CONF
  "${SERVER_CPU[@]}" "$NGINX" -c "$WORK/$1.conf" -p "$WORK"
}

wait_http() { for _ in $(seq 1 600); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
wait_log() { for _ in $(seq 1 600); do grep -q "$2" "$1" && return 0; sleep 0.1; done; echo "no '$2' in $1" >&2; exit 1; }

sdep_file() { # transport -> file: the graph names its endpoint as written and the container ports agree
  local port=$P_COMP
  [ "$1" = GRPC ] && port=$P_GRPC_MODEL
  cat > "$WORK/sdep-$1.yaml" <<YAML
apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata:
  name: bench
  namespace: default
spec:
  predictors:
  - name: default
    componentSpecs:
    - spec:
        containers:
        - name: model
          image: bench/static-model:1
          ports: [{name: http, containerPort: $P_COMP}, {name: grpc, containerPort: $P_GRPC_MODEL}]
    graph:
      name: model
      type: MODEL
      endpoint: {type: $1, service_host: 127.0.0.1, service_port: $port, httpPort: $P_COMP, grpcPort: $P_GRPC_MODEL}
YAML
  echo "$WORK/sdep-$1.yaml"
}
graph_flags() { # transport http-port -> the flags both executors take
  local transport; transport=$(echo "$1" | tr '[:upper:]' '[:lower:]')
  echo "--sdep bench --namespace default --predictor default --file $(sdep_file "$1") --http_port $2 --grpc_port $(($2 + 1)) --transport $transport --protocol seldon"
}
start_engine() { # transport http-port
  local jvm=()
  if [ "$ENGINE_JAVA" != java ]; then
    jvm=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED) # as the image runs it
  elif [ -f "$ROOT/engine/target/engine.jsa" ]; then
    jvm=("-XX:SharedArchiveFile=$ROOT/engine/target/engine.jsa")
  fi
  # shellcheck disable=SC2046,SC2086 # flag lists
  "${SERVER_CPU[@]}" "$ENGINE_JAVA" "${jvm[@]}" ${ENGINE_OPTS:-} -Xmx128m -Xms128m -XX:+UseParallelGC -jar "$JAR" \
    $(graph_flags "$1" "$2") --event_loop_threads "$ENGINE_THREADS" > "$WORK/engine-$1.log" 2>&1 &
  PIDS+=("$!"); echo "$!" > "$WORK/engine-$1.pidno"
  wait_http "http://127.0.0.1:$2/ready"
}
start_peer() { # transport http-port
  # shellcheck disable=SC2046,SC2086 # flag lists
  "${SERVER_CPU[@]}" "$PEER_EXECUTOR" $(graph_flags "$1" "$2") ${PEER_OPTS:-} > "$WORK/peer-$1.log" 2>&1 &
  PIDS+=("$!"); echo "$!" > "$WORK/peer-$1.pidno"
  wait_http "http://127.0.0.1:$2/ready"
}
rss_mib() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$(cat "$WORK/$1.pidno")/status"; }

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
GRPC_DATA='{"data":{"names":["a","b","c","d"],"tensor":{"shape":[1,4],"values":[1,2,3,4]}}}'

# wrk URL CONNS BODY -> "rps p50ms p99ms errors"
run_wrk() {
  if [ "$WARMUP" -gt 0 ]; then
    BODY_FILE="$3" "${CLIENT_CPU[@]}" wrk -t1 -c"$2" -d"${WARMUP}s" -s "$ROOT/bench/post.lua" "$1" >/dev/null 2>&1 || true
  fi
  BODY_FILE="$3" "${CLIENT_CPU[@]}" wrk -t1 -c"$2" -d"${DURATION}s" --latency -s "$ROOT/bench/post.lua" "$1" > "$WORK/wrk.out" 2>&1
  grep -q "Requests/sec" "$WORK/wrk.out" || { echo "wrk failed against $1:" >&2; cat "$WORK/wrk.out" >&2; }
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /Requests\/sec/ { rps = $2 }
    /Non-2xx/ { err += $NF }
    /Socket errors/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.3f %.3f %d\n", rps, p50, p99, err }' "$WORK/wrk.out"
}
# ghz ADDR METHOD CONNS -> "rps p50ms p99ms errors"
run_ghz() {
  if [ "$WARMUP" -gt 0 ]; then
    "${CLIENT_CPU[@]}" "$GHZ" --insecure --call "$2" -d "$GRPC_DATA" -c "$3" --connections 1 -z "${WARMUP}s" "$1" >/dev/null 2>&1 || true
  fi
  "${CLIENT_CPU[@]}" "$GHZ" --insecure --call "$2" -d "$GRPC_DATA" -c "$3" --connections 1 -z "${DURATION}s" --format json "$1" > "$WORK/ghz.json"
  python3 "$ROOT/bench/ghz_summary.py" "$WORK/ghz.json" "$3"
}
# Constant rate. vegeta URL RATE -> "p50ms p99ms p999ms requests errors"; ghz_rate ADDR METHOD RATE -> the same
run_vegeta() {
  echo "POST $1" > "$WORK/targets"
  "${CLIENT_CPU[@]}" "$VEGETA" attack -targets "$WORK/targets" -body "$SMALL" -header "Content-Type: application/json" \
    -rate "$2/s" -duration "${DURATION}s" -max-workers 64 > "$WORK/vegeta.bin"
  "$VEGETA" encode --to csv < "$WORK/vegeta.bin" > "$WORK/vegeta.csv"
  python3 "$ROOT/bench/latency_profile.py" vegeta "$WORK/vegeta.csv"
}
run_ghz_rate() {
  "${CLIENT_CPU[@]}" "$GHZ" --insecure --call "$2" -d "$GRPC_DATA" --rps "$3" -c 64 --connections 1 -z "${DURATION}s" \
    --format json "$1" > "$WORK/ghz-rate.json"
  python3 "$ROOT/bench/latency_profile.py" ghz "$WORK/ghz-rate.json"
}

# Results: R[rep|cell|path] = "rps p50 p99 errors"; L[rep|cell|path] = "p50 p99 p999 requests errors"
declare -A R=() L=()
CELLS=(); declare -A SEEN=()
record() { # rep cell path result
  R["$1|$2|$3"]="$4"
  [ -n "${SEEN[$2]:-}" ] || { CELLS+=("$2"); SEEN[$2]=1; }
  echo "rep $1  $2  $3: $4" >&2
}
LCELLS=()
latency_cell() { [[ " ${LCELLS[*]} " == *" $1 "* ]] || LCELLS+=("$1"); }
have_peer() { [ -n "$PEER_EXECUTOR" ]; }
part() { [[ " $PARTS " == *" $1 "* ]]; }

nginx_conf comp "listen 127.0.0.1:$P_COMP; location / { default_type application/json; return 200 '$ANSWER'; }"
nginx_conf hop "listen 127.0.0.1:$P_HOP; location = /api/v1.0/predictions { proxy_pass http://component/predict; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_buffering on; }"
nginx_conf grpchop "listen 127.0.0.1:$P_GRPC_HOP http2; location / { grpc_pass grpc://grpc_model; }"
wait_http "http://127.0.0.1:$P_COMP/"
"${SERVER_CPU[@]}" java -Xmx128m -cp "$JAR" "$ROOT/bench/FastGrpcModel.java" "$P_GRPC_MODEL" > "$WORK/grpc-model.log" 2>&1 &
PIDS+=("$!")
wait_log "$WORK/grpc-model.log" "fast gRPC model"
start_engine REST "$P_ENGINE_REST"
start_engine GRPC "$P_ENGINE_GRPC"
if have_peer; then start_peer REST "$P_PEER_REST"; start_peer GRPC "$P_PEER_GRPC"; fi
RSS_ENGINE=""

# A JVM reaches its steady rate only once the JIT has compiled the hot paths: a cold engine ramps from
# ~1k to ~9k gRPC req/s over its first 20-25 s of load (docs/engine.md, "Warm-up"), which a 5 s per-cell
# warm-up does not cover and which made the first repetition of a cell look like a different engine.
# So every server process gets PROCESS_WARMUP seconds of each kind of traffic it will see before rep 1.
warm_processes() {
  [ "$PROCESS_WARMUP" -gt 0 ] || return 0
  echo "warming every process (${PROCESS_WARMUP}s per kind of traffic)" >&2
  local saved_warmup=$WARMUP saved_duration=$DURATION
  WARMUP=0; DURATION=$PROCESS_WARMUP
  run_ghz "127.0.0.1:$P_GRPC_MODEL" seldon.protos.Model/Predict 16 >/dev/null
  local prefix
  for prefix in engine peer; do
    if [ "$prefix" = peer ] && ! have_peer; then continue; fi
    local rest=$P_ENGINE_REST grpc=$P_ENGINE_GRPC
    [ "$prefix" = peer ] && { rest=$P_PEER_REST; grpc=$P_PEER_GRPC; }
    run_wrk "http://127.0.0.1:$rest/api/v1.0/predictions" 16 "$SMALL" >/dev/null
    run_wrk "http://127.0.0.1:$rest/api/v1.0/predictions" 16 "$BIG" >/dev/null
    run_ghz "127.0.0.1:$((rest + 1))" seldon.protos.Seldon/Predict 16 >/dev/null
    run_ghz "127.0.0.1:$((grpc + 1))" seldon.protos.Seldon/Predict 16 >/dev/null
  done
  WARMUP=$saved_warmup; DURATION=$saved_duration
}
warm_processes

for rep in $(seq 1 "$REPS"); do
  for c in $CONNS; do
    part rest || break
    cell="REST small c=$c"
    record "$rep" "$cell" direct "$(run_wrk "http://127.0.0.1:$P_COMP/predict" "$c" "$SMALL")"
    record "$rep" "$cell" hop "$(run_wrk "http://127.0.0.1:$P_HOP/api/v1.0/predictions" "$c" "$SMALL")"
    record "$rep" "$cell" engine "$(run_wrk "http://127.0.0.1:$P_ENGINE_REST/api/v1.0/predictions" "$c" "$SMALL")"
    [ "$c" = 64 ] && RSS_ENGINE="$RSS_ENGINE $(rss_mib engine-REST)"
    if have_peer; then record "$rep" "$cell" peer "$(run_wrk "http://127.0.0.1:$P_PEER_REST/api/v1.0/predictions" "$c" "$SMALL")"; fi
  done
  if part big; then
    cell="REST 1 MiB c=16"
    record "$rep" "$cell" direct "$(run_wrk "http://127.0.0.1:$P_COMP/predict" 16 "$BIG")"
    record "$rep" "$cell" hop "$(run_wrk "http://127.0.0.1:$P_HOP/api/v1.0/predictions" 16 "$BIG")"
    record "$rep" "$cell" engine "$(run_wrk "http://127.0.0.1:$P_ENGINE_REST/api/v1.0/predictions" 16 "$BIG")"
    if have_peer; then record "$rep" "$cell" peer "$(run_wrk "http://127.0.0.1:$P_PEER_REST/api/v1.0/predictions" 16 "$BIG")"; fi
  fi
  for c in $CONNS; do
    part grpc || break
    cell="gRPC c=$c"
    record "$rep" "$cell" direct "$(run_ghz "127.0.0.1:$P_GRPC_MODEL" seldon.protos.Model/Predict "$c")"
    record "$rep" "$cell" hop "$(run_ghz "127.0.0.1:$P_GRPC_HOP" seldon.protos.Model/Predict "$c")"
    record "$rep" "$cell" engine "$(run_ghz "127.0.0.1:$((P_ENGINE_GRPC + 1))" seldon.protos.Seldon/Predict "$c")"
    if have_peer; then record "$rep" "$cell" peer "$(run_ghz "127.0.0.1:$((P_PEER_GRPC + 1))" seldon.protos.Seldon/Predict "$c")"; fi
  done
  for c in $CONNS; do
    part grpc-rest || break
    cell="gRPC client, REST node c=$c"
    record "$rep" "$cell" engine "$(run_ghz "127.0.0.1:$((P_ENGINE_REST + 1))" seldon.protos.Seldon/Predict "$c")"
    if have_peer; then record "$rep" "$cell" peer "$(run_ghz "127.0.0.1:$((P_PEER_REST + 1))" seldon.protos.Seldon/Predict "$c")"; fi
  done
  if part latency && [ -n "${R[$rep|REST small c=16|hop]:-}" ]; then
    rate=$(( $(echo "${R[$rep|REST small c=16|hop]}" | cut -d' ' -f1) * LATENCY_SHARE / 100 ))
    cell="REST latency at $LATENCY_SHARE % of hop"
    for path in direct hop engine peer; do
      case $path in
        direct) url="http://127.0.0.1:$P_COMP/predict" ;;
        hop) url="http://127.0.0.1:$P_HOP/api/v1.0/predictions" ;;
        engine) url="http://127.0.0.1:$P_ENGINE_REST/api/v1.0/predictions" ;;
        peer) have_peer || continue; url="http://127.0.0.1:$P_PEER_REST/api/v1.0/predictions" ;;
      esac
      L["$rep|$cell|$path"]="$rate $(run_vegeta "$url" "$rate")"; latency_cell "$cell"
      echo "rep $rep  $cell  $path: ${L[$rep|$cell|$path]}" >&2
    done
  fi
  if part latency && [ -n "${R[$rep|gRPC c=16|hop]:-}" ]; then
    rate=$(( $(echo "${R[$rep|gRPC c=16|hop]}" | cut -d' ' -f1) * LATENCY_SHARE / 100 ))
    cell="gRPC latency at $LATENCY_SHARE % of hop"
    for path in direct hop engine peer; do
      case $path in
        direct) addr="127.0.0.1:$P_GRPC_MODEL"; method=seldon.protos.Model/Predict ;;
        hop) addr="127.0.0.1:$P_GRPC_HOP"; method=seldon.protos.Model/Predict ;;
        engine) addr="127.0.0.1:$((P_ENGINE_GRPC + 1))"; method=seldon.protos.Seldon/Predict ;;
        peer) have_peer || continue; addr="127.0.0.1:$((P_PEER_GRPC + 1))"; method=seldon.protos.Seldon/Predict ;;
      esac
      L["$rep|$cell|$path"]="$rate $(run_ghz_rate "$addr" "$method" "$rate")"; latency_cell "$cell"
      echo "rep $rep  $cell  $path: ${L[$rep|$cell|$path]}" >&2
    done
  fi
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "") printf "%.2f", a / b; else printf "-" }'; }
field() { echo "${1:-}" | cut -d' ' -f"$2"; }
# Per cell: req/s of each path per repetition, and engine/hop, engine/peer per repetition with their minimum.
summary() {
  echo "| cell | rep | direct | hop | engine | peer | engine / hop | engine / peer | engine p50 / p99 ms | errors |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for cell in "${CELLS[@]}"; do
    local min_hop="" min_peer=""
    for rep in $(seq 1 "$REPS"); do
      local d h e p rh rp errs=0
      d=$(field "${R[$rep|$cell|direct]:-}" 1); h=$(field "${R[$rep|$cell|hop]:-}" 1)
      e=$(field "${R[$rep|$cell|engine]:-}" 1); p=$(field "${R[$rep|$cell|peer]:-}" 1)
      rh=$(ratio "$e" "$h"); rp=$(ratio "$e" "$p")
      for path in direct hop engine peer; do errs=$((errs + $(field "${R[$rep|$cell|$path]:-0 0 0 0}" 4))); done
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s |\n' "$cell" "$rep" "${d:--}" "${h:--}" "${e:--}" \
        "${p:--}" "$rh" "$rp" "$(field "${R[$rep|$cell|engine]:-}" 2)" "$(field "${R[$rep|$cell|engine]:-}" 3)" "$errs"
      [ "$rh" = - ] || min_hop=$(awk -v a="$rh" -v m="$min_hop" 'BEGIN { print (m == "" || a < m) ? a : m }')
      [ "$rp" = - ] || min_peer=$(awk -v a="$rp" -v m="$min_peer" 'BEGIN { print (m == "" || a < m) ? a : m }')
    done
    printf '| **%s** | min | | | | | **%s** | **%s** | | |\n' "$cell" "${min_hop:--}" "${min_peer:--}"
  done
}
latency_summary() {
  echo "| cell | rep | path | rate/s | p50 ms | p99 ms | p99.9 ms | added p50 / p99 / p99.9 ms | requests | errors |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  local rep cell path
  for rep in $(seq 1 "$REPS"); do
    for cell in "${LCELLS[@]}"; do
      for path in direct hop engine peer; do
        [ -n "${L[$rep|$cell|$path]:-}" ] || continue
        read -r rate p50 p99 p999 n errs <<<"${L[$rep|$cell|$path]}"
        read -r _ d50 d99 d999 _ _ <<<"${L[$rep|$cell|direct]}"
        local added="-"
        [ "$path" = direct ] || added=$(awk -v a="$p50" -v b="$p99" -v c="$p999" -v x="$d50" -v y="$d99" -v z="$d999" \
          'BEGIN { printf "%.3f / %.3f / %.3f", a - x, b - y, c - z }')
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$cell" "$rep" "$path" "$rate" "$p50" "$p99" "$p999" "$added" "$n" "$errs"
      done
    done
  done
}

{
  echo "Engine benchmark, $(date -u +%Y-%m-%dT%H:%MZ): $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); wrk -t1 / ghz, ${DURATION}s per cell after ${WARMUP}s warm-up, $REPS repetitions;"
  echo "pinned: $([ "$PIN" = 1 ] && echo "load generator CPU 0, servers CPU 1" || echo no);"
  echo "engine: java $("$ENGINE_JAVA" -version 2>&1 | head -1 | cut -d'"' -f2), -Xmx128m, $ENGINE_THREADS event-loop thread(s); RSS after each c=64 REST cell (MiB):${RSS_ENGINE:- -}."
  if have_peer; then echo "peer: $PEER_EXECUTOR ${PEER_OPTS:-}"; fi
  echo
  summary
  if [ "${#L[@]}" -gt 0 ]; then echo; latency_summary; fi
} | tee "$OUT"
