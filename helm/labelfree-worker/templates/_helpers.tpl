{{/* Chart name, overridable. */}}
{{- define "labelfree-worker.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full resource name: release plus chart name, unless the release name already holds it. */}}
{{- define "labelfree-worker.fullname" -}}
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

{{/* Chart name and version, for the helm.sh/chart label. */}}
{{- define "labelfree-worker.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels that select the worker's pods; never change them on upgrade (selectors are immutable). */}}
{{- define "labelfree-worker.selectorLabels" -}}
app.kubernetes.io/name: {{ include "labelfree-worker.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "labelfree-worker.labels" -}}
helm.sh/chart: {{ include "labelfree-worker.chart" . }}
{{ include "labelfree-worker.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: worker
{{- end }}

{{- define "labelfree-worker.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "labelfree-worker.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "labelfree-worker.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The per-stack time budget in whole minutes. The worker caps its ShutdownGracePeriod at one hour, and a
pod must be allowed to finish a whole stack when it is told to stop, so the budget is capped there too.
*/}}
{{- define "labelfree-worker.stackTimeBudgetMinutes" -}}
{{- $minutes := int .Values.broker.stackTimeBudgetMinutes }}
{{- if or (lt $minutes 1) (gt $minutes 60) }}
{{- fail (printf "broker.stackTimeBudgetMinutes must be 1 to 60 (the worker's shutdown grace period is at most an hour), got %v" .Values.broker.stackTimeBudgetMinutes) }}
{{- end }}
{{- $minutes }}
{{- end }}

{{/* The budget as a .NET TimeSpan ("00:20:00"), for LABELFREE__Broker__StackTimeBudget and ShutdownGracePeriod. */}}
{{- define "labelfree-worker.stackTimeBudget" -}}
{{- $minutes := int (include "labelfree-worker.stackTimeBudgetMinutes" .) }}
{{- printf "%02d:%02d:00" (div $minutes 60) (mod $minutes 60) }}
{{- end }}

{{/*
How long Kubernetes waits between SIGTERM and SIGKILL: the whole stack budget (the worker's shutdown
grace period, in which it finishes the stack in hand) plus a margin for stopping the host and the bus.
*/}}
{{- define "labelfree-worker.terminationGracePeriodSeconds" -}}
{{- add (mul (int (include "labelfree-worker.stackTimeBudgetMinutes" .)) 60) (int .Values.terminationGraceMarginSeconds) }}
{{- end }}

{{/* The Secret holding the RabbitMQ management URL for KEDA: its own, or the broker's. */}}
{{- define "labelfree-worker.kedaSecretName" -}}
{{- required "keda.existingSecret or broker.existingSecret must name a Secret holding the RabbitMQ management URL" (default .Values.broker.existingSecret .Values.keda.existingSecret) }}
{{- end }}
