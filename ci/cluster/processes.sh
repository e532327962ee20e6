# Start, wait for and stop the cluster's processes by PID file ($run/<name>.pid, logs in $logs).
# shellcheck shell=bash disable=SC2154  # run, logs: set by the sourcing script
alive() { [ -f "$run/$1.pid" ] && kill -0 "$(cat "$run/$1.pid")" 2>/dev/null; }

start() { # name command...
  local name=$1; shift
  if alive "$name"; then echo "$name already running (pid $(cat "$run/$name.pid"))"; return; fi
  setsid "$@" >>"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$run/$name.pid"
  echo "started $name (pid $!, log $logs/$name.log)"
}

wait_for() { # name timeout_s command...
  local name=$1 timeout=$2; shift 2
  local deadline=$(( $(date +%s) + timeout ))
  until "$@" >/dev/null 2>&1; do
    if ! alive "$name"; then echo "$name exited; the end of $logs/$name.log:" >&2; tail -20 "$logs/$name.log" >&2; return 1; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then echo "$name not ready after ${timeout} s; the end of $logs/$name.log:" >&2; tail -20 "$logs/$name.log" >&2; return 1; fi
    sleep 0.2
  done
}

node_ready() { # node name
  [ "$(kubectl get node "$1" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]
}

stop() { # name [grace_s]: only the process this folder started (its PID file), and only if it still is that program
  local name=$1 grace=${2:-10} file=$run/$1.pid pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null && grep -qa -- "$(stop_marker "$name")" "/proc/$pid/cmdline" 2>/dev/null; then
    kill -TERM "$pid"
    local i
    for ((i = 0; i < grace * 5; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "stopped $name (pid $pid)"
  fi
  rm -f "$file"
}

stop_marker() { # what the command line of each process contains
  case $1 in node-agent) echo seldonj-node.jar ;; *) echo "$1" ;; esac
}
