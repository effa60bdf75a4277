#!/usr/bin/env bash
# The Procfile's prometheus: fills prometheus.yml's addresses in from the environment (.env), then runs
# Debian's prometheus on it, keeping its data under PROMETHEUS_DIR (var/prometheus).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${HAPROXY_REGISTRY_ADDR:?}" "${HAPROXY_METRICS_ADDR:?}" "${PROMETHEUS_ADDR:?}"
dir=${PROMETHEUS_DIR:-var/prometheus}
mkdir -p "$dir"
envsubst '${HAPROXY_REGISTRY_ADDR} ${HAPROXY_METRICS_ADDR} ${PROMETHEUS_ADDR}' <prometheus.yml >"$dir/prometheus.yml"
exec prometheus \
  --config.file="$dir/prometheus.yml" \
  --storage.tsdb.path="$dir/data" \
  --storage.tsdb.retention.time=2d \
  --web.listen-address="$PROMETHEUS_ADDR"
