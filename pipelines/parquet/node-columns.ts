// The `nodes` table: one row per node of a run's prompt (expanded children
// rolled up into their parent), with the figures of docs/metrics.md "Nodes",
// "Graph", "Memory" and "Uncertainty", as the profile has them.

import type { NodeRun } from "../../src/model/profile.js";
import { tooUncertain } from "../../src/analysis/index.js";
import { col, keyColumns, type RowKeys, type TableSpec } from "./columns.js";

export interface NodeRow {
  keys: RowKeys;
  node: NodeRun;
  /** 0-based position of the node in the run's node list. */
  nodeIndex: number;
  warmup: boolean;
}

const lastEnd = (n: NodeRun) => (n.intervals.length === 0 ? null : Math.max(...n.intervals.map((i) => i.endMs)));

export const NODES_TABLE: TableSpec<NodeRow> = {
  name: "nodes",
  grain: "node of a run's prompt (executed, cached, failed, interrupted, unknown or not run)",
  columns: [
    ...keyColumns<NodeRow>(),
    col("node_index", "INTEGER", "count", "0-based position of the node in the run's profile (the order `analyze` lists them).", (r) => r.nodeIndex),
    col("node_id", "VARCHAR", "", "The node's id in the prompt.", (r) => r.node.nodeId),
    col("class_type", "VARCHAR", "", "Its class.", (r) => r.node.classType),
    col("title", "VARCHAR", "", "Its title in the workflow, null when none (escape it before display).", (r) => r.node.title),
    col("status", "VARCHAR", "", "`executed`, `cached`, `failed`, `interrupted`, `unknown` (started, end never seen) or `not-run`.", (r) => r.node.status),
    col("cached", "BOOLEAN", "", "Taken from the cache (status `cached`): duration 0, never a bottleneck.", (r) => r.node.status === "cached"),
    col("start_ms", "DOUBLE", "ms, run-relative", "First start (its `progress_state` running or `executing`, whichever came first), from the run's `execution_start`; null when it never started.", (r) => r.node.intervals[0]?.startMs ?? null),
    col("end_ms", "DOUBLE", "ms, run-relative", "Its last interval's end; null when it never started.", (r) => lastEnd(r.node)),
    col("span_ms", "DOUBLE", "ms", "In-flight span: first start → end.", (r) => r.node.spanMs),
    col("self_ms", "DOUBLE", "ms", "Self time: the sum of its own segments.", (r) => r.node.selfMs),
    col("duration_ms", "DOUBLE", "ms", "The node's time as reported and used for Σ and the critical path (span for plain nodes, self for lazy ones, self + children for expanding ones); 0 when cached, null when not run.", (r) => r.node.durationMs),
    col("duration_kind", "VARCHAR", "", "`span`, `self` or `rolled-up`.", (r) => r.node.durationKind),
    col("executions", "INTEGER", "count", "Times it was sent `executing` (2+ for lazy nodes).", (r) => r.node.executions),
    col("children", "INTEGER", "count", "Expanded children attributed to it.", (r) => r.node.children.length),
    col("start_plus_minus_ms", "DOUBLE", "ms", "± of the reported start; null when it never started.", (r) => r.node.uncertainty?.startPlusMinusMs ?? null),
    col("end_plus_minus_ms", "DOUBLE", "ms", "± of the reported end; null when never started or unbounded.", (r) => r.node.uncertainty?.endPlusMinusMs ?? null),
    col("duration_plus_minus_ms", "DOUBLE", "ms", "± of `duration_ms`; null without a duration or with an unbounded end.", (r) => r.node.uncertainty?.durationPlusMinusMs ?? null),
    col("boundary_uncertain", "BOOLEAN", "", "A boundary is uncertain beyond the normal delivery jitter.", (r) => r.node.boundaryUncertain),
    col("uncertainty_causes", "VARCHAR[]", "", "What widened its bounds (`held-back-end`, `backlog-burst`, `end-held-up`, `outage`, `stall`, `unfinished`, `ran-unseen`); empty for the jitter alone.", (r) => r.node.uncertainty?.causes ?? []),
    col("in_type_stats", "BOOLEAN", "", "Counted in the node-type statistics: executed, timed, not a warm-up, not too uncertain (the `node_types` view uses it).", (r) => !r.warmup && r.node.status === "executed" && r.node.durationMs !== null && !tooUncertain(r.node)),
    col("on_critical_path", "BOOLEAN", "", "On the run's critical path.", (r) => r.node.onCriticalPath),
    col("slack_ms", "DOUBLE", "ms", "How much longer it could take without lengthening the critical path; null when not on the DAG walk.", (r) => r.node.slackMs),
    col("peak_ram_bytes", "DOUBLE", "bytes", "Highest RAM used among samples while it ran; null: not sampled (never 0).", (r) => r.node.memory.peakRamBytes),
    col("peak_vram_bytes", "DOUBLE", "bytes", "Highest device memory used (GPU only); null: not sampled or no GPU.", (r) => r.node.memory.peakVramBytes),
    col("peak_torch_reserved_bytes", "DOUBLE", "bytes", "Highest torch-reserved device memory; null as above.", (r) => r.node.memory.peakTorchReservedBytes),
    col("memory_samples", "INTEGER", "count", "Memory samples taken while it ran.", (r) => r.node.memory.samples),
    col("memory_shared", "BOOLEAN", "", "Another node was in flight at the peak sample: the peak is shared.", (r) => r.node.memory.shared),
    col("ram_rise_bytes", "DOUBLE", "bytes", "Its RAM peak − the level at its start; null when not sampled.", (r) => r.node.memory.rise?.ramBytes ?? null),
    col("vram_rise_bytes", "DOUBLE", "bytes", "The same for device memory.", (r) => r.node.memory.rise?.vramBytes ?? null),
    col("torch_reserved_rise_bytes", "DOUBLE", "bytes", "The same for torch-reserved memory.", (r) => r.node.memory.rise?.torchReservedBytes ?? null),
    col("load_ms", "DOUBLE", "ms", "Of its time, model loading (server log lines); null when it loaded nothing seen.", (r) => r.node.loadSplit?.loadMs ?? null),
    col("compute_ms", "DOUBLE", "ms", "The rest of its time; null as above.", (r) => r.node.loadSplit?.computeMs ?? null),
    col("time_saved_ms", "DOUBLE", "ms", "For a cached node: what the same node took when it last ran earlier in the log; null otherwise.", (r) => r.node.timeSavedMs),
    col("progress_steps", "INTEGER", "count", "The largest progress `max` reported; null without progress.", (r) => r.node.progress?.maxSteps ?? null),
    col("steps_per_sec", "DOUBLE", "1/s", "Steady progress rate; null with fewer than two samples.", (r) => r.node.progress?.stepsPerSec ?? null),
  ],
};
