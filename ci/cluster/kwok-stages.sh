#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Print the kwok Stage objects the fake nodes need (kwok exits with "no stages found" without them):
# kwok's own defaults for a fast node, a lease heartbeat, and pods that become ready, complete and
# are deleted, read from the kwok module that build-tools.sh fetched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.sh
. "$here/versions.sh"
src=$(cd "$CLUSTER_TOOLS" && GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" |
  sed -n 's/.*"Dir": "\(.*\)",/\1/p')/kustomize/stage
for stage in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
  pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
  echo "---"
  cat "$src/$stage"
done
