// The `runs` table: one row per run (prompt) of a log, with the figures
// `trend` and `compare` group and compare (docs/metrics.md "Run times",
// "Graph", "Memory", "Across runs"). Definitions are the profile's.

import type { RunProfile } from "../../src/model/profile.js";
import { col, keyColumns, type RowKeys, type TableSpec } from "./columns.js";

export interface RunRow {
  keys: RowKeys;
  run: RunProfile;
  /** 0-based position of the run in its log, warm-ups included. */
  runIndex: number;
}

const env = (r: RunRow) => r.run.environment;
const firstDevice = (r: RunRow) => r.run.memory.devices[0] ?? null;

export const RUNS_TABLE: TableSpec<RunRow> = {
  name: "runs",
  grain: "run (one prompt's execution), warm-ups and failed runs included and marked",
  columns: [
    ...keyColumns<RunRow>(),
    col("run_index", "INTEGER", "count", "0-based position of the run in its log, warm-ups included: run order within a recording.", (r) => r.runIndex),
    col("source_run", "INTEGER", "count", "The run number the recorder wrote (run-start note), null when none.", (r) => r.run.source.run),
    col("label", "VARCHAR", "", "The recording's `--label`, null when none.", (r) => r.run.label),
    col("prompt_id", "VARCHAR", "", "ComfyUI's prompt id.", (r) => r.run.promptId),
    col("server_url", "VARCHAR", "", "The server recorded.", (r) => r.run.serverUrl),
    col("started_at_ms", "DOUBLE", "epoch ms", "Server wall clock at `execution_start`; null when absent.", (r) => r.run.startedAtMs),
    col("workflow_name", "VARCHAR", "", "The workflow's name (its file), null when unknown.", (r) => r.run.workflow.name),
    col("workflow_nodes", "INTEGER", "count", "Nodes in the submitted prompt.", (r) => r.run.workflow.nodeCount),
    col("warmup", "BOOLEAN", "", "A warm-up run: left out of every statistic.", (r) => r.run.source.warmup),
    col("cache_state", "VARCHAR", "", "The cache state the recorder was asked to measure (`cold`, `model-warm`, `cache-warm`), null when not given.", (r) => r.run.source.cacheState),
    col("cache_use", "VARCHAR", "", "How the run used the cache, as observed (`cold`, `model-warm`, `cache-warm`, `cache-assisted`): `trend`/`compare` group by it, never mixing states.", (r) => r.run.cache.use),
    col("nonce_method", "VARCHAR", "", "How a model-warm run was kept from the cache, null when not.", (r) => r.run.source.nonceMethod),
    col("outcome", "VARCHAR", "", "`success`, `error`, `interrupted`, `rejected` (refused at validation) or `incomplete` (no terminal event).", (r) => r.run.outcome.status),
    col("failed_node_id", "VARCHAR", "", "The failing or interrupted node, null otherwise.", (r) => r.run.outcome.nodeId),
    col("failed_node_type", "VARCHAR", "", "Its class.", (r) => r.run.outcome.nodeType),
    col("exception_type", "VARCHAR", "", "The server's exception type, null otherwise.", (r) => r.run.outcome.exceptionType),
    col("error_message", "VARCHAR", "", "The server's message, as sent (escape it before display).", (r) => r.run.outcome.message),
    col("cold_run_not_cold", "BOOLEAN", "", "Recorded as cold but had cached nodes: its times are not cold times and `trend`/`compare` leave it out.", (r) => r.run.diagnostics.some((d) => d.code === "cold-run-not-cold")),
    col("submit_ms", "DOUBLE", "ms", "POST /prompt round trip (validation); null when not recorded.", (r) => r.run.timing.submitMs),
    col("queue_wait_ms", "DOUBLE", "ms", "`execution_start` − `create_time` on the server clock, or the receipt fallback (`queue_wait_source`).", (r) => r.run.timing.queueWaitMs),
    col("queue_wait_source", "VARCHAR", "", "`server` or `receipt`.", (r) => r.run.timing.queueWaitSource),
    col("execution_ms", "DOUBLE", "ms", "`execution_start` → terminal event, server timestamps when both are present: the figure `trend` and `compare` use.", (r) => r.run.timing.executionMs),
    col("execution_source", "VARCHAR", "", "`server` or `receipt`.", (r) => r.run.timing.executionSource),
    col("total_ms", "DOUBLE", "ms", "POST /prompt sent → terminal event received: what the client waited (recorder clock).", (r) => r.run.timing.totalMs),
    col("node_busy_ms", "DOUBLE", "ms", "Union of all node intervals (overlaps counted once).", (r) => r.run.timing.nodeBusyMs),
    col("gap_ms", "DOUBLE", "ms", "Execution time not covered by any node interval (cache checks, memory freeing, model management).", (r) => r.run.timing.gapMs),
    col("largest_gap_ms", "DOUBLE", "ms", "Largest single stretch with no node in flight.", (r) => r.run.timing.largestGapMs),
    col("work_ms", "DOUBLE", "ms", "Σ of node durations (no parent + children double count).", (r) => r.run.timing.workMs),
    col("critical_path_ms", "DOUBLE", "ms", "Length of the critical path: the longest path through the DAG, nodes weighted by their time (cached = 0).", (r) => r.run.criticalPath.lengthMs),
    col("critical_path_node_ids", "VARCHAR[]", "", "The critical path's nodes, source to sink.", (r) => r.run.criticalPath.nodeIds),
    col("speedup", "DOUBLE", "ratio", "Σ / critical path: estimated speedup with ∞ workers; null when the path is 0.", (r) => r.run.criticalPath.speedup),
    col("parallelizability", "DOUBLE", "0..1", "1 − critical path / Σ; null when Σ is 0.", (r) => r.run.criticalPath.parallelizability),
    col("delivery_jitter_ms", "DOUBLE", "ms", "± of an ordinary node boundary: the normal delivery jitter of stamped messages (docs/metrics.md \"Uncertainty\").", (r) => r.run.dataQuality.deliveryJitterMs),
    col("uncertain_nodes", "INTEGER", "count", "Nodes whose boundaries are uncertain beyond that jitter (see `nodes.uncertainty_causes`).", (r) => r.run.nodes.filter((n) => n.boundaryUncertain).length),
    col("nodes_executed", "INTEGER", "count", "Nodes executed.", (r) => r.run.counts.executed),
    col("nodes_cached", "INTEGER", "count", "Nodes taken from the cache (needed by this run's outputs).", (r) => r.run.counts.cached),
    col("nodes_failed", "INTEGER", "count", "Nodes failed.", (r) => r.run.counts.failed),
    col("nodes_interrupted", "INTEGER", "count", "Nodes interrupted.", (r) => r.run.counts.interrupted),
    col("nodes_not_run", "INTEGER", "count", "Nodes pruned, never reached after a failure, or unknown.", (r) => r.run.counts.notRun),
    col("cache_time_saved_ms", "DOUBLE", "ms", "Σ over the cached nodes of what each took when it last ran earlier in the log; null when none was seen running.", (r) => r.run.cache.timeSavedMs),
    col("poll_ms", "DOUBLE", "ms", "Requested /system_stats poll interval; null when unknown.", (r) => r.run.memory.pollMs),
    col("sample_interval_ms", "DOUBLE", "ms", "Median time between memory samples; null with fewer than two.", (r) => r.run.memory.sampleIntervalMs),
    col("ram_baseline_bytes", "DOUBLE", "bytes", "RAM used at the last sample before execution started.", (r) => r.run.memory.ram?.baselineBytes ?? null),
    col("ram_peak_used_bytes", "DOUBLE", "bytes", "Highest RAM used (total − available) during the run.", (r) => r.run.memory.ram?.peakUsedBytes ?? null),
    col("ram_peak_delta_bytes", "DOUBLE", "bytes", "Peak used − baseline.", (r) => r.run.memory.ram?.peakDeltaBytes ?? null),
    col("ram_min_free_bytes", "DOUBLE", "bytes", "Least available RAM.", (r) => r.run.memory.ram?.minFreeBytes ?? null),
    col("device_name", "VARCHAR", "", "The first device's name (the `samples` table has every device).", (r) => firstDevice(r)?.name ?? null),
    col("device_total_bytes", "DOUBLE", "bytes", "Its memory.", (r) => firstDevice(r)?.totalBytes ?? null),
    col("device_baseline_bytes", "DOUBLE", "bytes", "Its memory used before execution started.", (r) => firstDevice(r)?.baselineBytes ?? null),
    col("device_peak_used_bytes", "DOUBLE", "bytes", "Its highest memory used.", (r) => firstDevice(r)?.peakUsedBytes ?? null),
    col("device_peak_delta_bytes", "DOUBLE", "bytes", "Peak used − baseline.", (r) => firstDevice(r)?.peakDeltaBytes ?? null),
    col("device_min_free_bytes", "DOUBLE", "bytes", "Its least free memory.", (r) => firstDevice(r)?.minFreeBytes ?? null),
    col("environment_fingerprint", "VARCHAR", "", "Hash of versions, devices, launch arguments and node classes; null without /system_stats.", (r) => env(r)?.fingerprint ?? null),
    col("comfyui_version", "VARCHAR", "", "Environment field compared by `trend`/`compare`.", (r) => env(r)?.comfyuiVersion ?? null),
    col("python_version", "VARCHAR", "", "As the server reports it (`compare` shows its first word).", (r) => env(r)?.pythonVersion ?? null),
    col("pytorch_version", "VARCHAR", "", "Environment field.", (r) => env(r)?.pytorchVersion ?? null),
    col("os", "VARCHAR", "", "Environment field.", (r) => env(r)?.os ?? null),
    col("devices", "VARCHAR", "", "Device names, joined with \", \" (empty: none listed).", (r) => env(r)?.devices.map((d) => d.name).join(", ") ?? null),
    col("launch_args", "VARCHAR", "", "The server's launch arguments after the program, joined with spaces (cache flags show here).", (r) => env(r)?.argv?.slice(1).join(" ") ?? null),
    col("node_classes", "VARCHAR", "", "The distinct node classes of the run's nodes, sorted, joined with \", \".", (r) => [...new Set(r.run.nodes.map((n) => n.classType))].sort().join(", ")),
  ],
};
