#!/usr/bin/env bash
# Builds Prometheus' promtool at a pinned release from its Go module into a folder:
#   ci/prometheus/build-promtool.sh v0.42.0 .tools/prometheus/bin
# Debian's promtool (package prometheus) is built without the Kubernetes service discovery, so it
# refuses kubernetes_sd_configs; upstream's checks the analytics chart's configuration as a cluster's
# Prometheus reads it. Prometheus' go.mod has replace directives, which `go install pkg@version`
# refuses, so the build runs in a throw-away module that requires it and repeats them.
set -euo pipefail
version=${1:?usage: build-promtool.sh <prometheus module version, e.g. v0.42.0> <bin dir>}
bin=$(mkdir -p "${2:?bin dir}" && cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/go.mod" <<MOD
module seldonj.local/promtool

go 1.19

require github.com/prometheus/prometheus $version

replace (
	k8s.io/klog => github.com/simonpasquier/klog-gokit v0.3.0
	k8s.io/klog/v2 => github.com/simonpasquier/klog-gokit/v3 v3.0.0
)

exclude (
	github.com/linode/linodego v1.0.0
	github.com/grpc-ecosystem/grpc-gateway v1.14.7
	google.golang.org/api v0.30.0
)
MOD
cd "$work"
# Module v0.X.Y is Prometheus 2.X.Y; promtool --version says so.
release="2.${version#v0.}"
CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
  -ldflags "-s -w -X github.com/prometheus/common/version.Version=$release -X github.com/prometheus/common/version.Branch=$version" \
  -o "$bin/promtool" github.com/prometheus/prometheus/cmd/promtool
"$bin/promtool" --version | head -1
