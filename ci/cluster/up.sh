#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Start the test cluster on this machine, no Docker needed: etcd + kube-apiserver (TLS, RBAC,
# admission webhooks) + kube-controller-manager + kube-scheduler on loopback, the pod network
# (bridge + unreachable routes), the project's node agent with the Emissary-style gateway on
# localhost:$GATEWAY_PORT, and optionally kwok for fake nodes. Idempotent: what already runs is
# kept. The last line printed is `export KUBECONFIG=<path>`.
#
# usage: ci/cluster/up.sh             (as root: network namespaces and routes need it)
# env:   NODE_AGENT=0  no node agent (control plane only)   KWOK=1  also kwok and node kwok-node-0
#        CLUSTER_STATE, CLUSTER_TOOLS, API_PORT, ... see versions.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.sh
. "$here/versions.sh"
NODE_AGENT=${NODE_AGENT:-1}
KWOK=${KWOK:-0}
bin=$CLUSTER_TOOLS/bin pki=$CLUSTER_STATE/pki run=$CLUSTER_STATE/run logs=$CLUSTER_STATE/logs
mkdir -p "$pki" "$run" "$logs" "$CLUSTER_STATE/data"
export KUBECONFIG=$pki/admin.kubeconfig
started=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - started) / 1000000 )) ms"; }

[ "$(id -u)" = 0 ] || { echo "ci/cluster/up.sh must run as root (network namespaces, routes)" >&2; exit 1; }

# ---- binaries (built once into $CLUSTER_TOOLS) and etcd (Debian's package) ----
tools=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
[ "$KWOK" = 1 ] && tools+=(kwok)
"$here/build-tools.sh" "${tools[@]}"
if ! command -v etcd >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server >/dev/null
fi

# shellcheck source=processes.sh
. "$here/processes.sh"

# ---- the pod network ----
# A bridge left by a run that was killed rather than stopped may still hold its pods' veths (and
# their addresses): without a running node agent, start from a new one.
alive node-agent || "$here/network.sh" down
"$here/network.sh" up

# ---- certificates (made once per state folder) ----
"$here/pki.sh" "$pki"

# ---- processes ----
start etcd etcd --name seldonj --data-dir "$CLUSTER_STATE/data/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "seldonj=http://127.0.0.1:$ETCD_PEER_PORT" --quota-backend-bytes 2147483648
wait_for etcd 30 curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

# The API server listens on every address so that pods (in their own network namespaces) reach it
# at the bridge address; it advertises that address. Webhook Services are dialled at their
# endpoints' (real pod) addresses, never at a ClusterIP (--enable-aggregator-routing).
start kube-apiserver "$bin/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address=0.0.0.0 --advertise-address="$BRIDGE_ADDRESS" --secure-port="$API_PORT" \
  --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
  --client-ca-file="$pki/ca.crt" \
  --requestheader-client-ca-file="$pki/ca.crt" --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-cluster-ip-range="$SERVICE_CIDR" \
  --authorization-mode=Node,RBAC --allow-privileged=true \
  --enable-admission-plugins=NamespaceLifecycle,ServiceAccount,DefaultStorageClass,ResourceQuota,OwnerReferencesPermissionEnforcement,MutatingAdmissionWebhook,ValidatingAdmissionWebhook \
  --enable-aggregator-routing=true --endpoint-reconciler-type=none \
  --profiling=false --v=1
wait_for kube-apiserver 180 kubectl get --raw /readyz
echo "control plane API ready after $(elapsed)"

start kube-controller-manager "$bin/kube-controller-manager" \
  --kubeconfig="$pki/controller-manager.kubeconfig" \
  --authentication-kubeconfig="$pki/controller-manager.kubeconfig" \
  --authorization-kubeconfig="$pki/controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --leader-elect=false \
  --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
  --use-service-account-credentials=true --service-cluster-ip-range="$SERVICE_CIDR" \
  --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
  --concurrent-gc-syncs=20 --kube-api-qps=100 --kube-api-burst=200 --v=1
start kube-scheduler "$bin/kube-scheduler" \
  --kubeconfig="$pki/scheduler.kubeconfig" \
  --authentication-kubeconfig="$pki/scheduler.kubeconfig" \
  --authorization-kubeconfig="$pki/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port="$SCHEDULER_PORT" --leader-elect=false --v=1
wait_for kube-controller-manager 120 curl -fsSk "https://127.0.0.1:$KCM_PORT/healthz"
wait_for kube-scheduler 120 curl -fsSk "https://127.0.0.1:$SCHEDULER_PORT/healthz"
# Pods are refused until the namespace's default ServiceAccount exists.
wait_for kube-controller-manager 120 kubectl get serviceaccount default -n default
echo "control plane ready after $(elapsed)"
# What Emissary's chart would install: its Mapping CRD (a typed stand-in; Envoy cannot run here, so
# the node agent's gateway plays Emissary).
kubectl apply --server-side --force-conflicts -f "$here/manifests/getambassador-mapping-crd.yaml" >/dev/null

if [ "$NODE_AGENT" = 1 ]; then
  jar=$repo_root/node/target/seldonj-node.jar
  [ -f "$jar" ] || { echo "the node agent is not built: make node (or mvn -pl node -am install -DskipTests)" >&2; exit 1; }
  start node-agent java -Xmx256m -jar "$jar" --kubeconfig="$pki/admin.kubeconfig" --node-name="$NODE_NAME" \
    --bridge="$BRIDGE" --bridge-address="$BRIDGE_ADDRESS/$BRIDGE_PREFIX" \
    --api-server="https://$BRIDGE_ADDRESS:$API_PORT" --state-dir="$CLUSTER_STATE/node" \
    --repo-dir="$repo_root" --gateway-port="$GATEWAY_PORT" ${NODE_IMAGES:+--images="$NODE_IMAGES"}
  wait_for node-agent 120 node_ready "$NODE_NAME"
  echo "node $NODE_NAME Ready after $(elapsed)"
fi

if [ "$KWOK" = 1 ]; then
  stages=$CLUSTER_STATE/kwok-stages.yaml
  [ -s "$stages" ] || "$here/kwok-stages.sh" > "$stages"
  start kwok "$bin/kwok" --kubeconfig="$pki/admin.kubeconfig" --config="$stages" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --manage-nodes-with-label-selector= --cidr="$KWOK_POD_CIDR" --node-ip=127.0.0.1 \
    --node-lease-duration-seconds=40
  # Tainted, so that only pods that tolerate it (benchmarks without processes) land there.
  kubectl apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-0
  annotations: {node.alpha.kubernetes.io/ttl: "0", kwok.x-k8s.io/node: fake}
  labels: {kubernetes.io/hostname: kwok-node-0, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok}
spec:
  taints: [{key: kwok.x-k8s.io/node, value: fake, effect: NoSchedule}]
YAML
  wait_for kwok 60 node_ready kwok-node-0
  echo "kwok node Ready after $(elapsed)"
fi
echo "cluster up in $(elapsed)"
echo "export KUBECONFIG=$KUBECONFIG"
