#!/usr/bin/env bash
# Builds every app under apps/ with the Nest CLI (rspack; node_modules bundled in, see rspack.config.js).
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/env.sh

# rspack's native binding has aborted (SIGABRT, no message) once in a CI run on a fresh machine and
# never in 70 builds since; a build killed by a signal is tried once more, a compile error is not.
build() {
  local rc=0
  npx --no-install nest build "$1" || rc=$?
  if ((rc > 128)); then
    printf 'build.sh: nest build %s was killed by signal %d; building it again\n' "$1" $((rc - 128)) >&2
    npx --no-install nest build "$1"
  else
    return "$rc"
  fi
}

for app in apps/*/; do
  build "$(basename "$app")"
done
