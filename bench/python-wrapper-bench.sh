#!/usr/bin/env bash
# Python wrapper benchmark: Seldon's `seldon-core-microservice` (seldon-core 1.18.2, `make venv`, .venv/)
# against this project's drop-in (`make wrapper-venv`, .venv-wrapper/), in the same run on the same machine.
# Both serve compat/python/MyModel.py (identity predict) as unit `classifier`, started with Seldon's flags
#   <Interface> --service-type MODEL --http-port N --grpc-port N --metrics-port N --workers W --threads T
# and env PREDICTIVE_UNIT_ID, PREDICTIVE_UNIT_IMAGE, PREDICTIVE_UNIT_METRICS_ENDPOINT, GUNICORN_WORKERS,
# GUNICORN_THREADS, GRPC_WORKERS (W: Seldon forks W gRPC server processes that share the port with
# SO_REUSEPORT) and GRPC_THREADS (T). For each worker count, both wrappers are started, checked (the test
# request must answer 200 over REST and OK over gRPC; the bodies are printed) and then measured cell by
# cell, one after the other (Seldon first in every other cell, ours first in the others), so that both
# see the same machine load:
#   REST  : wrk -t1 -c<c> --latency, POST {"data":{"ndarray":[[1.0,2.0,5.0]]}} to /api/v1.0/predictions
#   REST 1 MiB : the same with a 1 MiB {"data":{"tensor":...}} body, c=1
#   gRPC  : ghz seldon.protos.Model/Predict, same message, -c <c> --connections <c> (one HTTP/2 connection
#           per concurrent caller, as wrk has: one connection would reach only one of Seldon's gRPC processes)
# Clients only ever connect to 127.0.0.1 (Seldon's wrapper itself binds 0.0.0.0 and has no flag to change it).
# Ports 19211-19213 (Seldon) and 19221-19223 (ours): clear of bench/engine-bench.sh (19101-19105).
# Env: DURATION (s per cell, default 10), WARMUP (s of unmeasured load before each cell, default 3),
# OUT (markdown file, default bench/out/python-wrapper-bench.md), WRAPPERS (default "seldon seldonj"),
# WORKERS (default "1 4"), CONNS (default "1 16"), THREADS (gunicorn and gRPC threads per worker, default 1),
# PARTS (default "rest big grpc"), SELDON_BIN / SELDONJ_BIN (the two seldon-core-microservice executables).
# A full run with the defaults takes about 5 minutes.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-3}"
OUT="${OUT:-$ROOT/bench/out/python-wrapper-bench.md}"
WRAPPERS="${WRAPPERS:-seldon seldonj}"
WORKERS="${WORKERS:-1 4}"
CONNS="${CONNS:-1 16}"
THREADS="${THREADS:-1}"
PARTS="${PARTS:-rest big grpc}"
SELDON_BIN="${SELDON_BIN:-$ROOT/.venv/bin/seldon-core-microservice}"
SELDONJ_BIN="${SELDONJ_BIN:-$ROOT/.venv-wrapper/bin/seldon-core-microservice}"
GHZ="$ROOT/.tools/ghz"
PROTO_DIR="$ROOT/api/src/main/proto"
SMALL_JSON='{"data":{"ndarray":[[1.0,2.0,5.0]]}}'
WRK_TIMEOUT=10s

die() { echo "python-wrapper-bench: $*" >&2; exit 1; }
has_part() { [[ " $PARTS " == *" $1 "* ]]; }

# Per wrapper: executable, the make target that installs it, its label in the table, its ports.
bin_of() { case "$1" in seldon) echo "$SELDON_BIN" ;; seldonj) echo "$SELDONJ_BIN" ;; esac; }
target_of() { case "$1" in seldon) echo "make venv" ;; seldonj) echo "make wrapper-venv" ;; esac; }
label_of() { case "$1" in seldon) echo "Seldon 1.18.2" ;; seldonj) echo "seldonj" ;; esac; }
port_of() { # wrapper http|grpc|metrics
  local base
  case "$1" in seldon) base=19210 ;; seldonj) base=19220 ;; esac
  case "$2" in http) echo $((base + 1)) ;; grpc) echo $((base + 2)) ;; metrics) echo $((base + 3)) ;; esac
}

for w in $WRAPPERS; do
  case "$w" in seldon | seldonj) ;; *) die "unknown wrapper '$w' in WRAPPERS (known: seldon seldonj)" ;; esac
  [ -x "$(bin_of "$w")" ] || die "$(label_of "$w")'s wrapper is missing: no executable $(bin_of "$w"); run \`$(target_of "$w")\` first"
done
[ -f "$ROOT/compat/python/MyModel.py" ] || die "compat/python/MyModel.py is missing"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk; then
  echo "installing wrk from apt" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null
fi
if has_part grpc && [ ! -x "$GHZ" ]; then
  echo "installing ghz into .tools/" >&2
  GOBIN="$ROOT/.tools" go install github.com/bojand/ghz/cmd/ghz@v0.120.0
fi
need curl || die "curl is needed"
need python3 || die "python3 is needed (to write the 1 MiB body and read ghz's JSON)"

WORK="$(mktemp -d /tmp/python-wrapper-bench.XXXXXX)"
mkdir -p "$(dirname "$OUT")" "$WORK/model"
# The wrappers import MyModel from their working directory: a copy, so that nothing is written under compat/.
cp "$ROOT/compat/python/MyModel.py" "$WORK/model/"

# Every wrapper runs in its own session (setsid): its process group holds the main process, gunicorn's
# master and workers, the gRPC and metrics processes. Stopping it signals the whole group.
declare -A PID=()
CLIENT=
stop_group() { # pgid
  local pgid="$1"
  kill -TERM -- "-$pgid" 2>/dev/null || { kill -TERM "$pgid" 2>/dev/null || true; return 0; }
  for _ in $(seq 1 100); do kill -0 -- "-$pgid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}
cleanup() {
  local w p
  if [ -n "$CLIENT" ]; then # the measuring subshell and its wrk, ghz or python3
    for p in $(ps -o pid= --ppid "$CLIENT") "$CLIENT"; do kill "$p" 2>/dev/null || true; done
  fi
  for w in "${!PID[@]}"; do stop_group "${PID[$w]}"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_open() { # port
  local fd
  { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  exec {fd}>&-
}

start_wrapper() { # wrapper workers
  local w="$1" n="$2" port
  for port in "$(port_of "$w" http)" "$(port_of "$w" grpc)" "$(port_of "$w" metrics)"; do
    ! port_open "$port" || die "port $port on 127.0.0.1 is already in use: stop whatever listens there"
  done
  (
    cd "$WORK/model"
    export PREDICTIVE_UNIT_ID=classifier PREDICTIVE_UNIT_IMAGE=seldonj/bench-mymodel:0.1.0
    export PREDICTIVE_UNIT_METRICS_ENDPOINT=/prometheus PYTHONDONTWRITEBYTECODE=1
    export GUNICORN_WORKERS="$n" GUNICORN_THREADS="$THREADS" GRPC_WORKERS="$n" GRPC_THREADS="$THREADS"
    exec setsid "$(bin_of "$w")" MyModel --service-type MODEL --http-port "$(port_of "$w" http)" \
      --grpc-port "$(port_of "$w" grpc)" --metrics-port "$(port_of "$w" metrics)" --workers "$n" --threads "$THREADS"
  ) > "$WORK/$w-$n.log" 2>&1 &
  PID[$w]=$!
  # setsid need not fork (a background job is no group leader): once it has run, the pid is the group's id.
  for _ in $(seq 1 50); do
    [ "$(ps -o pgid= -p "${PID[$w]}" | tr -d ' ')" != "${PID[$w]}" ] || return 0
    sleep 0.1
  done
  die "$(label_of "$w") did not become its own process group (setsid)"
}

stop_wrapper() { # wrapper
  stop_group "${PID[$1]}"
  wait "${PID[$1]}" 2>/dev/null || true
  unset "PID[$1]"
}

log_tail() { echo "--- last lines of $(label_of "$1")'s log:" >&2; tail -n 30 "$WORK/$1-$2.log" >&2; }

wait_ready() { # wrapper workers: /health/ping answers 200 and the gRPC port accepts connections
  local w="$1" n="$2" deadline=$((SECONDS + 120))
  until curl -fs -o /dev/null "http://127.0.0.1:$(port_of "$w" http)/health/ping" \
      && { ! has_part grpc || port_open "$(port_of "$w" grpc)"; }; do
    if ! kill -0 "${PID[$w]}" 2>/dev/null; then log_tail "$w" "$n"; die "$(label_of "$w") ($n workers) exited before it was ready"; fi
    [ "$SECONDS" -lt "$deadline" ] || { log_tail "$w" "$n"; die "$(label_of "$w") ($n workers) not ready after 120 s"; }
    sleep 0.2
  done
}

SMALL="$WORK/small.json"
printf '%s\n' "$SMALL_JSON" > "$SMALL"
BIG="$WORK/big.json"
python3 - "$BIG" <<'PY'
import sys
# A float64 tensor of 1024 columns, rows enough for 1 MiB of JSON; values with six decimals.
cols = 1024
row = ",".join("%.6f" % ((i * 7919 % 10007) / 10007.0) for i in range(cols))
rows = (1024 * 1024) // (len(row) + 1) + 1
body = '{"data":{"tensor":{"shape":[%d,%d],"values":[%s]}}}' % (rows, cols, ",".join([row] * rows))
with open(sys.argv[1], "w") as f:
    f.write(body)
PY

# The gRPC answer to the test message, as JSON, with Seldon's generated stubs (in .venv when it exists).
grpc_call() { # port
  local py="$ROOT/.venv/bin/python"
  if [ -x "$py" ] && "$py" -c "import seldon_core.proto.prediction_pb2_grpc" 2>/dev/null; then
    "$py" - "127.0.0.1:$1" "$SMALL_JSON" <<'PY'
import sys, grpc
from google.protobuf import json_format
from seldon_core.proto import prediction_pb2, prediction_pb2_grpc
request = json_format.Parse(sys.argv[2], prediction_pb2.SeldonMessage())
with grpc.insecure_channel(sys.argv[1]) as channel:
    response = prediction_pb2_grpc.ModelStub(channel).Predict(request, timeout=10)
print(json_format.MessageToJson(response, indent=None, sort_keys=True))
PY
  else
    "$GHZ" --insecure --proto "$PROTO_DIR/prediction.proto" --import-paths "$PROTO_DIR" \
      --call seldon.protos.Model/Predict -d "$SMALL_JSON" -n 1 --format json "127.0.0.1:$1" > "$WORK/check.json"
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); c=r.get("statusCodeDistribution") or {}
sys.exit(0 if c.get("OK") == 1 else "not OK: %s %s" % (c, r.get("errorDistribution")))' "$WORK/check.json"
    echo "(OK; body not shown: .venv has no seldon_core to decode it)"
  fi
}

check_wrapper() { # wrapper workers: the test request answers 200 (REST) and OK (gRPC); print the bodies
  local w="$1" n="$2" code url body
  url="http://127.0.0.1:$(port_of "$w" http)/api/v1.0/predictions"
  code=$(curl -s -o "$WORK/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "@$SMALL" "$url")
  echo "$(label_of "$w"), $n worker(s), REST $code: $(cat "$WORK/body")" >&2
  [ "$code" = 200 ] || { log_tail "$w" "$n"; die "$(label_of "$w") answered HTTP $code to the test request"; }
  if has_part big; then
    code=$(curl -s -o "$WORK/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "@$BIG" "$url")
    echo "$(label_of "$w"), $n worker(s), REST 1 MiB $code: $(wc -c < "$WORK/body") bytes" >&2
    [ "$code" = 200 ] || { head -c 600 "$WORK/body" >&2; echo >&2; die "$(label_of "$w") answered HTTP $code to the 1 MiB request"; }
  fi
  if has_part grpc; then
    body=$(grpc_call "$(port_of "$w" grpc)" 2>"$WORK/grpc.err") || { cat "$WORK/grpc.err" >&2; die "$(label_of "$w")'s gRPC Predict failed"; }
    echo "$(label_of "$w"), $n worker(s), gRPC OK: $body" >&2
  fi
}

# wrk URL CONNS BODY -> "rps p50ms p99ms errors" (errors: non-2xx answers + socket errors)
run_wrk() {
  BODY_FILE="$3" wrk -t1 -c"$2" -d"${WARMUP}s" --timeout "$WRK_TIMEOUT" -s "$ROOT/bench/post.lua" "$1" >/dev/null 2>&1 || true
  BODY_FILE="$3" wrk -t1 -c"$2" -d"${DURATION}s" --timeout "$WRK_TIMEOUT" --latency -s "$ROOT/bench/post.lua" "$1" > "$WORK/wrk.out" 2>&1 || true
  if ! grep -q "Requests/sec" "$WORK/wrk.out"; then
    echo "wrk failed against $1:" >&2; cat "$WORK/wrk.out" >&2; echo "0 0 0 failed"; return
  fi
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
    /Requests\/sec/ { rps = $2 }
    /Non-2xx/ { err += $NF }
    /Socket errors/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.3f %.3f %d\n", rps, p50, p99, err }' "$WORK/wrk.out"
  if grep -qE "Non-2xx|Socket errors" "$WORK/wrk.out"; then grep -E "Non-2xx|Socket errors" "$WORK/wrk.out" | sed "s|^|wrk $1 c=$2: |" >&2; fi
}

# ghz PORT CONNS -> "rps p50ms p99ms errors"
run_ghz() {
  local args=(--insecure --proto "$PROTO_DIR/prediction.proto" --import-paths "$PROTO_DIR" --call seldon.protos.Model/Predict
    -d "$SMALL_JSON" -c "$2" --connections "$2")
  "$GHZ" "${args[@]}" -z "${WARMUP}s" "127.0.0.1:$1" >/dev/null 2>&1 || true
  if ! "$GHZ" "${args[@]}" -z "${DURATION}s" --format json "127.0.0.1:$1" > "$WORK/ghz.json" 2> "$WORK/ghz.err"; then
    echo "ghz failed against 127.0.0.1:$1:" >&2; cat "$WORK/ghz.err" >&2; echo "0 0 0 failed"; return
  fi
  python3 "$ROOT/bench/ghz_summary.py" "$WORK/ghz.json" "$2"
}

# The wrapper's processes (its process group): their number, to see workers die under load.
group_size() { ps -o pid= -g "$1" 2>/dev/null | wc -l; }

declare -A RESULT=()   # "workers|transport|conns|wrapper" -> "rps p50 p99 errors"
NOTES=()
note() { NOTES+=("$1"); echo "note: $1" >&2; }

measure() { # wrapper workers transport conns
  local w="$1" n="$2" t="$3" c="$4" r before
  if ! kill -0 "${PID[$w]}" 2>/dev/null; then RESULT["$n|$t|$c|$w"]="0 0 0 down"; return; fi
  before=$(group_size "${PID[$w]}")
  # The client runs in the background and is waited for, so that a signal stops the run at once (cleanup).
  case "$t" in
    REST) run_wrk "http://127.0.0.1:$(port_of "$w" http)/api/v1.0/predictions" "$c" "$SMALL" ;;
    "REST 1 MiB") run_wrk "http://127.0.0.1:$(port_of "$w" http)/api/v1.0/predictions" "$c" "$BIG" ;;
    gRPC) run_ghz "$(port_of "$w" grpc)" "$c" ;;
  esac > "$WORK/result" &
  CLIENT=$!
  wait "$CLIENT" || true
  CLIENT=
  r=$(cat "$WORK/result")
  RESULT["$n|$t|$c|$w"]="$r"
  echo "$(label_of "$w"), $n worker(s), $t, c=$c: $r (req/s p50 p99 errors)" >&2
  if ! kill -0 "${PID[$w]}" 2>/dev/null; then
    note "$(label_of "$w") ($n workers) exited during $t c=$c"; log_tail "$w" "$n"
  elif [ "$(group_size "${PID[$w]}")" != "$before" ]; then
    note "$(label_of "$w") ($n workers): $before processes before $t c=$c, $(group_size "${PID[$w]}") after"
  fi
}

# Lines of the wrapper's log that tell of trouble (read before it is stopped: stopping logs terminations).
scan_log() { # wrapper workers
  local w="$1" n="$2" hits
  hits=$(grep -cE "Traceback|WORKER TIMEOUT|was terminated|Worker exiting|Segmentation|Killed|CRITICAL| ERROR|Exception" "$WORK/$w-$n.log" || true)
  if [ "$hits" -gt 0 ]; then
    note "$(label_of "$w") ($n workers): $hits log line(s) of trouble, first: $(grep -m1 -E "Traceback|WORKER TIMEOUT|was terminated|Worker exiting|Segmentation|Killed|CRITICAL| ERROR|Exception" "$WORK/$w-$n.log" | cut -c1-200)"
  fi
}

grpc_listeners() { ss -Hltn "sport = :$1" 2>/dev/null | wc -l; }

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
TRANSPORTS=()
has_part rest && TRANSPORTS+=("REST")
has_part big && TRANSPORTS+=("REST 1 MiB")
has_part grpc && TRANSPORTS+=("gRPC")
CELL=0
for n in $WORKERS; do
  for w in $WRAPPERS; do start_wrapper "$w" "$n"; done
  for w in $WRAPPERS; do wait_ready "$w" "$n"; done
  for w in $WRAPPERS; do check_wrapper "$w" "$n"; done
  for w in $WRAPPERS; do
    echo "$(label_of "$w"), $n worker(s): $(group_size "${PID[$w]}") processes, $(grpc_listeners "$(port_of "$w" grpc)") gRPC listening socket(s)" >&2
  done
  for t in "${TRANSPORTS[@]}"; do
    conns="$CONNS"
    [ "$t" != "REST 1 MiB" ] || conns=1
    for c in $conns; do
      # Every other cell in the reverse order: neither wrapper always runs first.
      CELL=$((CELL + 1))
      order=
      for w in $WRAPPERS; do
        if [ $((CELL % 2)) = 1 ]; then order="$order $w"; else order="$w $order"; fi
      done
      for w in $order; do measure "$w" "$n" "$t" "$c"; done
    done
  done
  for w in $WRAPPERS; do scan_log "$w" "$n"; stop_wrapper "$w"; done
done

pyversion() { "$(dirname "$(bin_of "$1")")/python" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo "?"; }
{
  echo "Python wrapper benchmark, $(date -u +%Y-%m-%dT%H:%MZ): $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
  for w in $WRAPPERS; do echo "$(label_of "$w"): $(bin_of "$w" | sed "s|^$ROOT/||"), Python $(pyversion "$w")."; done
  echo "MyModel (identity), unit \`classifier\`; $THREADS thread(s) per worker; gRPC workers = gunicorn workers."
  echo "Clients: wrk -t1 (--timeout $WRK_TIMEOUT), ghz (--connections = concurrency); ${DURATION}s per cell after ${WARMUP}s warm-up;"
  echo "small body \`$SMALL_JSON\`, 1 MiB body a $(wc -c < "$BIG")-byte \`tensor\`."
  echo
  echo "| wrapper | workers | transport | concurrency | req/s | p50 ms | p99 ms | errors | req/s vs Seldon |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for n in $WORKERS; do
    for t in "${TRANSPORTS[@]}"; do
      conns="$CONNS"
      [ "$t" != "REST 1 MiB" ] || conns=1
      for c in $conns; do
        for w in $WRAPPERS; do
          read -r rps p50 p99 err <<<"${RESULT["$n|$t|$c|$w"]}"
          rel=-
          if [ "$w" != seldon ] && [ -n "${RESULT["$n|$t|$c|seldon"]:-}" ]; then
            rel=$(awk -v a="$rps" -v b="${RESULT["$n|$t|$c|seldon"]%% *}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
          fi
          printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(label_of "$w")" "$n" "$t" "$c" "$rps" "$p50" "$p99" "$err" "$rel"
        done
      done
    done
  done
  if [ "${#NOTES[@]}" -gt 0 ]; then
    echo
    echo "Notes:"
    printf -- '- %s\n' "${NOTES[@]}"
  fi
} | tee "$OUT"
