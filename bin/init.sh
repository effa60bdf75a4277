#!/usr/bin/env bash
# Creates what the stack keeps under var/: directories and databases. Idempotent: a second run
# changes nothing. Each app's `--init` creates or migrates its own store and exits.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/env.sh
set -a; . ./.env; set +a

mkdir -p var/redis var/dynamodb
# Each app's --init on its own store, at the same time: likes on Redis, polls on DynamoDB, the
# registry on SQLite. A registry on DynamoDB (REGISTRY_STORE=dynamodb) waits for polls', which may
# have started DynamoDB Local for the duration.
pids=()
node dist/apps/likes/main.js --init & pids+=($!)
if [ "${REGISTRY_STORE:-sqlite}" = "sqlite" ]; then
  node dist/apps/registry/main.js --init & pids+=($!)
fi
node dist/apps/polls/main.js --init
if [ "${REGISTRY_STORE:-sqlite}" != "sqlite" ]; then
  node dist/apps/registry/main.js --init
fi
for pid in "${pids[@]}"; do wait "$pid"; done
