// The profile of one prompt's execution, as `comfyprof analyze` reports it.
// Data only. docs/metrics.md defines every number; docs/profile-json.md and
// schemas/profile.v1.schema.json describe the JSON. Times are milliseconds;
// "Ms" fields relative to a run are measured from the receipt of that run's
// `execution_start` on the recorder's monotonic clock unless the comment says otherwise.
// Absent is not zero: a figure that could not be measured is null.

import type { CacheState, NonceMethod } from "./events.js";
import type { Diagnostic } from "./diagnostic.js";
import type { DataQuality } from "./data-quality.js";
import type { MemoryProfile, NodeMemory } from "./memory.js";
import type { NodeUncertainty } from "./data-quality.js";

export type * from "./data-quality.js";
export type * from "./memory.js";
export type * from "./inside-node.js";
export type * from "./node-types.js";
import type { NodeTypeStats } from "./node-types.js";
import type { ModelLoads, NodePhases, RunCacheUse, SubgraphRollup } from "./inside-node.js";

export const PROFILE_SCHEMA_VERSION = "1.0";

/** What `analyze` returns for a set of logs. */
export interface Analysis {
  /** Version of this JSON's shape ("major.minor"). */
  schemaVersion: string;
  /** One entry per input log. */
  inputs: InputSummary[];
  /** One profile per prompt, in log order (warm-up runs included and marked). */
  runs: RunProfile[];
  /** Per node class, over the executed nodes of every measured (non-warm-up) run. */
  nodeTypes: NodeTypeStats[];
  /** Warnings about the input as a whole (per-run ones are on each run). */
  diagnostics: Diagnostic[];
}

export interface InputSummary {
  file: string;
  lines: number;
  /** Label given to the recording (--label), or null. */
  label: string | null;
  /** Why the recording ended, from its end record; null when it has none (it was cut). */
  endReason: string | null;
  recorderVersion: string | null;
  formatVersion: string | null;
  /** Who wrote the log (header `source`, since log v1.2): `comfyprof record`, or the probe inside the server (its times are the server's own); null without a header. */
  source: "recorder" | "probe" | null;
}

/** `rejected`: the server refused the prompt (HTTP 400, validation); `incomplete`: no terminal event (the log was cut or the run lost). */
export type RunOutcomeStatus = "success" | "error" | "interrupted" | "rejected" | "incomplete";

export interface RunOutcome {
  status: RunOutcomeStatus;
  /** The failing / interrupted node (top-level prompt id), or null. */
  nodeId: string | null;
  nodeType: string | null;
  exceptionType: string | null;
  /** The server's message, as sent (not escaped: escape when displaying). */
  message: string | null;
  traceback: string[] | null;
  /** For a rejected prompt: each node error the server listed; null otherwise. */
  validationErrors: ValidationError[] | null;
}

export interface ValidationError {
  nodeId: string;
  classType: string | null;
  /** The input concerned, when the server names one. */
  inputName: string | null;
  message: string;
}

export interface EnvironmentInfo {
  comfyuiVersion: string | null;
  pythonVersion: string | null;
  pytorchVersion: string | null;
  os: string | null;
  /** The server's launch arguments (cache flags show here). */
  argv: string[] | null;
  devices: DeviceInfo[];
  /** Hash of versions, devices, argv and the node classes used (see docs/metrics.md). */
  fingerprint: string;
}

export interface DeviceInfo {
  name: string;
  type: string;
  /** True when the device is the CPU (`--cpu`): its "VRAM" figures repeat RAM. */
  isCpu: boolean;
  vramTotalBytes: number | null;
}

export interface RunTiming {
  /** POST /prompt round trip (validation happens before create_time). Null when not recorded. */
  submitMs: number | null;
  /** execution_start.timestamp − create_time (server clock), or the receipt fallback (see queueWaitSource). */
  queueWaitMs: number | null;
  queueWaitSource: "server" | "receipt" | null;
  /** execution_start → terminal event; server timestamps when both present, else receipt. */
  executionMs: number | null;
  executionSource: "server" | "receipt" | null;
  /** POST /prompt sent → terminal event received (what the client waited), recorder clock. */
  totalMs: number | null;
  /** Union of all node intervals (overlaps counted once). */
  nodeBusyMs: number;
  /** Execution time (receipt) not covered by any node interval: cache checks, memory freeing, model management. */
  gapMs: number | null;
  /** Largest single stretch with no node in flight. */
  largestGapMs: number | null;
  /** execution_start on the recorder's monotonic clock (ms since the recording started): its receipt, moved earlier when the server held it back (docs/metrics.md "Clocks"). Run-relative times count from here. */
  executionStartMonoMs: number | null;
  /** Receipt wall clock − server timestamp: the recorder-vs-server clock offset estimate (includes delivery delay). */
  clockOffset: { medianMs: number; spreadMs: number; samples: number } | null;
  /** Sum of node durations (Σ, no parent + children double count). */
  workMs: number;
}

export interface NodeCounts {
  /** Nodes in the submitted prompt (expanded children not counted). */
  total: number;
  executed: number;
  cached: number;
  failed: number;
  interrupted: number;
  /** Pruned (not needed for an output), never reached after a failure/interrupt, or unknown. */
  notRun: number;
}

export interface NodeInterval {
  startMs: number;
  endMs: number;
}

/** `unknown`: it started, but its end was never seen (the recording stopped, the server was lost or restarted): no duration. */
export type NodeStatus = "executed" | "cached" | "failed" | "interrupted" | "unknown" | "not-run";

/** How a node's `durationMs` was measured (docs/metrics.md "Nodes"). */
export type DurationKind = "span" | "self" | "rolled-up";

export interface NodeRun {
  nodeId: string;
  classType: string;
  title: string | null;
  status: NodeStatus;
  /** Every run segment (from each `executing` to the next node's, its end or the terminal event). */
  intervals: NodeInterval[];
  /** First start → end; null when it never started. */
  spanMs: number | null;
  /** Sum of its own segments; null when it never started. */
  selfMs: number | null;
  /** The node's time as reported and used for Σ and the critical path: span for plain (incl. async) nodes, self for lazy nodes, self + children for expanding nodes. 0 when cached, null when not run. */
  durationMs: number | null;
  durationKind: DurationKind | null;
  /** How many times it was sent `executing` (2+ for lazy nodes). */
  executions: number;
  /** Expanded children attributed to this node (by real_node_id / parent_node_id). */
  children: ExpandedChild[];
  progress: ProgressStats | null;
  memory: NodeMemory;
  /** Keys of the UI output it produced (e.g. ["images"]), null when none. */
  outputs: string[] | null;
  /** The error that stopped the run at this node (as the server sent it; escape when displaying); null otherwise. */
  error: { exceptionType: string | null; message: string | null; traceback: string[] | null } | null;
  onCriticalPath: boolean;
  /** How much longer it could take without lengthening the critical path; null when not on the DAG walk (not run). */
  slackMs: number | null;
  /** The node's time split by the model loads it held (server log lines): null when it loaded nothing (or no log lines were seen). */
  loadSplit: { loadMs: number; computeMs: number } | null;
  /** Its time in phases — loading, to the first step, stepping, after the last step — for a single-segment node with progress steps; null otherwise. */
  phases: NodePhases | null;
  /** For a cached node: what the same node (same cache signature) took when it last ran earlier in the log; null when not cached or never seen running. */
  timeSavedMs: number | null;
  /** True when a start or end of this node is uncertain beyond the normal delivery jitter (uncertainty.causes not empty). */
  boundaryUncertain: boolean;
  /** Bounds of its true start and end, and what widened them; null when it never started (cached, not run). */
  uncertainty: NodeUncertainty | null;
}

export interface ExpandedChild {
  nodeId: string;
  classType: string | null;
  intervals: NodeInterval[];
  selfMs: number;
  spanMs: number;
}

export interface ProgressStats {
  /** The largest `max` reported. */
  maxSteps: number;
  /** The first value reported (throttling can make it more than one step). */
  firstValue: number;
  /** The last value reported. */
  lastValue: number;
  /** Distinct progress values received (messages are throttled, so this is ≤ steps). */
  samples: number;
  /** Steps per second from the first to the last progress sample; null with fewer than two samples. */
  stepsPerSec: number | null;
  /** Node start → first progress value. */
  firstStepMs: number | null;
  /** Node start → last progress value. */
  lastStepMs: number;
  /** The median time per step after the first progress value (each step of a throttled message gets its share); null with fewer than two samples. */
  steadyStepMs: number | null;
  /** The per-step times' interquartile range (type-7 quantiles 0.25 and 0.75), with steadyStepMs. */
  steadyStepSpreadMs: { p25Ms: number; p75Ms: number } | null;
  /** True when the first progress came later than FIRST_STEP_SLOW_FACTOR × steadyStepMs per step it counts. */
  firstStepSlower: boolean | null;
}

export interface CriticalPath {
  /** Node ids, source to sink. Empty when nothing ran. */
  nodeIds: string[];
  lengthMs: number;
  /** Σ of node durations. */
  workMs: number;
  /** Σ / CP; null when CP is 0. */
  speedup: number | null;
  /** 1 − CP/Σ, 0..1; null when Σ is 0. */
  parallelizability: number | null;
  band: "low" | "moderate" | "high" | null;
  /** True when nodes overlapped in time, so wall time can be below Σ. */
  overlapObserved: boolean;
  /** Σ / the time some node was in flight (union of intervals): the concurrency the run already had (1.0 = none); null when nothing ran. */
  observedConcurrency: number | null;
  /** The speedup left with ∞ workers: node-busy time / CP (≥ 1 up to rounding); null when CP is 0. Equals `speedup` when nothing overlapped. */
  remainingSpeedup: number | null;
  whatIf: WhatIf[];
}

export interface WhatIf {
  nodeId: string;
  /** The node's duration divided by this. */
  factor: number;
  /** The critical path length then. */
  lengthMs: number;
  savedMs: number;
  /** The critical path then (it may move to another branch). */
  nodeIds: string[];
}

export interface Finding {
  nodeId: string;
  classType: string;
  kind: "slow-node" | "dominates-critical-path" | "failed-node";
  /** For a person; numbers included. */
  reason: string;
  durationMs: number | null;
  /** durationMs / execution time. */
  shareOfWall: number | null;
  onCriticalPath: boolean;
}

export interface Recommendation {
  /** Rule id, e.g. "sampler-dominates-critical-path". */
  rule: string;
  message: string;
  /** The numbers that triggered it, by name. */
  evidence: Record<string, number | string | null>;
  nodeIds: string[];
}

export interface RunProfile {
  /** Which log and which run in it. */
  source: { file: string; run: number | null; warmup: boolean; cacheState: CacheState | null; nonceMethod: NonceMethod | null };
  promptId: string;
  workflow: { name: string | null; fingerprint: string; nodeCount: number };
  label: string | null;
  serverUrl: string | null;
  environment: EnvironmentInfo | null;
  /** Server wall clock at execution_start, epoch ms; null when absent. */
  startedAtMs: number | null;
  outcome: RunOutcome;
  timing: RunTiming;
  counts: NodeCounts;
  nodes: NodeRun[];
  memory: MemoryProfile;
  /** The workflow DAG: [source, target] node ids for every link. */
  edges: [string, string][];
  criticalPath: CriticalPath;
  /** Per subgraph instance of an editor workflow (ids "11:…"): its roll-up; empty for a workflow without subgraphs. */
  subgraphs: SubgraphRollup[];
  /** Model loads from the server's log lines (docs/metrics.md "Model loading"). */
  modelLoads: ModelLoads;
  /** How the run used the cache, and the time its cached nodes saved (Σ over those seen running earlier; null when none was). */
  cache: { use: RunCacheUse; timeSavedMs: number | null };
  /** Mean and median of the timed nodes' durations (executed, failed, interrupted; not cached, not run, not unknown); null when none was timed. */
  nodeTimes: { count: number; meanMs: number; medianMs: number } | null;
  bottlenecks: Finding[];
  recommendations: Recommendation[];
  dataQuality: DataQuality;
  diagnostics: Diagnostic[];
}


/** A node as built from the log, before the graph analysis adds its critical-path membership and slack. */
export type BuiltNode = Omit<NodeRun, "onCriticalPath" | "slackMs" | "timeSavedMs" | "loadSplit" | "phases">;


/** What src/fold/ makes of one prompt; src/analysis/ turns it into a RunProfile. */
export interface RunTimeline extends Omit<RunProfile, "nodes" | "edges" | "criticalPath" | "subgraphs" | "modelLoads" | "cache" | "nodeTimes" | "bottlenecks" | "recommendations"> {
  /** Subgraph instance names by id path ("11", "11:10"), from the editor workflow the prompt came from; empty otherwise. */
  subgraphNames: Record<string, string>;
  nodes: BuiltNode[];
  /** The prompt as submitted (API format). */
  prompt: import("./events.js").ApiWorkflow;
  /** The server's own log lines received during the run (model loading shows here), run-relative. */
  /** atMs: placed on the run's clock; serverMs: the line's own server time (its `t`, epoch ms to the µs), null without one — a span between two lines is measured on it. */
  serverLog: { atMs: number; serverMs: number | null; text: string }[];
}
