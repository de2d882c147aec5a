{{/* Names and labels shared by every template. */}}

{{- define "anxin.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "anxin.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/part-of: anxin
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Pods of this release, whatever their component: NATS and PostgreSQL admit these. */}}
{{- define "anxin.releaseSelector" -}}
app.kubernetes.io/part-of: anxin
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector of one component; call with (dict "root" $ "name" "gateway"). */}}
{{- define "anxin.selector" -}}
{{ include "anxin.releaseSelector" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "anxin.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{- define "anxin.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ .Values.serviceAccount.name | default (include "anxin.fullname" .) }}
{{- else -}}
{{ .Values.serviceAccount.name | default "default" }}
{{- end -}}
{{- end -}}

{{- define "anxin.keysSecret" -}}
{{- if .Values.keys.json -}}{{ include "anxin.fullname" . }}-keys{{- else -}}{{ required "keys.existingSecret or keys.json is required: production refuses generated keys" .Values.keys.existingSecret }}{{- end -}}
{{- end -}}

{{- define "anxin.databaseSecret" -}}
{{- if .Values.database.url -}}{{ include "anxin.fullname" . }}-database{{- else -}}{{ required "database.existingSecret or database.url is required" .Values.database.existingSecret }}{{- end -}}
{{- end -}}

{{- define "anxin.databaseSecretKey" -}}
{{- if .Values.database.url -}}url{{- else -}}{{ .Values.database.secretKey }}{{- end -}}
{{- end -}}

{{/*
The settings every process of the release reads, as name: value. The
ConfigMap holds them for the Deployments; the migration Job, which runs
before the ConfigMap exists on install, gets the same list inline.
*/}}
{{- define "anxin.commonEnv" -}}
{{- $env := dict
  "ANXIN_ENV" .Values.environment
  "ANXIN_LOG_LEVEL" .Values.logLevel
  "ANXIN_OUTBOX_RETENTION" .Values.outboxRetention
  "NATS_URL" (required "nats.url is required: the services need an external NATS cluster" .Values.nats.url)
  "ANXIN_NATS_REPLICAS" (.Values.nats.streamReplicas | toString)
  "ANXIN_KEYS_FILE" "/etc/anxin/keys/keys.json"
  "ANXIN_DATA_DIR" "/tmp/anxin"
  "ANXIN_HTTP_ADDR" ":8080"
-}}
{{- with .Values.metrics.addr }}{{ $_ := set $env "ANXIN_METRICS_ADDR" . }}{{ end -}}
{{- with .Values.debugAddr }}{{ $_ := set $env "ANXIN_DEBUG_ADDR" . }}{{ end -}}
{{- /* extraEnv may override any of the above. */ -}}
{{- range $name, $value := .Values.extraEnv }}{{ $_ := set $env $name ($value | toString) }}{{ end -}}
{{- range $name := keys $env | sortAlpha }}
{{ $name }}: {{ get $env $name | quote }}
{{- end }}
{{- end -}}

{{/* Where the gateway reaches each service: their Services in this namespace. */}}
{{- define "anxin.gatewayEnv" -}}
{{- $root := . -}}
{{- range $svc := list "enrollment" "injury" "grants" "leave" "notify" }}
ANXIN_{{ upper $svc }}_URL: {{ printf "http://%s-%s.%s.svc:80" (include "anxin.fullname" $root) $svc $root.Release.Namespace | quote }}
{{- end }}
{{- end -}}

{{/* Volumes every anxin pod mounts: the keys, PostgreSQL's CA, a writable /tmp. */}}
{{- define "anxin.volumes" -}}
- name: keys
  secret:
    secretName: {{ include "anxin.keysSecret" . }}
    defaultMode: 0440
    items:
      - key: keys.json
        path: keys.json
{{- with .Values.database.caSecret }}
- name: postgres-ca
  secret:
    secretName: {{ . }}
    defaultMode: 0440
    items:
      - key: {{ $.Values.database.caKey }}
        path: ca.crt
{{- end }}
{{- with .Values.nats.caSecret }}
- name: nats-ca
  secret:
    secretName: {{ . }}
    defaultMode: 0444
{{- end }}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}

{{- define "anxin.volumeMounts" -}}
- name: keys
  mountPath: /etc/anxin/keys
  readOnly: true
{{- if .Values.database.caSecret }}
- name: postgres-ca
  mountPath: /etc/anxin/postgres-ca
  readOnly: true
{{- end }}
{{- if .Values.nats.caSecret }}
- name: nats-ca
  mountPath: /etc/ssl/certs/ca-certificates.crt
  subPath: {{ .Values.nats.caKey }}
  readOnly: true
{{- end }}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "anxin.databaseEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "anxin.databaseSecret" . }}
      key: {{ include "anxin.databaseSecretKey" . }}
{{- end -}}

{{/* Egress every anxin pod needs: DNS, NATS, PostgreSQL. Call with (dict "root" $ "np" .Values.networkPolicy). */}}
{{- define "anxin.egressCommon" -}}
- to:
    - namespaceSelector: {}
      podSelector:
        matchLabels:
          k8s-app: kube-dns
  ports:
    - {port: 53, protocol: UDP}
    - {port: 53, protocol: TCP}
- to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: {{ .np.nats.namespace | default .root.Release.Namespace }}
      podSelector:
        matchLabels:
          {{- toYaml .np.nats.podLabels | nindent 10 }}
  ports:
    {{- range .np.nats.ports }}
    - {port: {{ . }}, protocol: TCP}
    {{- end }}
- to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: {{ .np.postgres.namespace | default .root.Release.Namespace }}
      podSelector:
        matchLabels:
          {{- toYaml .np.postgres.podLabels | nindent 10 }}
  ports:
    {{- range .np.postgres.ports }}
    - {port: {{ . }}, protocol: TCP}
    {{- end }}
{{- end }}
