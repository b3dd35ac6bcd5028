// Load vs compute inside a node (docs/metrics.md "Model loading"): ComfyUI's
// model management logs each load — "Requested to load <Model>", then "loaded
// completely; … <MB> MB loaded, full load: …" or "loaded partially; … <MB> MB
// loaded, <MB> MB offloaded …" — and each partial unload ("Unloaded partially:
// <MB> MB freed …"). The lines are placed at their own server time (fold/), so
// a load's duration is the time between its request and its loaded line, and
// it belongs to the node in flight then. The rest of the node's time is compute.

import type { BuiltNode, ModelLoad, ModelLoads, RunTimeline } from "../model/profile.js";
import type { RunAnalyser, RunAnalysisInput } from "./run-analyser.js";

const REQUESTED = /Requested to load (\S+)/;
const LOADED = /loaded (completely|partially);.*?([\d.]+) MB loaded(?:, ([\d.]+) MB offloaded)?/;
const UNLOADED = /Unloaded partially: ([\d.]+) MB freed/;

export const analyseModelLoads: RunAnalyser<Pick<RunAnalysisInput, "run">, ModelLoads> = ({ run }) => {
  const lines = run.serverLog.flatMap((l) => l.text.split("\n").filter((t) => t.trim() !== "").map((text) => ({ atMs: l.atMs, text })));
  const loads: ModelLoad[] = [];
  let pending: { model: string; atMs: number } | null = null;
  let freedMb = 0;
  for (const l of lines) {
    const requested = REQUESTED.exec(l.text);
    if (requested) {
      pending = { model: requested[1]!, atMs: l.atMs };
      continue;
    }
    const loaded = LOADED.exec(l.text);
    if (loaded) {
      const startMs = pending?.atMs ?? l.atMs;
      loads.push({
        model: pending?.model ?? null,
        startMs,
        endMs: l.atMs,
        loadedMb: Number(loaded[2]),
        offloadedMb: loaded[3] === undefined ? null : Number(loaded[3]),
        partial: loaded[1] === "partially",
        nodeId: nodeAt(run.nodes, startMs),
      });
      pending = null;
      continue;
    }
    const unloaded = UNLOADED.exec(l.text);
    if (unloaded) freedMb += Number(unloaded[1]);
  }
  return { logLines: lines.length, loads, unloadedMb: freedMb };
};

/**
 * A request line is logged inside the node that loads (a sampler, a decoder), after it started; node
 * messages can arrive up to ~20 ms late behind a GIL-holding loader (docs/accuracy.md), so a request
 * this close before a node's start belongs to that node.
 */
export const LOAD_ATTRIBUTION_SLACK_MS = 20;

/** The node running at `atMs`: the latest to start by then (with the slack), else a span holding it (an async node awaiting). */
function nodeAt(nodes: RunTimeline["nodes"], atMs: number): string | null {
  const started = nodes
    .flatMap((n) => n.intervals.map((i) => ({ n, i })))
    .filter(({ i }) => i.startMs <= atMs + LOAD_ATTRIBUTION_SLACK_MS && atMs <= i.endMs)
    .sort((a, b) => b.i.startMs - a.i.startMs);
  if (started[0]) return started[0].n.nodeId;
  const inSpan = nodes.find((n: BuiltNode) => n.intervals.length > 0 && n.spanMs !== null && n.intervals[0]!.startMs <= atMs && atMs <= n.intervals[0]!.startMs + n.spanMs);
  return inSpan?.nodeId ?? null;
}

/**
 * A node's time split: loading (its loads' durations, at most its time) and compute (the rest). Loads
 * are not clipped to the node's received start: a loading node holds Python's GIL, which delays its
 * own start message by several ms (docs/accuracy.md), while the log lines keep the server's times.
 */
export function loadSplit(node: Pick<BuiltNode, "nodeId" | "durationMs">, loads: readonly ModelLoad[]): { loadMs: number; computeMs: number } | null {
  const mine = loadsOf(node.nodeId, loads);
  if (mine.length === 0 || node.durationMs === null) return null;
  const loadMs = Math.min(node.durationMs, loadingMs(mine));
  return { loadMs, computeMs: node.durationMs - loadMs };
}

export function loadsOf(nodeId: string, loads: readonly ModelLoad[]): ModelLoad[] {
  return loads.filter((l) => l.nodeId === nodeId);
}

/** Σ of the loads' durations. */
export function loadingMs(loads: readonly ModelLoad[]): number {
  return loads.reduce((sum, l) => sum + (l.endMs - l.startMs), 0);
}
