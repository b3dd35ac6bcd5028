// Inside a node: the model loads its time holds (from the server's log lines)
// and what the cache saved (docs/metrics.md "Model loading", "Cache
// accounting"). Data only; part of the profile (profile.ts re-exports it).

export interface ModelLoads {
  /** Server log lines received during the run (0: the log stream was off or silent, so loads cannot be seen). */
  logLines: number;
  loads: ModelLoad[];
  /** Σ MB freed by partial unloads ("Unloaded partially"): memory pressure. */
  unloadedMb: number;
}

export interface ModelLoad {
  /** The model class ComfyUI named ("Requested to load SDXL"), or null when the request line was not seen. */
  model: string | null;
  /** Run-relative ms: the request line, and the loaded line. */
  startMs: number;
  endMs: number;
  loadedMb: number;
  /** MB left on the CPU by a partial load (too little VRAM), else null. */
  offloadedMb: number | null;
  partial: boolean;
  /** The node that ran the load (docs/metrics.md "Model loading"), or null. */
  nodeId: string | null;
  /**
   * How long after the request that node's start was received (0 when before): a node loading a model
   * holds Python's GIL, which can hold its own start message back; its time is then short by at least this.
   */
  nodeStartLateMs: number;
}

/**
 * A stepping node's time in phases (docs/metrics.md "First step and steady steps"): they add up to
 * its duration. Loading is the node's model loads clipped to its time; each other phase is its
 * stretch of the node's time less the loading inside it.
 */
export interface NodePhases {
  loadMs: number;
  /** Node start → its first progress value, less loading: set-up, warm-up and the first step(s). */
  toFirstStepMs: number;
  /** The steps that first progress value counts (throttled messages can make it more than one). */
  firstStepValue: number;
  /** Steps from the first progress value to the last (last value − first value). */
  steps: number;
  /** First → last progress value, less loading. */
  steppingMs: number;
  /** The median time per step of those steps, and its interquartile range (the node's progress). */
  steadyStepMs: number | null;
  steadyStepSpreadMs: { p25Ms: number; p75Ms: number } | null;
  /** Last progress value → node end, less loading (decoding, output storing). */
  afterLastStepMs: number;
}

/** How a run used ComfyUI's cache (docs/metrics.md "Cache accounting"). */
export type RunCacheUse = "cold" | "model-warm" | "cache-warm" | "cache-assisted";

/** A subgraph instance's nodes, rolled up (docs/metrics.md "Subgraphs"). */
export interface SubgraphRollup {
  /** The id path of the instance ("11", "11:10"). */
  path: string;
  /** "Stage one › Soften": each level's instance title or subgraph name; the id path when not known. */
  name: string;
  /** Prompt nodes inside it (at any depth). */
  nodeIds: string[];
  /** First start → last end of its nodes, run-relative ms; null when none ran. */
  startMs: number | null;
  endMs: number | null;
  spanMs: number | null;
  /** Σ of its nodes' reported times (their own work). */
  selfMs: number;
  /** selfMs ÷ the run's execution time. */
  shareOfExecution: number | null;
  onCriticalPath: boolean;
}
