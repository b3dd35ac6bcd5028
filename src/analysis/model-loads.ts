// Load vs compute inside a node (docs/metrics.md "Model loading"): ComfyUI's
// model management logs each load — "Requested to load <Model>", then "loaded
// completely; … <MB> MB loaded, full load: …" or "loaded partially; … <MB> MB
// loaded, <MB> MB offloaded …" — and each partial unload ("Unloaded partially:
// <MB> MB freed …"). The lines are placed at their own server time (fold/), so
// a load's duration is the time between its request and its loaded line, and
// it belongs to the node in flight then (its length from the two lines' own
// server times). The rest of the node's time is compute.

import type { BuiltNode, ModelLoad, ModelLoads, RunTimeline } from "../model/profile.js";
import type { RunAnalyser, RunAnalysisInput } from "./run-analyser.js";

const REQUESTED = /Requested to load (\S+)/;
const LOADED = /loaded (completely|partially);.*?([\d.]+) MB loaded(?:, ([\d.]+) MB offloaded)?/;
const UNLOADED = /Unloaded partially: ([\d.]+) MB freed/;

export const analyseModelLoads: RunAnalyser<Pick<RunAnalysisInput, "run">, ModelLoads> = ({ run }) => {
  const lines = run.serverLog.flatMap((l) => l.text.split("\n").filter((t) => t.trim() !== "").map((text) => ({ atMs: l.atMs, serverMs: l.serverMs, text })));
  const loads: ModelLoad[] = [];
  let pending: { model: string; atMs: number; serverMs: number | null } | null = null;
  let freedMb = 0;
  for (const l of lines) {
    const requested = REQUESTED.exec(l.text);
    if (requested) {
      pending = { model: requested[1]!, atMs: l.atMs, serverMs: l.serverMs };
      continue;
    }
    const loaded = LOADED.exec(l.text);
    if (loaded) {
      const startMs = pending?.atMs ?? l.atMs;
      // The lines' own server times measure the load to the µs; their placement on the run's clock can be clamped to a receipt.
      const serverSpan = pending?.serverMs != null && l.serverMs !== null ? l.serverMs - pending.serverMs : null;
      const endMs = serverSpan !== null && serverSpan >= 0 ? startMs + serverSpan : l.atMs;
      loads.push({
        model: pending?.model ?? null,
        startMs,
        endMs,
        loadedMb: Number(loaded[2]),
        offloadedMb: loaded[3] === undefined ? null : Number(loaded[3]),
        partial: loaded[1] === "partially",
        ...nodeAt(run.nodes, { startMs, endMs }),
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

/**
 * A node whose end was received more than this before a load's loaded line ended before the load did
 * (a receipt is never early; the lines' placement is good to about a stamp's resolution and jitter).
 */
const ENDED_BEFORE_LOAD_MS = 2;

/**
 * The node that ran a load. A load is one call inside one node, so a node received as ended before the
 * load ended is not it. Of the others: the latest to start by the request (with the slack), else the
 * first whose start was received after the request but by the load's end (+ slack) — a start held back
 * behind the load itself, whose node holds Python's GIL — else a span holding the request (an async node awaiting).
 */
function nodeAt(nodes: RunTimeline["nodes"], load: { startMs: number; endMs: number }): Pick<ModelLoad, "nodeId" | "nodeStartLateMs"> {
  const found = (n: BuiltNode, startMs: number) => ({ nodeId: n.nodeId, nodeStartLateMs: Math.max(0, startMs - load.startMs) });
  const open = nodes
    .flatMap((n) => n.intervals.map((i) => ({ n, i })))
    .filter(({ i }) => i.endMs >= load.endMs - ENDED_BEFORE_LOAD_MS);
  const started = open.filter(({ i }) => i.startMs <= load.startMs + LOAD_ATTRIBUTION_SLACK_MS && load.startMs <= i.endMs).sort((a, b) => b.i.startMs - a.i.startMs);
  if (started[0]) return found(started[0].n, started[0].i.startMs);
  const heldBack = open.filter(({ i }) => i.startMs > load.startMs && i.startMs <= load.endMs + LOAD_ATTRIBUTION_SLACK_MS).sort((a, b) => a.i.startMs - b.i.startMs);
  if (heldBack[0]) return found(heldBack[0].n, heldBack[0].i.startMs);
  const atMs = load.startMs;
  const inSpan = nodes.find((n: BuiltNode) => n.intervals.length > 0 && n.spanMs !== null && n.intervals[0]!.startMs <= atMs && atMs <= n.intervals[0]!.startMs + n.spanMs);
  return inSpan ? found(inSpan, inSpan.intervals[0]!.startMs) : { nodeId: null, nodeStartLateMs: 0 };
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
