#!/usr/bin/env bash
# Installs Emissary-ingress from its upstream chart (never copied into ours) so that the Mappings the
# seldonj operator emits are served at http://<emissary>/seldon/<namespace>/<deployment>/...
# Needs kubectl and helm pointed at the cluster, and network access to Emissary's chart repository.
#   values/emissary/install.sh            # then: helm install seldon-core-operator ... -f values/ingress-emissary.yaml
set -euo pipefail

EMISSARY_VERSION="${EMISSARY_VERSION:-3.9.1}"    # Emissary 3.x serves getambassador.io/v3alpha1
EMISSARY_CHART_VERSION="${EMISSARY_CHART_VERSION:-8.9.1}"
NAMESPACE="${EMISSARY_NAMESPACE:-emissary}"
HERE="$(cd "$(dirname "$0")" && pwd)"

kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f -
# Emissary's CRDs (and their emissary-apiext conversion webhook) come from its own manifest, first.
kubectl apply -f "https://app.getambassador.io/yaml/emissary/${EMISSARY_VERSION}/emissary-crds.yaml"
kubectl wait --timeout=120s --for=condition=available deployment emissary-apiext -n emissary-system

helm repo add datawire https://app.getambassador.io >/dev/null
helm repo update datawire >/dev/null
helm upgrade --install emissary-ingress datawire/emissary-ingress \
  --namespace "$NAMESPACE" --version "$EMISSARY_CHART_VERSION" --wait
kubectl -n "$NAMESPACE" wait --for condition=available --timeout=120s \
  deployment -l app.kubernetes.io/instance=emissary-ingress

sed "s/namespace: emissary$/namespace: ${NAMESPACE}/" "$HERE/listeners.yaml" | kubectl apply -f -
echo "Emissary-ingress ${EMISSARY_VERSION} is ready in namespace ${NAMESPACE}."
