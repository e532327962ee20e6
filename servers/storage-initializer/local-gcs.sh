#!/usr/bin/env bash
# A local Google Cloud Storage for development and tests: fake-gcs-server on $GCS_HOST:<port>,
# in memory, with the bucket the seeds' SeldonDeployments read, seldon-models, holding
#   sklearn/iris/model.joblib and v1.15.0-dev/sklearn/iris/model.joblib
# (an iris classifier trained here with scikit-learn; nothing is downloaded).
# When it is ready it prints the endpoint, as the line `export RCLONE_CONFIG_GS_ENDPOINT=<url>`,
# then serves until stopped (Ctrl-C, SIGTERM). The tests start it the same way.
#
# usage: servers/storage-initializer/local-gcs.sh [port]      (default 4443)
# env:   FAKE_GCS_SERVER  the binary (default <repo>/.tools/storage/bin/fake-gcs-server, `make storage-tools`)
#        GCS_HOST         the address to listen on (default 127.0.0.1; the test cluster's pods reach the node's
#                         bridge address, 10.244.100.1)
#        SKLEARN_PYTHON   a Python with scikit-learn and joblib (default <repo>/.venv-servers/sklearn/bin/python,
#                         else <repo>/.venv/bin/python, made by `make venv`)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
port=${1:-4443}
host=${GCS_HOST:-127.0.0.1}
server=${FAKE_GCS_SERVER:-$repo/.tools/storage/bin/fake-gcs-server}
python=${SKLEARN_PYTHON:-}
if [ -z "$python" ]; then
  for candidate in "$repo/.venv-servers/sklearn/bin/python" "$repo/.venv/bin/python"; do
    if [ -x "$candidate" ]; then python=$candidate; break; fi
  done
fi
[ -x "$server" ] || { echo "local-gcs: $server is missing: run \`make storage-tools\`" >&2; exit 1; }
[ -n "$python" ] || { echo "local-gcs: no Python with scikit-learn: run \`make venv\` or set SKLEARN_PYTHON" >&2; exit 1; }

data=$(mktemp -d)
pid=
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

# The data folder's layout is <bucket>/<object name>; the memory backend reads it once at start.
model=$data/seldon-models/sklearn/iris/model.joblib
mkdir -p "$(dirname "$model")" "$data/seldon-models/v1.15.0-dev/sklearn/iris"
"$python" - "$model" <<'PY'
import sys

import joblib
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

x, y = load_iris(return_X_y=True)
joblib.dump(LogisticRegression(max_iter=1000).fit(x, y), sys.argv[1])
PY
cp "$model" "$data/seldon-models/v1.15.0-dev/sklearn/iris/model.joblib"

"$server" -backend memory -data "$data" -scheme http -host "$host" -port "$port" -log-level warn &
pid=$!
endpoint=http://$host:$port/storage/v1/
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
    echo "local-gcs: fake-gcs-server on $host:$port, bucket seldon-models:" \
      "sklearn/iris/model.joblib, v1.15.0-dev/sklearn/iris/model.joblib"
    echo "export RCLONE_CONFIG_GS_ENDPOINT=$endpoint"
    wait "$pid"
    exit $?
  fi
  kill -0 "$pid" 2>/dev/null || { echo "local-gcs: fake-gcs-server exited (port $port in use?)" >&2; exit 1; }
  sleep 0.1
done
echo "local-gcs: fake-gcs-server did not listen on $host:$port within 10 s" >&2
exit 1
