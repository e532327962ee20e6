{{- define "seldon-single-model.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The SeldonDeployment's name: the release name, as Seldon's chart, unless fullnameOverride. */}}
{{- define "seldon-single-model.fullname" -}}
{{- default .Release.Name .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "seldon-single-model.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "seldon-single-model.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The model image and pull policy from model.image, a string or {name, pullPolicy}, as a dict. */}}
{{- define "seldon-single-model.image" -}}
{{- $image := .Values.model.image }}
{{- if kindIs "map" $image }}
{{- toYaml (dict "name" (toString (default "" $image.name)) "pullPolicy" (toString (default "" $image.pullPolicy))) }}
{{- else }}
{{- toYaml (dict "name" (toString (default "" $image)) "pullPolicy" "") }}
{{- end }}
{{- end }}

{{/* A map of variables as a container env list, sorted by name. */}}
{{- define "seldon-single-model.envList" -}}
{{- $env := list }}
{{- range $name, $value := . }}
{{- $env = append $env (dict "name" $name "value" (toString $value)) }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{/* A map with every value as a string: `--set annotations.seldon\.io/rest-timeout=5000` gives a number. */}}
{{- define "seldon-single-model.stringMap" -}}
{{- $out := dict }}
{{- range $key, $value := . }}
{{- $_ := set $out $key (toString $value) }}
{{- end }}
{{- toYaml $out }}
{{- end }}
