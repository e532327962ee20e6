{{/* What the controller may do in the namespaces it watches: least privilege, ingress rules only for the
ingress that is enabled. */}}
{{- define "seldon-core-operator.managerRules" -}}
{{- $crud := list "get" "list" "watch" "create" "update" "patch" "delete" }}
- apiGroups: ["machinelearning.seldon.io"]
  resources: ["seldondeployments", "seldondeployments/status", "seldondeployments/finalizers"]
  verbs: ["get", "list", "watch", "update", "patch"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: {{ toJson $crud }}
- apiGroups: [""]
  resources: ["services"]
  verbs: {{ toJson $crud }}
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: {{ toJson $crud }}
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: {{ toJson $crud }}
{{- if .Values.ambassador.enabled }}
- apiGroups: ["getambassador.io"]
  resources: ["mappings"]
  verbs: {{ toJson $crud }}
{{- end }}
{{- if .Values.istio.enabled }}
- apiGroups: ["networking.istio.io"]
  resources: ["virtualservices", "destinationrules"]
  verbs: {{ toJson $crud }}
{{- end }}
{{- if .Values.keda.enabled }}
- apiGroups: ["keda.sh"]
  resources: ["scaledobjects"]
  verbs: {{ toJson $crud }}
{{- end }}
- apiGroups: [""]
  resources: ["configmaps", "secrets", "serviceaccounts"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["", "events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}
