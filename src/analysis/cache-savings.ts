// What the cache saved (docs/metrics.md "Cache accounting"): a cached node's
// time saved is what the same node — same class, inputs and upstream, i.e. the
// same cache signature (cache-signature.ts) — took when it last ran earlier in
// the log. Each run is labelled by how it used the cache.

import type { NodeRun, RunCacheUse, RunTimeline } from "../model/profile.js";
import { cacheSignatures } from "./cache-signature.js";
import type { RunAnalyser, RunAnalysisInput } from "./run-analyser.js";

/** The last measured time of each cache signature, over a log's runs so far (one entry per distinct node). */
export class NodeCosts {
  private readonly bySignature = new Map<string, number>();

  get(signature: string): number | null {
    return this.bySignature.get(signature) ?? null;
  }

  /** Remembers the run's executed nodes' times, after its own savings were read. */
  record(run: RunTimeline, signatures: ReadonlyMap<string, string>): void {
    for (const n of run.nodes) {
      const sig = signatures.get(n.nodeId);
      if (sig !== undefined && n.status === "executed" && n.durationMs !== null) this.bySignature.set(sig, n.durationMs);
    }
  }
}

export interface CacheSavings {
  /** Per cached node id: the time the same node took when it last ran (null: never seen running). */
  savedMs: Map<string, number | null>;
  totalSavedMs: number | null;
  use: RunCacheUse;
}

export const analyseCacheSavings: RunAnalyser<Pick<RunAnalysisInput, "run"> & { costs: NodeCosts }, CacheSavings> = ({ run, costs }) => {
  const signatures = cacheSignatures(run.prompt);
  const cached = run.nodes.filter((n) => n.status === "cached");
  const savedMs = new Map(cached.map((n) => [n.nodeId, costs.get(signatures.get(n.nodeId) ?? "")] as const));
  const known = [...savedMs.values()].filter((v): v is number => v !== null);
  costs.record(run, signatures);
  return { savedMs, totalSavedMs: known.length ? known.reduce((a, b) => a + b, 0) : null, use: cacheUseOf(run, cached) };
};

/** How the run used the cache (below), from its nodes alone. */
export function cacheUse(run: Pick<RunTimeline, "nodes" | "source">): RunCacheUse {
  return cacheUseOf(run, run.nodes.filter((n) => n.status === "cached"));
}

/**
 * cold: recorded after POST /free (and nothing was cached); cache-warm: every node
 * that ran for an output was cached; cache-assisted: some were; model-warm: none.
 */
function cacheUseOf(run: Pick<RunTimeline, "nodes" | "source">, cached: readonly Pick<NodeRun, "nodeId">[]): RunCacheUse {
  const ran = run.nodes.filter((n) => n.status !== "not-run");
  if (run.source.cacheState === "cold" && cached.length === 0) return "cold";
  if (cached.length === 0) return "model-warm";
  return cached.length === ran.length ? "cache-warm" : "cache-assisted";
}
