#!/usr/bin/env bash
# Full-cluster test: kind + Emissary + seldon-core-operator + seldon-single-model, predictions through
# Emissary with curl and Seldon's Python client, and a 75/25 canary split. Needs docker, kind, kubectl,
# helm, curl, jq and python3 (versions pinned in .github/workflows/kind-e2e.yaml). Run from anywhere:
#   ci/kind-e2e.sh            # KEEP_CLUSTER=1 keeps the cluster for debugging
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CI_DIR="${ROOT}/ci"
CLUSTER="${CLUSTER:-seldonj-e2e}"
APP_VERSION="${APP_VERSION:-0.1.0}"
NAMESPACE="${NAMESPACE:-seldon-e2e}"
OPERATOR_NAMESPACE="${OPERATOR_NAMESPACE:-seldon-system}"
EMISSARY_VERSION="${EMISSARY_VERSION:-3.9.1}"
EMISSARY_CHART_VERSION="${EMISSARY_CHART_VERSION:-8.9.1}"
SELDON_CORE_PY_VERSION="${SELDON_CORE_PY_VERSION:-1.17.1}"
GATEWAY_PORT="${GATEWAY_PORT:-8003}"
CANARY_REQUESTS="${CANARY_REQUESTS:-200}"
ENGINE_IMAGE="seldonj/engine:${APP_VERSION}"
CONTROLLER_IMAGE="seldonj/controller:${APP_VERSION}"
MODEL_IMAGE="seldonj/mock-classifier:${APP_VERSION}"
# A Python model on the project's Apache-2.0 wrapper, and the images the operator's defaults name for
# SKLEARN_SERVER and the storage initializer (servers/, docs/prepackaged.md).
PYTHON_MODEL_IMAGE="seldonj/python-example-model:${APP_VERSION}"
SKLEARN_SERVER_IMAGE="seldonj/sklearnserver:${APP_VERSION}"
STORAGE_INITIALIZER_IMAGE="seldonj/storage-initializer:${APP_VERSION}"
# Dockerfiles: engine/ and controller/ build from the repository root, components/ from its own
# directory with the component's name as a build argument (see each Dockerfile's header).
PORT_FORWARD_PID=""

log() { printf '\n=== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

teardown() {
  local status=$?
  if [[ -n "${PORT_FORWARD_PID}" ]]; then
    kill "${PORT_FORWARD_PID}" 2>/dev/null || true
  fi
  if [[ ${status} -ne 0 ]]; then
    log "failure diagnostics"
    kubectl get pods -A -o wide || true
    kubectl -n "${NAMESPACE}" get seldondeployments -o yaml || true
    kubectl -n "${OPERATOR_NAMESPACE}" logs deploy/seldon-core-operator --tail=200 || true
  fi
  if [[ "${KEEP_CLUSTER:-0}" != "1" ]]; then
    kind delete cluster --name "${CLUSTER}" || true
  fi
  exit "${status}"
}

require_tools() {
  local tool
  for tool in docker kind kubectl helm curl jq python3; do
    command -v "${tool}" >/dev/null || fail "${tool} is required"
  done
}

build_images() {
  log "build jars and images"
  # A JDK 25 puts the engine's SIMD payload scanner into its jar (the image runs JDK 25); without one
  # the engine checks payloads in plain Java.
  local jdk25
  jdk25="${JDK25_HOME:-$(find /usr/lib/jvm -maxdepth 1 -name 'temurin-25-jdk-*' 2>/dev/null | head -1)}"
  [ -n "${jdk25}" ] || log "no JDK 25 (JDK25_HOME): the engine jar is built without its vector scanner"
  (cd "${ROOT}" && JDK25_HOME="${jdk25}" mvn -B -ntp -q install -DskipTests)
  docker build -f "${ROOT}/engine/Dockerfile" -t "${ENGINE_IMAGE}" "${ROOT}"
  docker build -f "${ROOT}/controller/Dockerfile" -t "${CONTROLLER_IMAGE}" "${ROOT}"
  docker build --build-arg COMPONENT=mock-classifier -t "${MODEL_IMAGE}" "${ROOT}/components"
  docker build -f "${ROOT}/examples/python-model/Dockerfile" -t "${PYTHON_MODEL_IMAGE}" "${ROOT}"
  docker build -f "${ROOT}/servers/sklearnserver/Dockerfile" -t "${SKLEARN_SERVER_IMAGE}" "${ROOT}"
  docker build -f "${ROOT}/servers/storage-initializer/Dockerfile" -t "${STORAGE_INITIALIZER_IMAGE}" "${ROOT}"
}

create_cluster() {
  log "kind cluster ${CLUSTER}"
  kind create cluster --name "${CLUSTER}" --wait 120s
  kind load docker-image --name "${CLUSTER}" "${ENGINE_IMAGE}" "${CONTROLLER_IMAGE}" "${MODEL_IMAGE}" \
    "${PYTHON_MODEL_IMAGE}" "${SKLEARN_SERVER_IMAGE}" "${STORAGE_INITIALIZER_IMAGE}"
}

install_emissary() {
  log "Emissary ${EMISSARY_VERSION}: CRDs, chart, listeners and host"
  kubectl apply -f "https://app.getambassador.io/yaml/emissary/${EMISSARY_VERSION}/emissary-crds.yaml"
  kubectl wait --timeout=180s --for=condition=available deployment emissary-apiext -n emissary-system
  helm repo add datawire https://app.getambassador.io --force-update
  helm repo update datawire
  helm install emissary-ingress datawire/emissary-ingress --version "${EMISSARY_CHART_VERSION}" \
    --namespace emissary --create-namespace \
    --set replicaCount=1 --set service.type=ClusterIP --wait --timeout 300s
  kubectl -n emissary wait --for condition=available --timeout=180s deploy -lapp.kubernetes.io/instance=emissary-ingress
  kubectl apply -f "${CI_DIR}/emissary-listeners.yaml"
}

install_operator() {
  log "seldon-core-operator"
  helm install seldon-core-operator "${ROOT}/charts/seldon-core-operator" \
    --namespace "${OPERATOR_NAMESPACE}" --create-namespace \
    --set ambassador.enabled=true \
    --wait --timeout 300s
  kubectl -n "${OPERATOR_NAMESPACE}" rollout status deploy/seldon-core-operator --timeout=180s
}

wait_available() {
  local name=$1
  log "waiting for SeldonDeployment ${name} to be Available"
  kubectl -n "${NAMESPACE}" wait "seldondeployment/${name}" --for=jsonpath='{.status.state}'=Available --timeout=300s
}

start_port_forward() {
  kubectl -n emissary port-forward svc/emissary-ingress "${GATEWAY_PORT}:80" >/dev/null 2>&1 &
  PORT_FORWARD_PID=$!
  local attempt
  for attempt in $(seq 1 60); do
    if curl -s -o /dev/null "http://localhost:${GATEWAY_PORT}/"; then
      return 0
    fi
    sleep 1
  done
  fail "Emissary port-forward on ${GATEWAY_PORT} never answered (${attempt} attempts)"
}

# POSTs the seed request until Emissary has picked up the Mapping (it reconfigures asynchronously).
predict_curl() {
  local name=$1 attempt body
  for attempt in $(seq 1 60); do
    if body=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{"data":{"ndarray":[[1,2,3,4]]}}' \
      "http://localhost:${GATEWAY_PORT}/seldon/${NAMESPACE}/${name}/api/v1.0/predictions"); then
      printf '%s\n' "${body}"
      return 0
    fi
    sleep 2
  done
  fail "no prediction from ${name} through Emissary after ${attempt} attempts"
}

test_single_model() {
  log "seldon-single-model with ${MODEL_IMAGE}"
  kubectl create namespace "${NAMESPACE}"
  helm install mock "${ROOT}/charts/seldon-single-model" --namespace "${NAMESPACE}" \
    --set model.image.name="${MODEL_IMAGE}"
  wait_available mock
  start_port_forward
  local body
  body=$(predict_curl mock)
  echo "curl answer: ${body}"
  # The mock classifier answers one probability per row, named "proba".
  jq -e '.data.names == ["proba"]' <<<"${body}" >/dev/null || fail "not the mock classifier's answer: ${body}"

  log "Seldon's Python client (seldon-core ${SELDON_CORE_PY_VERSION}), REST and gRPC"
  local venv
  venv="$(mktemp -d)/venv"
  python3 -m venv "${venv}"
  "${venv}/bin/pip" install -q "seldon-core==${SELDON_CORE_PY_VERSION}"
  "${venv}/bin/python" "${CI_DIR}/seldon_client_predict.py" \
    --deployment mock --namespace "${NAMESPACE}" --endpoint "localhost:${GATEWAY_PORT}"
}

test_python_model() {
  log "seldon-single-model with ${PYTHON_MODEL_IMAGE} (the seeds' MyModel on the project's Python wrapper)"
  helm install python-model "${ROOT}/charts/seldon-single-model" --namespace "${NAMESPACE}" \
    --set model.image.name="${PYTHON_MODEL_IMAGE}"
  wait_available python-model
  local body
  body=$(predict_curl python-model)
  echo "curl answer: ${body}"
  # MyModel echoes its input, named t:0..t:3 by the wrapper.
  jq -e '.data.ndarray == [[1,2,3,4]] and .data.names == ["t:0","t:1","t:2","t:3"]' <<<"${body}" >/dev/null \
    || fail "not MyModel's answer: ${body}"
}

test_canary() {
  log "canary: 75/25 split over ${CANARY_REQUESTS} requests"
  kubectl -n "${NAMESPACE}" apply -f "${CI_DIR}/canary-seldondeployment.yaml"
  wait_available canary
  predict_curl canary >/dev/null
  local i canary_answers=0 key
  for i in $(seq 1 "${CANARY_REQUESTS}"); do
    key=$(curl -sf -X POST -H 'Content-Type: application/json' -d '{"data":{"ndarray":[[1,2,3,4]]}}' \
      "http://localhost:${GATEWAY_PORT}/seldon/${NAMESPACE}/canary/api/v1.0/predictions" \
      | jq -r '.meta.requestPath | keys[0]') || fail "request ${i} to canary failed"
    if [[ "${key}" == "classifier-canary" ]]; then
      canary_answers=$((canary_answers + 1))
    fi
  done
  echo "canary answered ${canary_answers} of ${CANARY_REQUESTS}"
  # 25 % expected; the bounds are wide enough to never flake and narrow enough to catch 0/50/100 %.
  [[ ${canary_answers} -ge $((CANARY_REQUESTS / 10)) && ${canary_answers} -le $((CANARY_REQUESTS * 2 / 5)) ]] \
    || fail "canary share ${canary_answers}/${CANARY_REQUESTS} is outside 10-40 %"
}

main() {
  require_tools
  trap teardown EXIT
  build_images
  create_cluster
  install_emissary
  install_operator
  test_single_model
  test_python_model
  test_canary
  log "kind e2e passed"
}

main "$@"
