{{- define "seldon-core-analytics.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Object name prefix: the release name, followed by the chart name unless the release name has it. */}}
{{- define "seldon-core-analytics.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "seldon-core-analytics.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "seldon-core-analytics.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "seldon-core-analytics.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "seldon-core-analytics.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "seldon-core-analytics.prometheusSelector" -}}
app.kubernetes.io/name: {{ include "seldon-core-analytics.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: prometheus
{{- end }}

{{- define "seldon-core-analytics.serviceAccountName" -}}
{{- default (include "seldon-core-analytics.prometheusName" .) .Values.prometheus.serviceAccount.name }}
{{- end }}

{{- define "seldon-core-analytics.prometheusUrl" -}}
{{- if .Values.grafana.datasource.url }}
{{- .Values.grafana.datasource.url }}
{{- else }}
{{- printf "http://%s.%s.svc:%v" (include "seldon-core-analytics.prometheusName" .) .Release.Namespace .Values.prometheus.service.port }}
{{- end }}
{{- end }}

{{/*
The scrape jobs. Seldon's operator annotates every pod it makes with prometheus.io/scrape=true and
prometheus.io/path=/prometheus and declares no port annotation: the engine serves its metrics on its
http port, each model container on its port named metrics. Kubernetes' pod discovery gives one target
per declared container port; the ones scrape.ports names are kept. The labels the dashboards filter on
(namespace, pod, container, seldon_deployment_id, seldon_app) are set here.
*/}}
{{- define "seldon-core-analytics.scrapeConfigs" -}}
- job_name: {{ .Values.scrape.jobName | quote }}
  kubernetes_sd_configs:
    - role: pod
      {{- with .Values.scrape.namespaces }}
      namespaces:
        names: {{ toJson . }}
      {{- end }}
  relabel_configs:
    # Only pods that ask to be scraped, and only while they run.
    - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
      action: keep
      regex: "true"
    - source_labels: [__meta_kubernetes_pod_phase]
      action: drop
      regex: Pending|Succeeded|Failed
    # One target per container port: keep the metrics ports.
    - source_labels: [__meta_kubernetes_pod_container_name, __meta_kubernetes_pod_container_port_name]
      separator: ";"
      action: keep
      regex: {{ .Values.scrape.ports | quote }}
    # Path, scheme and port from the pod's annotations where it sets them.
    - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
      regex: (.+)
      target_label: __metrics_path__
    - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scheme]
      regex: (https?)
      target_label: __scheme__
    - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
      regex: ([^:]+)(?::\d+)?;(\d+)
      replacement: $1:$2
      target_label: __address__
    # Where each series comes from.
    - source_labels: [__meta_kubernetes_namespace]
      target_label: namespace
    - source_labels: [__meta_kubernetes_pod_name]
      target_label: pod
    - source_labels: [__meta_kubernetes_pod_container_name]
      target_label: container
    - source_labels: [__meta_kubernetes_pod_label_seldon_deployment_id]
      target_label: seldon_deployment_id
    - source_labels: [__meta_kubernetes_pod_label_seldon_app]
      target_label: seldon_app
{{- with .Values.scrape.extraScrapeConfigs }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "seldon-core-analytics.prometheusName" -}}
{{- printf "%s-prometheus" (include "seldon-core-analytics.fullname" . | trunc 52 | trimSuffix "-") }}
{{- end }}
