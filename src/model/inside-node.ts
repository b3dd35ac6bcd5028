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
  /** The node in flight at the request, or null. */
  nodeId: string | null;
}

/** How a run used ComfyUI's cache (docs/metrics.md "Cache accounting"). */
export type RunCacheUse = "cold" | "model-warm" | "cache-warm" | "cache-assisted";
