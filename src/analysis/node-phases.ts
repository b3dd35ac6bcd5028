// A stepping node's time in phases (docs/metrics.md "First step and steady
// steps"): loading models, start → first progress step, the steps, and what
// follows the last step — "KSampler 4.2 s = 1.1 s loading + 0.4 s to the first
// step + 19 steps in 2.6 s (0.135 s/step) + 0.1 s after". The phases add up to
// the node's duration. Each load is taken out of the phase its request falls in
// (one before the node's received start: the first), whole, as in loadSplit.

import type { BuiltNode, ModelLoad, NodePhases } from "../model/profile.js";
import { loadingMs, loadsOf } from "./model-loads.js";

export function nodePhases(node: Pick<BuiltNode, "nodeId" | "intervals" | "durationMs" | "progress">, loads: readonly ModelLoad[]): NodePhases | null {
  const p = node.progress;
  // A node run in several segments (lazy, expanding) has other nodes' time between them: no single timeline to split.
  if (!p || p.firstStepMs === null || node.intervals.length !== 1 || node.durationMs === null) return null;
  const start = node.intervals[0]!.startMs;
  const end = start + node.durationMs;
  // Progress received after the node's end (a held-back end) is placed at the end.
  const first = Math.min(end, Math.max(start, start + p.firstStepMs));
  const last = Math.min(end, Math.max(first, start + p.lastStepMs));
  const mine = loadsOf(node.nodeId, loads);
  // Each load in exactly one phase: the one its request falls in.
  const phaseOf = (l: ModelLoad) => (l.startMs < first ? 0 : l.startMs < last ? 1 : 2);
  const phase = (index: number, from: number, to: number) => {
    const loading = Math.min(to - from, loadingMs(mine.filter((l) => phaseOf(l) === index)));
    return { loading, rest: to - from - loading };
  };
  const toFirst = phase(0, start, first);
  const stepping = phase(1, first, last);
  const after = phase(2, last, end);
  return {
    loadMs: toFirst.loading + stepping.loading + after.loading,
    toFirstStepMs: toFirst.rest,
    firstStepValue: p.firstValue,
    steps: p.lastValue - p.firstValue,
    steppingMs: stepping.rest,
    steadyStepMs: p.steadyStepMs,
    steadyStepSpreadMs: p.steadyStepSpreadMs,
    afterLastStepMs: after.rest,
  };
}
