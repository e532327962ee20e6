{{/*
The controller's settings file (controller.yaml, read by `operator --config`), built as data and
written with toYaml: every key of the controller's typed configuration, mapped from the Seldon-style
values. Its shape and defaults are those of desired/src/main/resources/dev/seldonj/desired/config/defaults.yml
(charts-test checks that the default values render exactly those defaults).
*/}}
{{- define "seldon-core-operator.controllerYaml" -}}
{{- $v := .Values }}
{{- $fullname := include "seldon-core-operator.fullname" . }}
{{- /* The Java-era engine.* keys share executor.*'s shape; where set they win. */}}
{{- $engine := mergeOverwrite (deepCopy $v.executor) (deepCopy (default (dict) $v.engine)) }}
{{- $servers := dict }}
{{- range $server, $spec := $v.predictor_servers }}
{{- $protocols := dict }}
{{- range $protocol, $image := $spec.protocols }}
{{- $_ := set $protocols $protocol (dict "image" $image.image "default-image-version" (toString $image.defaultImageVersion)) }}
{{- end }}
{{- $_ := set $servers $server (dict "protocols" $protocols) }}
{{- end }}
{{- $defaultUser := toString $v.defaultUserID }}
{{- $controller := dict
  "controller-id" $v.controllerId
  "watch-namespaces" (include "seldon-core-operator.watchNamespaces" . | fromJsonArray)
  "leader-election" (dict
    "enabled" true
    "lease-name" (default (printf "%s-leader" $fullname) $v.manager.leaderElectionID)
    "lease-namespace" (include "seldon-core-operator.namespace" .))
  "ambassador" (dict "enabled" $v.ambassador.enabled "single-namespace" $v.ambassador.singleNamespace)
  "istio" (dict "enabled" $v.istio.enabled "gateway" $v.istio.gateway "tls-mode" $v.istio.tlsMode)
  "keda" (dict "enabled" $v.keda.enabled)
  "default-user-id" (ternary nil (atoi $defaultUser) (eq $defaultUser ""))
  "deployment-name-as-prefix" $v.manager.deploymentNameAsPrefix
  "engine" (dict
    "image" (include "seldon-core-operator.image" (list $engine.image .))
    "image-pull-policy" $engine.image.pullPolicy
    "http-port" (int $engine.port)
    "grpc-port" (int $engine.grpc.port)
    "prometheus-path" $engine.prometheus.path
    "user" (int $engine.user)
    "service-account-name" $engine.serviceAccount.name
    "cpu-request" (toString $engine.resources.cpuRequest)
    "cpu-limit" (toString $engine.resources.cpuLimit)
    "memory-request" (toString $engine.resources.memoryRequest)
    "memory-limit" (toString $engine.resources.memoryLimit)
    "java-opts" $engine.javaOpts
    "readiness-probe" (include "seldon-core-operator.probeConfig" $engine.readinessProbe | fromYaml)
    "liveness-probe" (include "seldon-core-operator.probeConfig" $engine.livenessProbe | fromYaml)
    "startup-probe" (include "seldon-core-operator.probeConfig" $engine.startupProbe | fromYaml)
    "request-logger" (dict
      "default-endpoint" $engine.requestLogger.defaultEndpoint
      "work-queue-size" (int $engine.requestLogger.workQueueSize)
      "write-timeout-ms" (int $engine.requestLogger.writeTimeoutMs))
    "full-health-checks" $engine.fullHealthChecks)
  "predictive-unit" (dict
    "http-port" (int (default $v.predictiveUnit.httpPort $v.predictiveUnit.port))
    "grpc-port" (int $v.predictiveUnit.grpcPort)
    "metrics-port" (int $v.predictiveUnit.metricsPort)
    "metrics-port-name" $v.predictiveUnit.metricsPortName
    "default-env-secret-ref-name" $v.predictiveUnit.defaultEnvSecretRefName)
  "storage-initializer" (dict
    "image" $v.storageInitializer.image
    "cpu-request" (toString $v.storageInitializer.cpuRequest)
    "cpu-limit" (toString $v.storageInitializer.cpuLimit)
    "memory-request" (toString $v.storageInitializer.memoryRequest)
    "memory-limit" (toString $v.storageInitializer.memoryLimit))
  "explainer" (dict "image" $v.explainer.image "image-v2" $v.explainer.image_v2)
  "webhook" (dict
    "enabled" $v.webhook.enabled
    "port" (int $v.webhook.port)
    "cert-dir" "/tmp/k8s-webhook-server/serving-certs")
  "predictor-servers" $servers
}}
{{- toYaml $controller }}
{{- end }}

{{/*
Micronaut's own settings of the controller (application.yml, read through MICRONAUT_CONFIG_FILES):
the port of /health and /prometheus, and the log level. No controller setting goes here.
*/}}
{{- define "seldon-core-operator.applicationYaml" -}}
{{- $micronaut := dict "server" (dict "port" (int .Values.metrics.port)) }}
{{- $logger := dict "levels" (dict "root" .Values.manager.logLevel) }}
{{- toYaml (dict "micronaut" $micronaut "logger" $logger) }}
{{- end }}

{{/* Both files of the ConfigMap, for the checksum that restarts the controller when either changes. */}}
{{- define "seldon-core-operator.configChecksum" -}}
{{- printf "%s\n---\n%s" (include "seldon-core-operator.controllerYaml" .) (include "seldon-core-operator.applicationYaml" .) | sha256sum }}
{{- end }}

{{/* A probe's settings in the controller's kebab-case keys (absent keys stay absent). */}}
{{- define "seldon-core-operator.probeConfig" -}}
{{- $out := dict }}
{{- range $key, $value := . }}
{{- $_ := set $out (kebabcase $key) (int $value) }}
{{- end }}
{{- toYaml $out }}
{{- end }}
