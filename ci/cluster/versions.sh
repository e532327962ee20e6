# Pinned versions, folders, ports and addresses of the test cluster; sourced by the scripts beside
# this file (and read by the Java test fixture through `make -s cluster-env`-style sourcing).
# shellcheck shell=bash disable=SC2034
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# v1.33.13: every k8s.io staging module it needs is served at v0.33.13 by the Go module proxy here.
K8S_VERSION=${K8S_VERSION:-v1.33.13}
KWOK_VERSION=${KWOK_VERSION:-v0.8.0}
HELM_VERSION=${HELM_VERSION:-v3.16.4}
# Built binaries (kept across runs) and the running cluster's state (certificates, etcd data, logs,
# PID files, the node agent's pods): both git-ignored.
CLUSTER_TOOLS=${CLUSTER_TOOLS:-$repo_root/.tools/cluster}
CLUSTER_STATE=${CLUSTER_STATE:-$repo_root/.run/cluster}
# The pinned kubectl (built with the rest, matching the server) before any other.
PATH=$CLUSTER_TOOLS/bin:$PATH
ETCD_PORT=${ETCD_PORT:-12379}
ETCD_PEER_PORT=${ETCD_PEER_PORT:-12380}
API_PORT=${API_PORT:-16443}
KCM_PORT=${KCM_PORT:-20257}
SCHEDULER_PORT=${SCHEDULER_PORT:-20259}
GATEWAY_PORT=${GATEWAY_PORT:-8003}
# Addresses. ClusterIPs and kwok's fake pod IPs exist on no machine: both ranges are routed
# `unreachable`, so nothing (API server, gateway, probes) can dial them. The node agent's bridge is
# the one reachable piece of the pod range: a /24 route, more specific than the unreachable /16.
SERVICE_CIDR=${SERVICE_CIDR:-10.96.0.0/16}
KUBERNETES_SERVICE_IP=${KUBERNETES_SERVICE_IP:-10.96.0.1}
POD_CIDR=${POD_CIDR:-10.244.0.0/16}
KWOK_POD_CIDR=${KWOK_POD_CIDR:-10.244.0.1/24}
BRIDGE=${BRIDGE:-seldonj0}
BRIDGE_ADDRESS=${BRIDGE_ADDRESS:-10.244.100.1}
BRIDGE_PREFIX=${BRIDGE_PREFIX:-24}
NODE_NAME=${NODE_NAME:-seldonj-node}
