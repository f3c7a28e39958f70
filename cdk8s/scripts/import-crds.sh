#!/usr/bin/env bash
# Regenerates imports/: typed classes for the Strimzi custom resources the app renders (Kafka,
# KafkaNodePool, KafkaTopic), from the CRDs the local kube-apiserver installs (MSA_STRIMZI_CRD_DIR,
# relative to the repository root, as in local/config.env).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
crd_dir=$(cd "$here/.." && cd "${MSA_STRIMZI_CRD_DIR:-../shared/strimzi}" && pwd)
cd "$here"
rm -f imports/*.ts
for module in kafka:040-Crd-kafka kafkanodepool:045-Crd-kafkanodepool kafkatopic:043-Crd-kafkatopic; do
  npx cdk8s import --no-save --check-upgrade false --language typescript --output imports \
    "${module%%:*}:=$crd_dir/${module#*:}.yaml"
done
