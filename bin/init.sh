#!/usr/bin/env bash
# Creates what the stack keeps under var/: directories and databases. Idempotent: a second run
# changes nothing. Each app's `--init` creates or migrates its own store and exits.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/env.sh
set -a; . ./.env; set +a

mkdir -p var/redis var/dynamodb
for app in dist/apps/*/; do
  node "$app/main.js" --init
done
