#!/usr/bin/env bash
# `npm start`: (after bin/setup.sh) creates the databases, then runs the formation under foreman.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/env.sh
printf '\033[1m==> %s\033[0m\n' "bin/init.sh (databases under var/)"
bash bin/init.sh
printf '\033[1m==> %s\033[0m\n' "foreman start (HAProxy: likes :5100, polls :5400, registry :5500, stats :8404)"
exec foreman start
