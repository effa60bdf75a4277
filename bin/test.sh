#!/usr/bin/env bash
# `npm test`: (after bin/setup.sh) type-check, lint, unit tests, then integration tests against
# real Redis, DynamoDB Local, SQLite and HAProxy that the tests start on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/env.sh
step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
step "type-check (tsc --noEmit)"
npx --no-install tsc --noEmit -p tsconfig.json
step "lint (eslint, prettier)"
npx --no-install eslint .
npx --no-install prettier --check . >/dev/null || { npx --no-install prettier --check .; exit 1; }
step "unit tests"
npx --no-install jest --selectProjects unit
step "integration tests (real stores, in band)"
npx --no-install jest --selectProjects integration --runInBand
