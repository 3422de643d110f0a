{{/*
Names and labels. Every object is named <fullname>-<workload key> (send-gateway, send-email…)
and labelled with the recommended app.kubernetes.io/* labels.
*/}}

{{- define "send.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's base name: the release name, unless it already contains the chart's name. */}}
{{- define "send.fullname" -}}
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

{{- define "send.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every object carries. */}}
{{- define "send.labels" -}}
helm.sh/chart: {{ include "send.chart" . }}
app.kubernetes.io/name: {{ include "send.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: send
{{- end }}

{{/*
The name of one workload's objects. Called with (dict "root" $ "key" "gateway").
*/}}
{{- define "send.workloadName" -}}
{{- printf "%s-%s" (include "send.fullname" .root) .key | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels of one workload: stable across upgrades, so never the version. */}}
{{- define "send.selectorLabels" -}}
app.kubernetes.io/name: {{ include "send.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .key }}
{{- end }}

{{- define "send.workloadLabels" -}}
{{ include "send.labels" .root }}
app.kubernetes.io/component: {{ .key }}
{{- end }}

{{/*
One workload's settings: `defaults` with the service's own entry laid over it, key by key.
Returned as YAML; read with fromYaml. Called with (dict "root" $ "key" "gateway").
*/}}
{{- define "send.workload" -}}
{{- $service := index .root.Values.services .key }}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.defaults) (deepCopy $service)) }}
{{- end }}

{{/* The keys of the enabled workloads, sorted, as a list in YAML ({"keys": […]}). */}}
{{- define "send.enabledKeys" -}}
{{- $keys := list }}
{{- range $key, $service := .Values.services }}
{{- if $service.enabled }}
{{- $keys = append $keys $key }}
{{- end }}
{{- end }}
{{- toYaml (dict "keys" (sortAlpha $keys)) }}
{{- end }}

{{/*
The Dapr app ids of the enabled workloads that set `flag` (pubsub, stateStore), sorted: the scopes
of a component. Called with (dict "root" $ "flag" "pubsub"); returns {"appIds": […]}.
*/}}
{{- define "send.scopes" -}}
{{- $ids := list }}
{{- range $key, $service := .root.Values.services }}
{{- if and $service.enabled (or (eq $.flag "") (index $service $.flag)) }}
{{- $ids = append $ids $service.appId }}
{{- end }}
{{- end }}
{{- toYaml (dict "appIds" (sortAlpha $ids)) }}
{{- end }}

{{- define "send.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag }}
{{- printf "%s/%s:%s" (trimSuffix "/" .root.Values.image.registry) .repository $tag }}
{{- end }}

{{- define "send.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "send.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* An environment variable read from an existing Secret. */}}
{{- define "send.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end }}

{{/*
The environment a service's process needs, shared by its Deployment and its migration Job so a
migration runs with the configuration the service runs with. Called with (dict "root" $ "key" k
"workload" w), where w is the merged settings of send.workload.
*/}}
{{- define "send.env" -}}
{{- $root := .root }}
{{- $w := .workload }}
{{- $secrets := $root.Values.secrets }}
- name: ASPNETCORE_ENVIRONMENT
  value: Production
- name: ASPNETCORE_HTTP_PORTS
  value: {{ $root.Values.port | quote }}
- name: Messaging__Transport
  value: {{ ternary "dapr" "redis" $root.Values.dapr.enabled | quote }}
{{- include "send.secretEnv" (dict "name" "ConnectionStrings__redis" "secret" $secrets.redis.name "key" $secrets.redis.connectionStringKey) | nindent 0 }}
{{- include "send.secretEnv" (dict "name" "Send__InternalIdentity__Secret" "secret" $secrets.internalIdentity.name "key" $secrets.internalIdentity.key) | nindent 0 }}
{{- if $w.database }}
{{- include "send.secretEnv" (dict "name" (printf "ConnectionStrings__%s" $w.database) "secret" $secrets.databases.name "key" $w.database) | nindent 0 }}
{{- end }}
{{- if or $w.emailService $w.encryptionKey }}
{{- include "send.secretEnv" (dict "name" "Send__Secrets__EncryptionKey" "secret" $secrets.encryptionKey.name "key" $secrets.encryptionKey.key) | nindent 0 }}
{{- range $i, $previous := $secrets.encryptionKey.previousKeys }}
{{- include "send.secretEnv" (dict "name" (printf "Send__Secrets__PreviousKeys__%d" $i) "secret" $secrets.encryptionKey.name "key" $previous) | nindent 0 }}
{{- end }}
{{- end }}
{{- if hasKey $w "worker" }}
- name: Sending__Worker
  value: {{ $w.worker | quote }}
{{- end }}
{{- if $w.emailService }}
{{- range $i, $provider := $root.Values.config.providerChain }}
- name: Providers__Chain__{{ $i }}
  value: {{ $provider | quote }}
{{- end }}
{{- if $root.Values.config.ses.region }}
- name: Providers__Ses__Region
  value: {{ $root.Values.config.ses.region | quote }}
{{- end }}
{{- if $root.Values.config.ses.configurationSetName }}
- name: Providers__Ses__ConfigurationSetName
  value: {{ $root.Values.config.ses.configurationSetName | quote }}
{{- end }}
{{- if $secrets.smtp.name }}
{{- include "send.secretEnv" (dict "name" "ConnectionStrings__smtp" "secret" $secrets.smtp.name "key" $secrets.smtp.key) | nindent 0 }}
{{- end }}
{{- if $secrets.resend.name }}
{{- include "send.secretEnv" (dict "name" "Providers__Resend__ApiKey" "secret" $secrets.resend.name "key" $secrets.resend.key) | nindent 0 }}
{{- end }}
{{- if $secrets.aws.name }}
{{- include "send.secretEnv" (dict "name" "AWS_ACCESS_KEY_ID" "secret" $secrets.aws.name "key" $secrets.aws.accessKeyIdKey) | nindent 0 }}
{{- include "send.secretEnv" (dict "name" "AWS_SECRET_ACCESS_KEY" "secret" $secrets.aws.name "key" $secrets.aws.secretAccessKeyKey) | nindent 0 }}
{{- end }}
{{- end }}
{{- if eq $w.appId "eventservice" }}
{{- range $i, $arn := $root.Values.config.sns.topicArns }}
- name: Providers__Sns__TopicArns__{{ $i }}
  value: {{ $arn | quote }}
{{- end }}
{{- if $secrets.resendWebhook.name }}
{{- include "send.secretEnv" (dict "name" "Providers__Resend__WebhookSecret" "secret" $secrets.resendWebhook.name "key" $secrets.resendWebhook.key) | nindent 0 }}
{{- end }}
{{- if $secrets.bounceDsn.name }}
{{- include "send.secretEnv" (dict "name" "Providers__Smtp__DsnSecret" "secret" $secrets.bounceDsn.name "key" $secrets.bounceDsn.key) | nindent 0 }}
{{- end }}
{{- end }}
{{- if and (eq $w.appId "keyservice") $secrets.bootstrapApiKey.name }}
{{- include "send.secretEnv" (dict "name" "SEND_BOOTSTRAP_API_KEY" "secret" $secrets.bootstrapApiKey.name "key" $secrets.bootstrapApiKey.key) | nindent 0 }}
{{- end }}
{{- if $root.Values.dapr.enabled }}
{{- include "send.secretEnv" (dict "name" "APP_API_TOKEN" "secret" $secrets.daprAppToken.name "key" "token") | nindent 0 }}
{{- end }}
{{- if $w.public }}
{{- include "send.gatewayEnv" $root | nindent 0 }}
{{- end }}
{{- if $root.Values.config.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ $root.Values.config.otlpEndpoint | quote }}
- name: OTEL_SERVICE_NAME
  value: {{ $w.appId | quote }}
{{- end }}
{{- range $name, $value := $root.Values.config.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- range $name, $value := $w.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}

{{/*
Where the Gateway finds each routed service. services__<app id>__http__0 is the Kubernetes Service
(service discovery, as Aspire sets it locally): the key lookups and the OpenAPI documents go there.
Through Dapr, the YARP clusters (named after the app ids in src/Gateway/appsettings.json) point at
the Gateway's own sidecar instead: YARP keeps the address's path and appends the request's, so
/v1/emails reaches emailservice's app as /v1/emails, with the signed identity intact.
*/}}
{{- define "send.gatewayEnv" -}}
{{- $root := . }}
{{- range $key := (include "send.enabledKeys" $root | fromYaml).keys }}
{{- $w := include "send.workload" (dict "root" $root "key" $key) | fromYaml }}
{{- if $w.routed }}
- name: services__{{ $w.appId }}__http__0
  value: {{ printf "http://%s:%v" (include "send.workloadName" (dict "root" $root "key" $key)) $root.Values.port | quote }}
{{- if and $root.Values.dapr.enabled $root.Values.dapr.gatewayForwardsThroughDapr }}
- name: ReverseProxy__Clusters__{{ $w.appId }}__Destinations__primary__Address
  value: {{ printf "http://127.0.0.1:%v/v1.0/invoke/%s.%s/method" $root.Values.dapr.httpPort $w.appId $root.Release.Namespace | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
