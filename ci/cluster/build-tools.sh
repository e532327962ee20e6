#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Build the pinned Kubernetes control-plane binaries, kwok and helm into a git-ignored tools folder.
# Each binary is built once and reused while present (delete it to rebuild).
#
# usage: ci/cluster/build-tools.sh [tool...]   (default: every tool)
#   tools: kube-apiserver kube-controller-manager kube-scheduler kubectl kwok helm
# env:   CLUSTER_TOOLS (default <repo>/.tools/cluster), K8S_VERSION, KWOK_VERSION, HELM_VERSION
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.sh
. "$here/versions.sh"
bin=$CLUSTER_TOOLS/bin
mod=$CLUSTER_TOOLS/k8s-$K8S_VERSION
mkdir -p "$bin" "$mod"
export CGO_ENABLED=0 GOFLAGS=-mod=mod

# k8s.io/kubernetes cannot be `go install`ed: its go.mod points each staging module at ./staging.
# A small module of our own requires it and pins every staging module to v0.<minor>.<patch>.
k8s_module() {
  [ -f "$mod/go.sum" ] && return
  local gomod staging
  gomod=$(cd "$mod" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
  staging=v0.${K8S_VERSION#v1.}
  {
    printf 'module seldonj.dev/cluster-tools\n\ngo 1.24\n\nrequire k8s.io/kubernetes %s\n\nreplace (\n' "$K8S_VERSION"
    awk '/^replace \(/ {inside=1; next} inside && /^\)/ {inside=0} inside && /=> \.\/staging/ {print $1}' "$gomod" |
      while read -r m; do printf '\t%s => %s %s\n' "$m" "$m" "$staging"; done
    printf ')\n'
  } > "$mod/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport (\n' > "$mod/tools.go"
  for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$c" >> "$mod/tools.go"
  done
  printf ')\n' >> "$mod/tools.go"
  (cd "$mod" && go mod tidy)
}

build_k8s() { # name
  k8s_module
  local v=k8s.io/component-base/version major minor
  major=${K8S_VERSION#v}; major=${major%%.*}
  minor=${K8S_VERSION#v*.}; minor=${minor%%.*}
  local ldflags="-s -w -X $v.gitVersion=$K8S_VERSION -X $v.gitMajor=$major -X $v.gitMinor=$minor -X $v.gitTreeState=clean"
  ldflags="$ldflags -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION"
  (cd "$mod" && go build -trimpath -tags=selinux,notest -ldflags "$ldflags" -o "$bin/$1" "k8s.io/kubernetes/cmd/$1")
}

build() { # name
  local start=$SECONDS
  if [ -x "$bin/$1" ]; then echo "cached: $bin/$1"; return; fi
  echo "building $1"
  case $1 in
    kube-apiserver|kube-controller-manager|kube-scheduler|kubectl) build_k8s "$1" ;;
    kwok) GOBIN=$bin go install -trimpath -ldflags '-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" ;;
    helm) GOBIN=$bin go install -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
            "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" ;;
    *) echo "unknown tool: $1" >&2; return 2 ;;
  esac
  echo "built $1 in $((SECONDS - start)) s"
}

[ $# -gt 0 ] || set -- kube-apiserver kube-controller-manager kube-scheduler kubectl kwok helm
for tool in "$@"; do build "$tool"; done
