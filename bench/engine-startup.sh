#!/usr/bin/env bash
# Engine start-up time: from launching `java` to the first 200 on GET /live, over RUNS launches.
#   java -Xmx128m -jar <engine jar> --file examples/seldon-model.yaml --http_port <free> --grpc_port <free>
# The graph's model need not answer (/live does not call it). Measured without the application CDS
# archive (the JDK's default CDS stays on) and, when the archive exists, with -XX:SharedArchiveFile;
# the two alternate run by run so both see the same machine load. One launch before them is not
# counted (it warms the page cache). Reported per mode: median/min/max ms to /live, the median of the
# engine's own "started in N ms" (main() to fully started, gRPC included) and the process's CPU ms
# (user+sys) when /live first answered.
# Env: RUNS (default 5), ENGINE_JAR (default the built engine/target jar), ENGINE_CDS (default
# engine/target/engine.jsa; made by `make engine`), SDEP (default examples/seldon-model.yaml),
# JAVA (default java), JAVA_OPTS (default -Xmx128m); AOT_JAVA (a JDK 25 java) with ENGINE_AOT (default
# engine/target/engine.aot; made by `make engine-aot`) adds mode aot: JDK 25's ahead-of-time cache of
# the classes start-up loads and links (JEP 483), with the vector module, as the image runs it.
# Polls with bash's /dev/tcp every 5 ms (no curl process per poll: it would compete for the CPU).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS="${RUNS:-5}"
JAR="${ENGINE_JAR:-$ROOT/engine/target/seldonj-engine-0.1.0-SNAPSHOT.jar}"
CDS="${ENGINE_CDS:-$ROOT/engine/target/engine.jsa}"
AOT_JAVA="${AOT_JAVA:-}"
AOT="${ENGINE_AOT:-$ROOT/engine/target/engine.aot}"
SDEP="${SDEP:-$ROOT/examples/seldon-model.yaml}"
JAVA="${JAVA:-java}"
read -r -a JAVA_OPTS <<< "${JAVA_OPTS:--Xmx128m}"
TIMEOUT_MS=30000
[ -f "$JAR" ] || { echo "no engine jar at $JAR: build it first (mvn -pl api,engine package -DskipTests)" >&2; exit 1; }

WORK="$(mktemp -d /tmp/engine-startup.XXXXXX)"
ENGINE_PID=
cleanup() {
  if [ -n "$ENGINE_PID" ]; then kill "$ENGINE_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
CLK_TCK="$(getconf CLK_TCK)"
# A pipe nobody writes to: `read -t` on it is a sleep without forking a process.
exec {PAUSE_FD}<> <(:)

now_us() { echo "${EPOCHREALTIME/./}"; }
pause() { read -r -t "$1" -u "$PAUSE_FD" _ || true; }

# Nothing listens on 127.0.0.1:$1.
port_free() {
  local probe
  { exec {probe}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 0
  exec {probe}>&-
  return 1
}
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    if port_free "$port"; then echo "$port"; return; fi
  done
}

# GET /live on 127.0.0.1:$1 answers 200.
live() {
  local fd status=
  { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  { printf 'GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&"$fd"; } 2>/dev/null || true
  IFS= read -r -t 2 -u "$fd" status || true
  exec {fd}>&-
  [[ $status == "HTTP/1.1 200"* ]]
}

# One launch; prints "<ms to /live> <started-in ms> <cpu ms>". $1: the mode, then extra JVM options.
launch() {
  local java=$JAVA
  [ "$1" = aot ] && java=$AOT_JAVA
  shift
  local http grpc t0 elapsed cpu started stat
  http="$(free_port)"
  grpc="$(free_port)"
  while [ "$grpc" = "$http" ]; do grpc="$(free_port)"; done
  t0="$(now_us)"
  "$java" "${JAVA_OPTS[@]}" "$@" -jar "$JAR" --file "$SDEP" --http_port "$http" --grpc_port "$grpc" \
    >"$WORK/out" 2>&1 &
  ENGINE_PID=$!
  until live "$http"; do
    if ! kill -0 "$ENGINE_PID" 2>/dev/null; then
      echo "the engine exited before answering /live:" >&2; cat "$WORK/out" >&2; exit 1
    fi
    if (( ($(now_us) - t0) / 1000 > TIMEOUT_MS )); then
      echo "no 200 on /live after ${TIMEOUT_MS} ms:" >&2; cat "$WORK/out" >&2; exit 1
    fi
    pause 0.005
  done
  elapsed=$(( ($(now_us) - t0) / 1000 ))
  read -r -a stat < "/proc/$ENGINE_PID/stat"
  # Fields 14 and 15 (utime, stime) in clock ticks; the command name (field 2) has no spaces ("(java)").
  cpu=$(( (stat[13] + stat[14]) * 1000 / CLK_TCK ))
  started=
  for _ in $(seq 200); do # the log line comes after gRPC starts, possibly after /live answers
    started="$(sed -n 's/.*started in \([0-9]*\) ms.*/\1/p' "$WORK/out")"
    [ -n "$started" ] && break
    pause 0.01
  done
  kill "$ENGINE_PID"
  wait "$ENGINE_PID" 2>/dev/null || true
  ENGINE_PID=
  echo "$elapsed ${started:-?} $cpu"
}

# One line for mode $1 from its results file $2: median/min/max of column 1, medians of columns 2 and 3.
# (awk passes arrays by reference: median() leaves `live` sorted, so live[1] is the min.)
summary() {
  awk '{ live[NR] = $1; started[NR] = $2; cpu[NR] = $3 }
    function median(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      return n % 2 ? a[(n + 1) / 2] : int((a[n / 2] + a[n / 2 + 1]) / 2)
    }
    END {
      n = NR; m = median(live, n)
      printf "%-8s %6d %6d %6d   %14s   %8d\n", mode, m, live[1], live[n], median(started, n), median(cpu, n)
    }' mode="$1" "$2"
}

MODES=(nocds)
if [ -f "$CDS" ]; then MODES+=(cds); else echo "no CDS archive at $CDS: measuring without it only" >&2; fi
if [ -n "$AOT_JAVA" ]; then
  if [ -f "$AOT" ]; then MODES+=(aot); else echo "no AOT cache at $AOT: make engine-aot" >&2; fi
fi
opts_of() {
  case "$1" in
    cds) echo "-XX:SharedArchiveFile=$CDS" ;;
    aot) echo "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:AOTCache=$AOT" ;;
  esac
}

echo "engine start-up: $JAR, $RUNS runs per mode, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
# shellcheck disable=SC2046 # opts_of prints options without spaces in them
launch "${MODES[-1]}" $(opts_of "${MODES[-1]}") >/dev/null # warm-up launch, not counted
for run in $(seq "$RUNS"); do
  for mode in "${MODES[@]}"; do
    # shellcheck disable=SC2046
    result="$(launch "$mode" $(opts_of "$mode"))"
    echo "$result" >> "$WORK/$mode"
    echo "run $run $mode: /live after ${result%% *} ms" >&2
  done
done
echo "mode     /live ms (median, min, max)   started in (median)   CPU ms (median)"
for mode in "${MODES[@]}"; do summary "$mode" "$WORK/$mode"; done
