// The Chrome / Perfetto trace (Trace Event Format, JSON): open it in
// https://ui.perfetto.dev or chrome://tracing. One process per run, one
// thread ("lane") per set of nodes that never overlap: ComfyUI's sync nodes
// share lane 1, async nodes in flight beside them get lanes of their own.
// Memory samples are counter tracks. Times are µs from the first run's start.

import type { Analysis, NodeRun, RunProfile } from "../src/model/profile.js";
import { runNames } from "./run-names.js";

interface TraceEvent {
  name: string;
  ph: "X" | "C" | "M" | "i";
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  cat?: string;
  s?: "t" | "p" | "g";
  args?: Record<string, unknown>;
}

const US = 1000;
/** Overlaps this small are receipt jitter between consecutive nodes, not nodes in flight together. */
const TOUCH_MS = 0.5;

export function renderChromeTrace(analysis: Analysis): string {
  const firstStart = analysis.runs.find((r) => r.startedAtMs !== null)?.startedAtMs ?? 0;
  const events: TraceEvent[] = [];
  let fallbackOffsetMs = 0;
  const names = new Map(analysis.inputs.flatMap((input) => [...runNames(analysis.runs.filter((r) => r.source.file === input.file))]));
  analysis.runs.forEach((run, i) => {
    const pid = i + 1;
    // Runs without a server start time are laid end to end.
    const offsetMs = run.startedAtMs !== null ? run.startedAtMs - firstStart : fallbackOffsetMs;
    fallbackOffsetMs = offsetMs + (run.timing.executionMs ?? 0) + 1;
    events.push(...runEvents(run, names.get(run) ?? `prompt ${run.promptId.slice(0, 8)}`, pid, offsetMs));
  });
  return `${JSON.stringify({ traceEvents: events, displayTimeUnit: "ms", otherData: { generator: "comfyprof", schemaVersion: analysis.schemaVersion } })}\n`;
}

function runEvents(run: RunProfile, label: string, pid: number, offsetMs: number): TraceEvent[] {
  const at = (ms: number) => Math.round((offsetMs + ms) * US);
  const events: TraceEvent[] = [
    { name: "process_name", ph: "M", ts: 0, pid, tid: 0, args: { name: `${label} · ${run.workflow.name ?? "workflow"} · ${run.outcome.status}` } },
    { name: "process_sort_index", ph: "M", ts: 0, pid, tid: 0, args: { sort_index: pid } },
    { name: "thread_name", ph: "M", ts: 0, pid, tid: 0, args: { name: "run" } },
  ];
  if (run.timing.executionMs !== null) {
    events.push({ name: "execution", ph: "X", ts: at(0), dur: Math.round(run.timing.executionMs * US), pid, tid: 0, cat: "run", args: { ...run.timing } });
  }
  if (run.timing.queueWaitMs !== null && run.timing.queueWaitMs > 0) {
    events.push({ name: "queue wait", ph: "X", ts: at(-run.timing.queueWaitMs), dur: Math.round(run.timing.queueWaitMs * US), pid, tid: 0, cat: "run" });
  }
  const slices = assignLanes(run.nodes);
  for (const lane of new Set(slices.map((x) => x.lane))) {
    events.push({ name: "thread_name", ph: "M", ts: 0, pid, tid: lane, args: { name: lane === 1 ? "executor" : `in flight ${lane - 1}` } });
  }
  for (const { node, startMs, endMs, lane } of slices) {
    const name = `#${node.nodeId} ${node.classType}${node.title && node.title !== node.classType ? ` · ${node.title}` : ""}`;
    const args = {
      status: node.status, durationMs: node.durationMs, measure: node.durationKind, selfMs: node.selfMs, spanMs: node.spanMs,
      onCriticalPath: node.onCriticalPath, slackMs: node.slackMs, peakRamBytes: node.memory.peakRamBytes, steps: node.progress?.lastValue ?? null,
    };
    const dur = (a: number, b: number) => Math.max(0, Math.round((b - a) * US));
    events.push({ name, ph: "X", ts: at(startMs), dur: dur(startMs, endMs), pid, tid: lane, cat: node.onCriticalPath ? "node,critical-path" : "node", args });
    // Expanded children are drawn inside their parent's slice, on its lane.
    for (const child of node.children) {
      for (const iv of child.intervals.filter((c) => c.startMs >= startMs && c.endMs <= endMs)) {
        events.push({ name: `#${child.nodeId} (in #${node.nodeId})`, ph: "X", ts: at(iv.startMs), dur: dur(iv.startMs, iv.endMs), pid, tid: lane, cat: "child", args: { selfMs: child.selfMs } });
      }
    }
  }
  for (const s of run.memory.samples) {
    if (s.ramUsedBytes !== null) events.push({ name: "RAM used (MB)", ph: "C", ts: at(s.atMs), pid, tid: 0, args: { used: Math.round(s.ramUsedBytes / 2 ** 20) } });
    for (const d of s.devices) {
      if (d.usedBytes !== null) events.push({ name: `${d.name} used (MB)`, ph: "C", ts: at(s.atMs), pid, tid: 0, args: { used: Math.round(d.usedBytes / 2 ** 20) } });
    }
  }
  if (run.outcome.status === "error" || run.outcome.status === "interrupted") {
    const end = run.timing.executionMs ?? 0;
    events.push({ name: `${run.outcome.status}${run.outcome.nodeId ? ` at #${run.outcome.nodeId}` : ""}`, ph: "i", s: "p", ts: at(end), pid, tid: 0, args: { message: run.outcome.message } });
  }
  return events;
}

/** A node as drawn: its self segments, or its whole span for a plain (possibly async) node. */
function displayIntervals(node: NodeRun): { startMs: number; endMs: number }[] {
  if (node.intervals.length === 0) return [];
  if (node.durationKind === "span" && node.spanMs !== null) {
    const start = node.intervals[0]!.startMs;
    return [{ startMs: start, endMs: start + node.spanMs }];
  }
  if (node.durationKind === "rolled-up" && node.spanMs !== null) {
    // The parent's span contains its children: drawn as the enclosing slice, children nested inside.
    const start = node.intervals[0]!.startMs;
    return [{ startMs: start, endMs: start + node.spanMs }];
  }
  return node.intervals;
}

export interface Slice {
  node: NodeRun;
  startMs: number;
  endMs: number;
  lane: number;
}

/**
 * Greedy interval colouring of every drawn interval: lane 1 is used whenever
 * it is free (sync nodes, a lazy node's segments), and an interval that
 * overlaps every open lane (an async node in flight) opens a new one.
 */
export function assignLanes(nodes: readonly NodeRun[]): Slice[] {
  const items = nodes.flatMap((node) => displayIntervals(node).map((iv) => ({ node, ...iv, lane: 0 }))).sort((a, b) => a.startMs - b.startMs);
  const laneEnds: number[] = [];
  for (const item of items) {
    let lane = laneEnds.findIndex((end) => end <= item.startMs + TOUCH_MS);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(item.endMs);
    } else {
      // Back-to-back nodes can touch by a fraction of a ms (a start's `running` precedes the previous segment's close): draw them end to end.
      item.startMs = Math.min(item.endMs, Math.max(item.startMs, laneEnds[lane]!));
      laneEnds[lane] = item.endMs;
    }
    item.lane = lane + 1;
  }
  return items;
}
