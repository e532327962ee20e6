#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Stop what ci/cluster/up.sh started (by PID file, checking each PID is still that program) and
# remove the pod network. --wipe also deletes the cluster's state (etcd data, certificates, logs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.sh
. "$here/versions.sh"
# shellcheck disable=SC2034  # read by processes.sh
run=$CLUSTER_STATE/run logs=$CLUSTER_STATE/logs
# shellcheck source=processes.sh
. "$here/processes.sh"
# The node agent first: it stops its pods' processes and removes their network namespaces.
stop node-agent 30
for name in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do stop "$name"; done
"$here/network.sh" down
if [ "${1:-}" = --wipe ]; then
  rm -rf "$CLUSTER_STATE"
  echo "removed $CLUSTER_STATE"
fi
