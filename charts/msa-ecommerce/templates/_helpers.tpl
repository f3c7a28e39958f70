{{/*
The image a program runs: its own full reference when its values set one (skaffold's staging
profile does), else <image.registry>/msa-ecommerce/<name>:<image.tag>, the registry left out when
empty. Called as (include "msa-ecommerce.image" (list $ "<name>" .Values.<path>.image)).
*/}}
{{- define "msa-ecommerce.image" -}}
{{- $root := index . 0 -}}
{{- $name := index . 1 -}}
{{- $own := index . 2 -}}
{{- if $own -}}
{{- $own -}}
{{- else -}}
{{- with $root.Values.image.registry }}{{ . }}/{{ end }}msa-ecommerce/{{ $name }}:{{ $root.Values.image.tag }}
{{- end -}}
{{- end -}}
