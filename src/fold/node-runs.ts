// From resolved node intervals to one BuiltNode per prompt node: expanded
// children attributed to their prompt node, status, the reported duration,
// progress rates and memory peaks (docs/metrics.md "Nodes", "Progress", "Memory").

import type { ApiWorkflow } from "../model/events.js";
import type { BuiltNode, DurationKind, ExpandedChild, MemorySample, NodeInterval, NodeStatus, NodeUncertainty } from "../model/profile.js";
import type { ResolvedNode } from "./node-intervals.js";
import { progressStats } from "./progress-stats.js";
import { peakIn } from "./memory-samples.js";

export interface NodeRunInputs {
  prompt: ApiWorkflow;
  resolved: ResolvedNode[];
  /** Run-relative ms = receipt mono ms − baseMonoMs. */
  baseMonoMs: number;
  /** execution_cached ids that this run needed (the list includes nodes it never needs). */
  cachedNeeded: Set<string>;
  failedNodeId: string | null;
  /** The terminal execution_error's details, for the failed node. */
  failure: { exceptionType: string | null; message: string | null; traceback: string[] | null } | null;
  interruptedNodeId: string | null;
  samples: MemorySample[];
}

export interface NodeRunsResult {
  nodes: BuiltNode[];
  /** Every interval of every node and child, for the gap computation. */
  spans: NodeInterval[];
  /** Ids the messages named that belong to no prompt node. */
  unknownNodeIds: string[];
}

export function buildNodeRuns(inp: NodeRunInputs): NodeRunsResult {
  const rel = (monoMs: number) => monoMs - inp.baseMonoMs;
  const own = new Map<string, ResolvedNode>();
  const children = new Map<string, ResolvedNode[]>();
  const unknownNodeIds: string[] = [];
  for (const r of inp.resolved) {
    const top = promptNodeOf(r, inp.prompt);
    if (top === null) unknownNodeIds.push(r.nodeId);
    else if (top === r.nodeId) own.set(top, r);
    else children.set(top, [...(children.get(top) ?? []), r]);
  }
  const spans: NodeInterval[] = inp.resolved
    .filter((r) => promptNodeOf(r, inp.prompt) !== null && !r.ranUnseen)
    .map((r) => ({ startMs: rel(r.startMonoMs), endMs: rel(r.endMonoMs) }));
  const topSpans = [...own.values()].map((r) => ({ startMs: rel(r.startMonoMs), endMs: rel(r.endMonoMs) }));
  const inFlightAt = (atMs: number) => topSpans.filter((s) => s.startMs <= atMs && atMs <= s.endMs).length;

  const nodes = Object.entries(inp.prompt).map(([nodeId, node]): BuiltNode => {
    const mine = own.get(nodeId) ?? null;
    const kids = (children.get(nodeId) ?? []).map((c) => toChild(c, rel));
    const started = mine !== null || kids.length > 0;
    const unfinished = mine?.unfinished ?? false;
    const status = nodeStatus(nodeId, started, unfinished, inp);
    const intervals = mine && !mine.ranUnseen ? toIntervals(mine, rel) : [];
    const selfMs = mine ? sum(intervals.map((i) => i.endMs - i.startMs)) : kids.length > 0 ? 0 : null;
    const timed = mine && !mine.ranUnseen ? mine : null;
    const startMs = timed ? rel(timed.startMonoMs) : kids.length ? Math.min(...kids.map((k) => k.intervals[0]!.startMs)) : null;
    const endMs = timed ? rel(timed.endMonoMs) : kids.length ? Math.max(...kids.map((k) => k.intervals.at(-1)!.endMs)) : null;
    const spanMs = startMs !== null && endMs !== null ? endMs - startMs : null;
    const executions = mine?.executions ?? 0;
    const { durationMs, durationKind } = mine?.ranUnseen ? { durationMs: null, durationKind: null } : duration(status, selfMs, spanMs, executions, kids);
    const uncertainty = nodeUncertainty(mine, children.get(nodeId) ?? [], startMs, endMs, rel, durationMs, durationKind);
    return {
      nodeId,
      classType: node.class_type,
      title: typeof node._meta?.title === "string" ? node._meta.title : null,
      status,
      intervals,
      spanMs,
      selfMs,
      durationMs,
      durationKind,
      executions,
      children: kids,
      progress: mine ? progressStats(mine.progress, rel(mine.startMonoMs), rel) : null,
      memory:
        startMs !== null && endMs !== null
          ? peakIn(inp.samples, { startMs, endMs }, inFlightAt)
          : { peakRamBytes: null, peakVramBytes: null, peakTorchReservedBytes: null, samples: 0, shared: false, rise: null },
      outputs: mine && mine.output && typeof mine.output === "object" ? Object.keys(mine.output) : null,
      error: nodeId === inp.failedNodeId ? inp.failure : null,
      boundaryUncertain: (uncertainty?.causes.length ?? 0) > 0,
      uncertainty,
    };
  });
  return { nodes, spans, unknownNodeIds };
}

/**
 * Expanded children belong to their top-level prompt node: real_node_id, else
 * parent_node_id (progress_state), else the id's first dotted part
 * ("7.0.0.1" → "7"). Ids like "a:b" (editor subgraphs) are plain prompt nodes.
 */
function promptNodeOf(r: ResolvedNode, prompt: ApiWorkflow): string | null {
  for (const candidate of [r.nodeId, r.realNodeId, r.parentNodeId, r.nodeId.split(".")[0]]) {
    if (candidate && Object.hasOwn(prompt, candidate)) return candidate;
  }
  return null;
}

function nodeStatus(nodeId: string, started: boolean, unfinished: boolean, inp: NodeRunInputs): NodeStatus {
  if (nodeId === inp.failedNodeId) return "failed";
  if (nodeId === inp.interruptedNodeId && started) return "interrupted";
  if (unfinished) return "unknown";
  if (started) return "executed";
  if (inp.cachedNeeded.has(nodeId)) return "cached";
  return "not-run";
}

/** Span for plain nodes (async ones overlap others: their own segments miss the awaited time); self for lazy nodes and expansion parents, whose span contains other nodes. */
function duration(status: NodeStatus, selfMs: number | null, spanMs: number | null, executions: number, kids: ExpandedChild[]) {
  if (status === "cached") return { durationMs: 0, durationKind: null };
  if (status === "not-run" || status === "unknown" || selfMs === null || spanMs === null) return { durationMs: null, durationKind: null };
  if (kids.length > 0) return { durationMs: selfMs + sum(kids.map((k) => k.selfMs)), durationKind: "rolled-up" as const };
  if (executions > 1) return { durationMs: selfMs, durationKind: "self" as const };
  return { durationMs: spanMs, durationKind: "span" as const };
}

/** The bounds of the node's first start and last end (its own, or its children's), run-relative. */
function nodeUncertainty(
  mine: ResolvedNode | null,
  kids: ResolvedNode[],
  startMs: number | null,
  endMs: number | null,
  rel: (m: number) => number,
  durationMs: number | null,
  durationKind: DurationKind | null,
): NodeUncertainty | null {
  const all = [...(mine ? [mine] : []), ...kids];
  if (all.length === 0) return null;
  const first = all.reduce((a, b) => (b.start.earliestMonoMs < a.start.earliestMonoMs ? b : a));
  const last = all.reduce((a, b) => (b.end.latestMonoMs === null || (a.end.latestMonoMs !== null && b.end.latestMonoMs > a.end.latestMonoMs) ? b : a));
  const start = { earliestMs: rel(first.start.earliestMonoMs), latestMs: rel(first.start.latestMonoMs) };
  const end = { earliestMs: rel(last.end.earliestMonoMs), latestMs: last.end.latestMonoMs === null ? null : rel(last.end.latestMonoMs) };
  const s = startMs ?? start.earliestMs;
  const plusMinus = (at: number, b: { earliestMs: number; latestMs: number }) => Math.max(0, at - b.earliestMs, b.latestMs - at);
  const startPlusMinusMs = plusMinus(s, start);
  const endPlusMinusMs = end.latestMs === null ? null : plusMinus(endMs ?? end.earliestMs, { earliestMs: end.earliestMs, latestMs: end.latestMs });
  let durationPlusMinusMs: number | null = null;
  if (durationMs !== null && end.latestMs !== null && endPlusMinusMs !== null) {
    // A span is bounded by its two boundaries; a self or rolled-up time is moved by at most the larger boundary ±.
    durationPlusMinusMs =
      durationKind === "span"
        ? Math.max(0, durationMs - Math.max(0, end.earliestMs - start.latestMs), end.latestMs - start.earliestMs - durationMs)
        : Math.max(startPlusMinusMs, endPlusMinusMs);
  }
  return { start, end, startPlusMinusMs, endPlusMinusMs, durationPlusMinusMs, causes: [...new Set(all.flatMap((r) => r.causes))] };
}

/** Self segments, the first one starting at the node's start (its `running` may precede its `executing`). */
function toIntervals(r: ResolvedNode, rel: (m: number) => number): NodeInterval[] {
  if (r.segments.length === 0) return [{ startMs: rel(r.startMonoMs), endMs: rel(r.endMonoMs) }];
  return r.segments.map((s, i) => ({ startMs: rel(i === 0 ? Math.min(s.startMonoMs, r.startMonoMs) : s.startMonoMs), endMs: rel(s.endMonoMs) }));
}

function toChild(c: ResolvedNode, rel: (m: number) => number): ExpandedChild {
  const intervals = toIntervals(c, rel);
  return {
    nodeId: c.nodeId,
    classType: null,
    intervals,
    selfMs: sum(intervals.map((i) => i.endMs - i.startMs)),
    spanMs: rel(c.endMonoMs) - rel(c.startMonoMs),
  };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
