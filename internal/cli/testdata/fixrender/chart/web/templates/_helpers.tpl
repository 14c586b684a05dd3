{{- define "web.labels" -}}
app: {{ .Release.Name }}-web
{{- end }}
