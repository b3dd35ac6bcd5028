// Critical path, slack, speedup and what-ifs over the workflow DAG
// (docs/metrics.md "Graph"). Nodes carry the weights (self time, cached = 0),
// edges none. Method: the critical-path method (CPM) on one topological order,
// a forward pass for earliest starts and a backward pass for the longest tail
// from each node; each pass is O(V + E), each what-if one more pair of passes.
//
// Ties: among equally long paths the CP is the one that comes first when the
// source-to-sink paths are compared node by node from the source, ids in
// natural order (compareNodeIds: "2" < "10"). Zero-weight nodes (cached, not
// run) at either end of it are then trimmed: they add no time, and a path of
// nothing but zeros is empty ("nothing ran"). What-if candidates of equal
// weight are taken in natural id order too.

import type { DirectedGraph } from "graphology";
import { topologicalSort } from "graphology-dag";
import type { CriticalPath, RunTimeline, WhatIf } from "../model/profile.js";
import type { RunAnalyser, RunAnalysisInput } from "./run-analyser.js";
import { compareNodeIds } from "../model/node-ids.js";

// docs/metrics.md "Graph": parallelizability bands < 30 % low, 30–70 % moderate,
// > 70 % high. Both boundaries themselves (exactly 30 % and 70 %) are "moderate".
export const LOW_PARALLELIZABILITY_BELOW = 0.3;
export const HIGH_PARALLELIZABILITY_ABOVE = 0.7;
/** metrics.md "What-if": the node made N× faster; 2× is a plausible single upgrade or setting change. */
export const DEFAULT_WHAT_IF_FACTOR = 2;
/** What-ifs for the heaviest few CP nodes: enough to compare, few enough to read. */
export const DEFAULT_WHAT_IF_TOP = 3;

export interface CriticalPathOptions {
  /** Divide one node's weight by this for each what-if (> 0). Default DEFAULT_WHAT_IF_FACTOR. */
  whatIfFactor?: number;
  /** How many of the heaviest CP nodes get a what-if (integer ≥ 0). Default DEFAULT_WHAT_IF_TOP. */
  whatIfTop?: number;
  /** Passed through: nodes overlapped in time, so wall time can be below Σ. Default false. */
  overlapObserved?: boolean;
  /** The time some node was in flight (union of intervals): with overlapObserved, the speedup already had is Σ / this. */
  nodeBusyMs?: number;
}

export interface CriticalPathResult {
  path: CriticalPath;
  /** Every graph node's slack, ms: how much longer it could take without lengthening the CP. 0 on the CP. */
  slackMs: Map<string, number>;
}

/** Band of a parallelizability in 0..1, boundaries as in the constants above. */
export function classifyParallelizability(p: number): "low" | "moderate" | "high" {
  if (p < LOW_PARALLELIZABILITY_BELOW) return "low";
  if (p > HIGH_PARALLELIZABILITY_ABOVE) return "high";
  return "moderate";
}

/** The DAG in topological order, neighbours as indices into it. */
interface IndexedDag {
  ids: string[];
  preds: number[][];
  succs: number[][];
}

interface Pass {
  lengthMs: number;
  /** Indices of the chosen longest source-to-sink path, untrimmed. */
  path: number[];
  earliestStart: Float64Array;
  tail: Float64Array;
}

/** Throws if the graph has a cycle (buildWorkflowGraph never returns one) or a weight is negative or not finite. */
export function findCriticalPath(
  graph: DirectedGraph,
  weightMs: (nodeId: string) => number,
  options: CriticalPathOptions = {},
): CriticalPathResult {
  const factor = options.whatIfFactor ?? DEFAULT_WHAT_IF_FACTOR;
  const top = options.whatIfTop ?? DEFAULT_WHAT_IF_TOP;
  if (!(Number.isFinite(factor) && factor > 0)) throw new RangeError(`whatIfFactor must be a finite number > 0, got ${factor}`);
  if (!(Number.isInteger(top) && top >= 0)) throw new RangeError(`whatIfTop must be an integer ≥ 0, got ${top}`);

  const dag = indexDag(graph);
  const weights = Float64Array.from(dag.ids, (id) => {
    const w = weightMs(id);
    if (!(Number.isFinite(w) && w >= 0)) throw new RangeError(`weight of node ${id} must be a finite number ≥ 0, got ${w}`);
    return w;
  });
  const base = longestPath(dag, weights);
  const length = base.lengthMs;
  const work = weights.reduce((sum, w) => sum + w, 0);

  const slackMs = new Map<string, number>();
  dag.ids.forEach((id, i) => slackMs.set(id, Math.max(0, length - base.earliestStart[i]! - base.tail[i]!)));
  // Exactly 0 on the CP, whatever the float rounding of the two passes.
  for (const i of base.path) slackMs.set(dag.ids[i]!, 0);

  const trimmed = trimZeros(base.path, weights);
  const candidates = trimmed
    .filter((i) => weights[i]! > 0)
    .sort((a, b) => weights[b]! - weights[a]! || compareNodeIds(dag.ids[a]!, dag.ids[b]!))
    .slice(0, top);
  const whatIf = candidates.map((i): WhatIf => {
    const changed = Float64Array.from(weights);
    changed[i] = weights[i]! / factor;
    const pass = longestPath(dag, changed);
    return {
      nodeId: dag.ids[i]!,
      factor,
      lengthMs: pass.lengthMs,
      savedMs: length - pass.lengthMs,
      nodeIds: trimZeros(pass.path, changed).map((j) => dag.ids[j]!),
    };
  });

  // (Σ − CP) / Σ rather than 1 − CP/Σ: with whole-ms weights it lands exactly on 0.3 or 0.7 at a band boundary.
  const parallelizability = work === 0 ? null : (work - length) / work;
  return {
    path: {
      nodeIds: trimmed.map((i) => dag.ids[i]!),
      lengthMs: length,
      workMs: work,
      speedup: length === 0 ? null : work / length,
      parallelizability,
      band: parallelizability === null ? null : classifyParallelizability(parallelizability),
      overlapObserved: options.overlapObserved ?? false,
      ...alreadyParallel(work, length, options),
      whatIf,
    },
    slackMs,
  };
}

/**
 * What overlap the run already had, and the speedup left (metrics.md "Graph"):
 * when async nodes overlapped, wall time is already below Σ, so only
 * node-busy time / CP is left to gain; without overlap that is Σ / CP.
 */
function alreadyParallel(work: number, length: number, options: CriticalPathOptions): Pick<CriticalPath, "observedConcurrency" | "remainingSpeedup"> {
  if (work === 0) return { observedConcurrency: null, remainingSpeedup: null };
  const busy = options.nodeBusyMs;
  if (!options.overlapObserved || busy === undefined || busy <= 0) return { observedConcurrency: 1, remainingSpeedup: length === 0 ? null : work / length };
  return { observedConcurrency: work / busy, remainingSpeedup: length === 0 ? null : Math.max(1, busy / length) };
}

function indexDag(graph: DirectedGraph): IndexedDag {
  const ids = topologicalSort(graph);
  const index = new Map(ids.map((id, i) => [id, i]));
  const preds = ids.map((id) => graph.inNeighbors(id).map((n) => index.get(n)!));
  const succs = ids.map((id) => graph.outNeighbors(id).map((n) => index.get(n)!));
  return { ids, preds, succs };
}

function longestPath(dag: IndexedDag, weights: Float64Array): Pass {
  const n = dag.ids.length;
  const earliestStart = new Float64Array(n);
  const tail = new Float64Array(n);
  // Longest tail among a node's successors, kept as an exact copy so the walk below can test equality.
  const bestNext = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (const p of dag.preds[i]!) earliestStart[i] = Math.max(earliestStart[i]!, earliestStart[p]! + weights[p]!);
  }
  for (let i = n - 1; i >= 0; i--) {
    for (const s of dag.succs[i]!) bestNext[i] = Math.max(bestNext[i]!, tail[s]!);
    tail[i] = weights[i]! + bestNext[i]!;
  }

  // Weights are ≥ 0, so some longest path starts at a source and ends at a sink.
  const sources = dag.preds.flatMap((ps, i) => (ps.length === 0 ? [i] : []));
  const lengthMs = sources.reduce((max, i) => Math.max(max, tail[i]!), 0);
  const path: number[] = [];
  let at = first(dag, sources.filter((i) => tail[i] === lengthMs));
  while (at !== undefined) {
    path.push(at);
    const next = bestNext[at]!;
    at = first(dag, dag.succs[at]!.filter((s) => tail[s] === next));
  }
  return { lengthMs, path, earliestStart, tail };
}

/** The index whose id comes first in natural order; undefined for none. */
function first(dag: IndexedDag, candidates: number[]): number | undefined {
  let best: number | undefined;
  for (const c of candidates) if (best === undefined || compareNodeIds(dag.ids[c]!, dag.ids[best]!) < 0) best = c;
  return best;
}

function trimZeros(path: number[], weights: Float64Array): number[] {
  let start = 0;
  let end = path.length;
  while (start < end && weights[path[start]!] === 0) start++;
  while (end > start && weights[path[end - 1]!] === 0) end--;
  return path.slice(start, end);
}

/** The run's critical path, slack and what-ifs, each node weighted by its reported duration (cached 0, unknown 0). */
export const analyseCriticalPath: RunAnalyser<Pick<RunAnalysisInput, "run" | "workflow">, CriticalPathResult> = ({ run, workflow }, options) => {
  const durations = new Map(run.nodes.map((n) => [n.nodeId, n.durationMs ?? 0]));
  return findCriticalPath(workflow.graph, (id) => durations.get(id) ?? 0, {
    ...options,
    overlapObserved: nodesOverlapped(run),
    nodeBusyMs: run.timing.nodeBusyMs,
  });
};

/** Receipt times of back-to-back nodes can touch within this much without the nodes running together. */
const OVERLAP_TOLERANCE_MS = 1;

/** True when two top-level nodes were in flight at once (async nodes), so wall time can be below Σ. */
function nodesOverlapped(run: RunTimeline): boolean {
  const spans = run.nodes
    // Lazy nodes and expansion parents contain other nodes by design: that is not parallel work.
    .filter((n) => n.intervals.length > 0 && n.spanMs !== null && n.children.length === 0 && n.executions <= 1)
    .map((n) => ({ start: n.intervals[0]!.startMs, end: n.intervals[0]!.startMs + n.spanMs! }))
    .sort((a, b) => a.start - b.start);
  let furthestEnd = -Infinity;
  for (const s of spans) {
    if (s.start < furthestEnd - OVERLAP_TOLERANCE_MS) return true;
    furthestEnd = Math.max(furthestEnd, s.end);
  }
  return false;
}
