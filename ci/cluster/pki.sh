#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Certificates and kubeconfigs of the test cluster, made once per folder (EC P-256, 10 years):
# a CA; the API server's serving certificate (loopback, the bridge address, the kubernetes
# Service's ClusterIP and DNS names); client certificates for the admin (group system:masters),
# kube-controller-manager and kube-scheduler; the service-account signing key pair.
# usage: pki.sh <folder>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.sh
. "$here/versions.sh"
dir=${1:?usage: pki.sh <folder>}
[ -f "$dir/admin.kubeconfig" ] && exit 0
mkdir -p "$dir"
cd "$dir"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
  -keyout ca.key -out ca.crt -subj "/CN=seldonj-test-cluster-ca" 2>/dev/null

sign() { # name subject extensions
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  printf '%b\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -out "$1.crt" -extfile "$1.ext" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
sign apiserver /CN=kube-apiserver "subjectAltName=IP:127.0.0.1,IP:$BRIDGE_ADDRESS,IP:$KUBERNETES_SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth"
sign admin "/CN=seldonj-admin/O=system:masters" "extendedKeyUsage=clientAuth"
sign controller-manager /CN=system:kube-controller-manager "extendedKeyUsage=clientAuth"
sign scheduler /CN=system:kube-scheduler "extendedKeyUsage=clientAuth"
openssl genrsa -out sa.key 2048 2>/dev/null
openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null

for user in admin controller-manager scheduler; do
  cat > "$user.kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: seldonj
  cluster: {server: "https://127.0.0.1:$API_PORT", certificate-authority: "$dir/ca.crt"}
users:
- name: $user
  user: {client-certificate: "$dir/$user.crt", client-key: "$dir/$user.key"}
contexts:
- name: seldonj
  context: {cluster: seldonj, user: $user}
current-context: seldonj
YAML
  chmod 600 "$user.kubeconfig"
done
