{{/* Chart name, overridable. */}}
{{- define "seldon-core-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name every namespaced object is named from: two releases never clash. */}}
{{- define "seldon-core-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of a cluster-scoped object: qualified by namespace, as releases in different namespaces
may share a name. */}}
{{- define "seldon-core-operator.clusterName" -}}
{{- printf "%s-%s" (include "seldon-core-operator.namespace" .) (include "seldon-core-operator.fullname" .) | trimPrefix "-" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "seldon-core-operator.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride }}
{{- end }}

{{- define "seldon-core-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "seldon-core-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "seldon-core-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "seldon-core-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: seldonj
{{- end }}

{{- define "seldon-core-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "seldon-core-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* registry/repository:tag, the tag defaulting to the chart's appVersion. Argument: (list image root). */}}
{{- define "seldon-core-operator.image" -}}
{{- $image := index . 0 }}
{{- $root := index . 1 }}
{{- $repository := $image.repository }}
{{- if $image.registry }}
{{- $repository = printf "%s/%s" (trimSuffix "/" $image.registry) $image.repository }}
{{- end }}
{{- printf "%s:%s" $repository (default $root.Chart.AppVersion (toString (default "" $image.tag))) }}
{{- end }}

{{- define "seldon-core-operator.webhookServiceName" -}}
{{- printf "%s-webhook" (include "seldon-core-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "seldon-core-operator.webhookCertSecret" -}}
{{- printf "%s-webhook-cert" (include "seldon-core-operator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Namespaces the controller watches: [] = all. */}}
{{- define "seldon-core-operator.watchNamespaces" -}}
{{- if .Values.watchNamespaces }}
{{- toJson (uniq .Values.watchNamespaces) }}
{{- else if .Values.singleNamespace }}
{{- toJson (list (include "seldon-core-operator.namespace" .)) }}
{{- else }}
{{- toJson (list) }}
{{- end }}
{{- end }}

{{/* Combinations the chart refuses, each with the value to change. */}}
{{- define "seldon-core-operator.checks" -}}
{{- if .Values.managerCreateResources }}
{{- fail "managerCreateResources=true is not supported: the chart always renders the webhook, its certificate and the controller's configuration; remove the value" }}
{{- end }}
{{- if .Values.crd.forceV1beta1 }}
{{- fail "crd.forceV1beta1=true is not supported: the CRD is apiextensions.k8s.io/v1 (Kubernetes >= 1.16)" }}
{{- end }}
{{- if and .Values.certManager.enabled (not .Values.webhook.enabled) }}
{{- fail "certManager.enabled=true needs webhook.enabled=true: the certificate only serves the webhook" }}
{{- end }}
{{- if and .Values.singleNamespace .Values.watchNamespaces }}
{{- fail "set either singleNamespace or watchNamespaces, not both" }}
{{- end }}
{{- if and (not .Values.ambassador.enabled) .Values.ambassador.singleNamespace }}
{{- fail "ambassador.singleNamespace=true needs ambassador.enabled=true" }}
{{- end }}
{{- end }}
