#!/usr/bin/env bash
# Builds every app under apps/ with the Nest CLI (rspack, node_modules left external).
set -euo pipefail
cd "$(dirname "$0")/.."
for app in apps/*/; do
  npx --no-install nest build "$(basename "$app")"
done
