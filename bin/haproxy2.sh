#!/usr/bin/env bash
# The Procfile's haproxy2: a second front door from the same haproxy.cfg, on the HAPROXY2_* addresses
# (.env), for a formation with two HAProxies kept in step by the registry (HAPROXY_RUNTIME_ADDRS).
set -euo pipefail
cd "$(dirname "$0")/.."
export HAPROXY_LIKES_ADDR=$HAPROXY2_LIKES_ADDR HAPROXY_POLLS_ADDR=$HAPROXY2_POLLS_ADDR \
  HAPROXY_REGISTRY_ADDR=$HAPROXY2_REGISTRY_ADDR HAPROXY_STATS_ADDR=$HAPROXY2_STATS_ADDR \
  HAPROXY_RUNTIME_ADDR=$HAPROXY2_RUNTIME_ADDR HAPROXY_METRICS_ADDR=$HAPROXY2_METRICS_ADDR
exec haproxy -db -f haproxy.cfg
