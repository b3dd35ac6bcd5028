#!/usr/bin/env bash
# Re-records the real recordings under samples/recordings/ from a running
# ComfyUI (CPU is fine) that has the test-node pack loaded (test/comfy-nodes/).
# The server is started by hand, outside this project; this script only talks to it.
#
#   COMFY_URL=http://127.0.0.1:8188 TRUTH_FILE=/path/given/as/COMFYPROF_TRUTH_FILE bash samples/record-samples.sh [case…]
#
# TRUTH_FILE is the file the server's test nodes append their true start/end
# times to (env COMFYPROF_TRUTH_FILE when the server was started); it is
# emptied before each case and copied next to the log as truth.ndjson.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${COMFY_URL:?set COMFY_URL to the running server}"
: "${TRUTH_FILE:?set TRUTH_FILE to the file the server writes its truth to (COMFYPROF_TRUTH_FILE)}"
bin="node bin/comfyprof.js"
out=samples/recordings

record_case() { # name workflow [record options…]
  local name=$1 wf=$2; shift 2
  mkdir -p "$out/$name"
  cp "samples/workflows/$wf" "$out/$name/workflow.json"
  : > "$TRUTH_FILE"
  # Start every case from the same state: no cached outputs, no loaded models.
  curl -sf -X POST "$COMFY_URL/free" -H 'content-type: application/json' -d '{"free_memory":true,"unload_models":true}' >/dev/null
  sleep 1
  local rc=0
  $bin record --url "$COMFY_URL" --workflow "$out/$name/workflow.json" -o "$out/$name/run.ndjson" --poll-ms 100 --quiet "$@" || rc=$?
  cp "$TRUTH_FILE" "$out/$name/truth.ndjson"
  echo "$name: exit $rc, $(wc -l < "$out/$name/run.ndjson") lines"
}

interrupt_after() { # seconds: POST /interrupt once, in the background
  (sleep "$1"; curl -sf -X POST "$COMFY_URL/interrupt" >/dev/null) &
}

ONLY="$*"
want() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }
run() { if want "$1"; then record_case "$@"; fi; }

run image-pipeline image-pipeline.json
run parallel-branches parallel-branches.json
run cache-warm image-pipeline.json --cache-warm --warmup 1 --runs 1
run model-warm image-pipeline.json --warmup 1 --runs 1
run cold image-pipeline.json --cold --runs 2
run error-mid-run error-mid-run.json
if want interrupt; then interrupt_after 2.5; record_case interrupt interrupt.json; wait; fi
run validation-failure validation-failure.json
run ram-chain ram-chain.json
run benchmark benchmark.json --warmup 1 --runs 10
run async-lazy-expand async-lazy-expand.json
run async-beside-sync async-beside-sync.json
