// What a run's section says, once, for every format: the terminal and the HTML
// per-run sections render this view (escaping and styling it their own way),
// so the two cannot drift. Plain text, not yet escaped: it holds log text.

import type { NodeRun, RunProfile } from "../src/model/profile.js";
import { formatBytes, formatMs, formatPercent, NONE } from "./format.js";
import { nodePhaseLines } from "./node-phases-text.js";
import { formatBoundary, formatNodeTime, uncertaintyLines } from "./uncertainty.js";

export interface ViewColumn {
  header: string;
  align?: "left" | "right";
}

export interface ViewTable {
  columns: ViewColumn[];
  rows: string[][];
}

export interface RunView {
  /** "success", or e.g. "error at #2 ComfyprofRaise". */
  status: { text: string; ok: boolean };
  /** The server's message, validation errors and traceback, when it stopped the run. */
  outcome: { message: string | null; validationErrors: ViewTable | null; traceback: string | null };
  rejected: boolean;
  /** "Queue wait … · Execution … · Total …": the run's times in one line. */
  headline: string;
  /** Label / value pairs of the run's times, in report order. */
  timeline: [string, string][];
  clockOffset: string | null;
  counts: string;
  /** "cache-warm · 8 cached nodes saved 84.6 ms" (what they took when they last ran); null when nothing was cached. */
  cache: string | null;
  nodeTimes: string | null;
  parallelizable: string | null;
  /** One sentence per episode that made times uncertain. */
  uncertain: string[];
  criticalPath: { lengthText: string; nodes: string[]; summary: string; overlap: string | null; whatIfs: string[] };
  slowest: (top: number) => ViewTable;
  nodes: ViewTable;
  expansions: string[];
  nodeNotes: string[];
  /** One line per subgraph instance: its name and path, nodes, own time and share, span, on the critical path or not. */
  subgraphs: string[];
  bottlenecks: string[];
  memory: { caption: string; lines: string[] };
  /** One line per model load, or why none can be seen. */
  modelLoads: string[];
  /** One line per stepping node: its time as loading + to the first step + the steps + after the last step. */
  steps: string[];
  /** Each recommendation and the numbers that triggered it ("name value · …"). */
  recommendations: { message: string; evidence: string }[];
  environment: { facts: string; fingerprint: string; argv: string | null } | null;
  quality: { facts: string[]; windows: string[]; diagnostics: string[] };
}

const source = (s: "server" | "receipt" | null) => (s === null ? "" : s === "server" ? " (server clock)" : " (receipt times)");
const times = (x: number | null) => (x === null ? NONE : `${x.toFixed(2)}×`);

export function runView(r: RunProfile): RunView {
  const t = r.timing;
  const c = r.counts;
  const cp = r.criticalPath;
  const byId = new Map(r.nodes.map((n) => [n.nodeId, n]));
  const label = (id: string) => `#${id} ${byId.get(id)?.classType ?? "?"}`;
  const unknown = r.nodes.filter((n) => n.status === "unknown").length;
  const timed = r.nodes.filter((n) => n.durationMs !== null && n.status !== "cached" && n.status !== "not-run").sort((a, b) => b.durationMs! - a.durationMs!);
  return {
    status: statusOf(r),
    outcome: {
      message: r.outcome.message ? `${r.outcome.exceptionType ?? "error"}: ${r.outcome.message.trim()}` : null,
      validationErrors: r.outcome.validationErrors?.length
        ? { columns: [{ header: "node" }, { header: "type" }, { header: "input" }, { header: "message" }], rows: r.outcome.validationErrors.map((v) => [v.nodeId, v.classType ?? "", v.inputName ?? "", v.message]) }
        : null,
      traceback: r.outcome.traceback?.length ? r.outcome.traceback.join("") : null,
    },
    rejected: r.outcome.status === "rejected",
    headline: `Queue wait ${formatMs(t.queueWaitMs)} · Execution ${formatMs(t.executionMs)} · Total ${formatMs(t.totalMs)}`,
    timeline: [
      ["Submit (validation)", formatMs(t.submitMs)],
      ["Queue wait", formatMs(t.queueWaitMs) + source(t.queueWaitSource)],
      ["Execution", formatMs(t.executionMs) + source(t.executionSource)],
      ["Nodes busy", formatMs(t.nodeBusyMs)],
      ["No node running", `${formatMs(t.gapMs)}${t.largestGapMs !== null ? ` (largest stretch ${formatMs(t.largestGapMs)})` : ""}`],
      ["Total (client)", formatMs(t.totalMs)],
    ],
    clockOffset: t.clockOffset ? `Clock offset recorder − server ${formatMs(t.clockOffset.medianMs)} (spread ${formatMs(t.clockOffset.spreadMs)}, ${t.clockOffset.samples} stamps)` : null,
    counts: `${c.total}: ${c.executed} executed · ${c.cached} cached · ${c.failed} failed${c.interrupted ? ` · ${c.interrupted} interrupted` : ""}${unknown ? ` · ${unknown} unknown (never finished)` : ""} · ${c.notRun} not run`,
    cache: c.cached === 0
      ? null
      : `${r.cache.use} · ${c.cached} cached node(s)${r.cache.timeSavedMs !== null ? ` saved ${formatMs(r.cache.timeSavedMs)} (what they took when they last ran)` : ", never seen running here: time saved unknown"}`,
    nodeTimes: r.nodeTimes ? `mean ${formatMs(r.nodeTimes.meanMs)} · median ${formatMs(r.nodeTimes.medianMs)}` : null,
    parallelizable: cp.parallelizability === null ? null : `${cp.band} (${formatPercent(cp.parallelizability)}; critical path ${formatMs(cp.lengthMs)} of ${formatMs(cp.workMs)} node time)`,
    uncertain: uncertaintyLines(r),
    criticalPath: {
      lengthText: formatMs(cp.lengthMs),
      nodes: cp.nodeIds.map(label),
      summary:
        `Work Σ ${formatMs(cp.workMs)} · est. speedup (∞ workers) ${times(cp.speedup)} · ` +
        `parallelizability ${formatPercent(cp.parallelizability)}${cp.band ? ` (${cp.band})` : ""}`,
      overlap: cp.overlapObserved
        ? `Nodes ran at the same time here (async nodes): the run already had ${times(cp.observedConcurrency)} concurrency; ∞ workers could add only ${times(cp.remainingSpeedup)} more.`
        : null,
      whatIfs: cp.whatIf.map((w) => {
        const moved = w.nodeIds.join() !== cp.nodeIds.join() ? `, path moves to ${w.nodeIds.map(label).join(" → ")}` : "";
        return `If ${label(w.nodeId)} were ${w.factor}× faster: ${formatMs(w.lengthMs)} (−${formatMs(w.savedMs)})${moved}`;
      }),
    },
    slowest: (top) => ({
      columns: [{ header: "#", align: "right" }, { header: "node" }, { header: "type" }, { header: "title" }, { header: "time", align: "right" }, { header: "share", align: "right" }, { header: "on CP" }],
      rows: timed.slice(0, top).map((n, i) => [
        String(i + 1), n.nodeId, n.classType, pathTitle(r, n), formatNodeTime(n),
        formatPercent(t.executionMs ? n.durationMs! / t.executionMs : null), n.onCriticalPath ? "yes" : "",
      ]),
    }),
    nodes: nodesTable(r),
    expansions: r.nodes.filter((n) => n.children.length > 0).map((n) => `#${n.nodeId} expanded into ${n.children.map((k) => `${k.nodeId} (${formatMs(k.selfMs)})`).join(", ")}`),
    nodeNotes: [
      ...(r.nodes.some((n) => n.memory.shared) ? ["* another node was in flight at that sample"] : []),
      ...(r.nodes.some((n) => n.memory.rise) ? ["RAM rise: the node's peak − the last sample before it started (machine-wide RAM: other processes count too)"] : []),
      ...(r.nodes.some((n) => n.durationMs !== null && n.status !== "cached" && n.memory.samples === 0)
        ? [`not sampled: shorter than the poll interval${r.memory.pollMs !== null ? ` (${formatMs(r.memory.pollMs)})` : ""}; ${r.dataQuality.timeSource === "probe" ? "start the server with a smaller COMFYPROF_PROBE_POLL_MS" : "record with a smaller --poll-ms"} to see it`]
        : []),
      ...(r.nodes.some((n) => n.boundaryUncertain) ? ["? a start or end is uncertain beyond the receipt jitter (the ± lines say why)"] : []),
    ],
    subgraphs: r.subgraphs.map((g) => {
      const span = g.spanMs === null ? "did not run" : `span ${formatMs(g.startMs)} → ${formatMs(g.endMs)}`;
      return `${g.name} (#${g.path}): ${g.nodeIds.length} node(s), own time ${formatMs(g.selfMs)} (${formatPercent(g.shareOfExecution)} of execution), ${span}${g.onCriticalPath ? ", on the critical path" : ""}`;
    }),
    bottlenecks: r.bottlenecks.map(
      (b) => `#${b.nodeId} ${b.classType}: ${b.reason}${b.shareOfWall !== null ? ` — ${formatPercent(b.shareOfWall)} of execution` : ""}${b.onCriticalPath ? ", on the critical path" : ""}`,
    ),
    memory: memoryView(r),
    modelLoads: modelLoadLines(r, label),
    steps: nodePhaseLines(r, label),
    recommendations: r.recommendations.map((x) => ({ message: x.message, evidence: Object.entries(x.evidence).map(([k, val]) => `${k} ${evidenceValue(k, val)}`).join(" · ") })),
    environment: environmentView(r),
    quality: qualityView(r),
  };
}

/** Evidence keys follow the model's unit suffixes (Ms, Bytes); a bare number is shown as is. */
function evidenceValue(key: string, value: number | string | null): string {
  if (value === null) return NONE;
  if (typeof value === "string") return value;
  if (/Ms$/.test(key)) return formatMs(value);
  if (/Bytes$/.test(key)) return formatBytes(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

/** A node start received less than this after its load's request is within the normal receipt jitter: not said. */
const LATE_START_SHOWN_MS = 2;

function modelLoadLines(r: RunProfile, label: (id: string) => string): string[] {
  const m = r.modelLoads;
  if (m.logLines === 0) return ["no server log lines in this run: model loads cannot be seen (an old server, or the log subscription failed)"];
  const lines = m.loads.map((l) => {
    const split = l.nodeId ? (r.nodes.find((n) => n.nodeId === l.nodeId)?.loadSplit ?? null) : null;
    const share = split ? ` (${label(l.nodeId!)}: ${formatMs(split.loadMs)} loading, ${formatMs(split.computeMs)} computing)` : l.nodeId ? ` in ${label(l.nodeId)}` : "";
    const late = l.nodeStartLateMs >= LATE_START_SHOWN_MS ? `; its start was received ${formatMs(l.nodeStartLateMs)} after the request, held back behind the load: its time is short by at least that` : "";
    const partial = l.partial ? ` — partial: ${l.offloadedMb === null ? "some" : formatBytes(l.offloadedMb * 2 ** 20)} left on the CPU (too little VRAM)` : "";
    return `${l.model ?? "a model"}: ${formatBytes(l.loadedMb * 2 ** 20)} loaded in ${formatMs(l.endMs - l.startMs)}${share}${late}${partial}`;
  });
  if (m.unloadedMb > 0) lines.push(`${formatBytes(m.unloadedMb * 2 ** 20)} unloaded to make room (memory pressure)`);
  return lines.length ? lines : ["no model was loaded in this run"];
}

function statusOf(r: RunProfile): RunView["status"] {
  const o = r.outcome;
  if (o.status === "success") return { text: "success", ok: true };
  const where = o.nodeId ? ` at #${o.nodeId}${o.nodeType ? ` ${o.nodeType}` : ""}` : "";
  return { text: o.status === "incomplete" ? "incomplete" : `${o.status}${where}`, ok: false };
}

const titleOf = (n: NodeRun) => (n.title && n.title !== n.classType ? n.title : "");

/** A node inside a subgraph instance is shown under it: "Stage one › Soften › Blur". */
function pathTitle(r: RunProfile, n: NodeRun): string {
  const cut = n.nodeId.lastIndexOf(":");
  if (cut < 0) return titleOf(n);
  const instance = r.subgraphs.find((g) => g.path === n.nodeId.slice(0, cut));
  return `${instance?.name ?? `#${n.nodeId.slice(0, cut)}`} › ${titleOf(n) || n.classType}`;
}

function nodesTable(r: RunProfile): ViewTable {
  const ram = (n: NodeRun) =>
    n.memory.peakRamBytes === null ? (n.durationMs === null || n.status === "cached" ? "" : "not sampled") : formatBytes(n.memory.peakRamBytes) + (n.memory.shared ? "*" : "");
  const steps = (n: NodeRun) => (n.progress ? `${n.progress.lastValue}/${n.progress.maxSteps}${n.progress.stepsPerSec !== null ? ` @ ${n.progress.stepsPerSec.toFixed(2)}/s` : ""}` : "");
  return {
    columns: [{ header: "node" }, { header: "type" }, { header: "title" }, { header: "status" }, { header: "time", align: "right" }, { header: "measure" },
      { header: "start", align: "right" }, { header: "slack", align: "right" }, { header: "CP" }, { header: "peak RAM", align: "right" }, { header: "RAM rise", align: "right" }, { header: "progress" }],
    rows: r.nodes.map((n) => [
      n.nodeId + (n.boundaryUncertain ? "?" : ""), n.classType, pathTitle(r, n), n.status, formatNodeTime(n), n.durationKind ?? "",
      formatBoundary(n.intervals[0]?.startMs ?? null, n.boundaryUncertain ? n.uncertainty?.startPlusMinusMs : null), n.slackMs === null ? "" : formatMs(n.slackMs),
      n.onCriticalPath ? "yes" : "", ram(n), riseText(n), steps(n),
    ]),
  };
}

/** "+412.0 MB", with the device's rise when there is one. */
function riseText(n: NodeRun): string {
  const r = n.memory.rise;
  if (!r) return "";
  const signedBytes = (b: number) => `${b >= 0 ? "+" : "−"}${formatBytes(Math.abs(b))}`;
  const parts = [r.ramBytes === null ? "" : signedBytes(r.ramBytes), r.vramBytes === null ? "" : `VRAM ${signedBytes(r.vramBytes)}`].filter(Boolean);
  return parts.join(" · ");
}

function deltaText(bytes: number | null): string {
  if (bytes === null) return `${NONE} vs baseline`;
  return `${bytes >= 0 ? "+" : ""}${formatBytes(bytes)} vs baseline`;
}

function memoryView(r: RunProfile): RunView["memory"] {
  const m = r.memory;
  const inRun = m.samples.filter((x) => x.atMs >= 0 && x.atMs <= (r.timing.executionMs ?? Infinity)).length;
  const caption =
    m.sampleIntervalMs !== null
      ? `${inRun} samples during the run, one every ${formatMs(m.sampleIntervalMs)}; peaks ± ${formatMs(m.sampleIntervalMs / 2)} in time`
      : `${inRun} sample(s) during the run`;
  const lines = [
    m.ram
      ? `RAM used: baseline ${formatBytes(m.ram.baselineBytes)} · peak ${formatBytes(m.ram.peakUsedBytes)} (${deltaText(m.ram.peakDeltaBytes)}) · min available ${formatBytes(m.ram.minFreeBytes)}`
      : "no RAM samples",
    ...(r.environment?.devices ?? []).filter((d) => d.isCpu).map((d) => `device ${d.name}: the CPU (--cpu): no VRAM, its figures repeat RAM`),
    ...m.devices.map((d) => {
      const share = d.peakUsedBytes !== null && d.totalBytes ? ` = ${formatPercent(d.peakUsedBytes / d.totalBytes)}` : "";
      return `${d.name}: used baseline ${formatBytes(d.baselineBytes)} · peak ${formatBytes(d.peakUsedBytes)} of ${formatBytes(d.totalBytes)}${share} (${deltaText(d.peakDeltaBytes)}) · min free ${formatBytes(d.minFreeBytes)}`;
    }),
  ];
  return { caption, lines };
}

function environmentView(r: RunProfile): RunView["environment"] {
  const e = r.environment;
  if (!e) return null;
  const facts = [
    e.comfyuiVersion && `ComfyUI ${e.comfyuiVersion}`,
    e.pythonVersion && `Python ${e.pythonVersion.split(" ")[0]}`,
    e.pytorchVersion && `PyTorch ${e.pytorchVersion}`,
    e.os,
    e.devices.length ? `devices: ${e.devices.map((d) => d.name).join(", ")}` : null,
  ].filter((x): x is string => Boolean(x));
  return { facts: facts.join(" · "), fingerprint: e.fingerprint.slice(0, 8), argv: e.argv?.length ? e.argv.slice(1).join(" ") : null };
}

function qualityView(r: RunProfile): RunView["quality"] {
  const q = r.dataQuality;
  const probe = q.timeSource === "probe";
  const facts = [
    probe ? "times: server clock (probe)" : "times: recorder receipt, placed from the delivery evidence",
    `${probe ? "message" : "receipt"} resolution ${formatMs(q.receiptResolutionMs)}`,
    probe ? `samples every ${formatMs(q.pollMs)} (in the server)` : `poll ${formatMs(q.pollMs)} (median round trip ${formatMs(q.medianPollRoundTripMs)})`,
    ...(probe ? [] : [`delivery jitter ± ${formatMs(q.deliveryJitterMs)}`]),
    q.hasProgressState ? "progress_state: yes" : "progress_state: no (old server)",
    ...(q.reconnects ? [`${q.reconnects} reconnect(s)`] : []),
    ...(q.clockJumps ? [`${q.clockJumps} clock jump(s)`] : []),
    ...(q.missingServerTimestamps ? [`${q.missingServerTimestamps} message(s) without server timestamp`] : []),
  ];
  const windows = [
    ...q.disconnections.map((w) => `WebSocket down ${formatMs(w.startMs)}–${formatMs(w.endMs)}: messages then were lost; node boundaries there are bounds only`),
    ...q.stalls.map((s) => `server stalled ${formatMs(s.roundTripMs)} at ${formatMs(s.startMs)}–${formatMs(s.endMs)}: node boundaries there are uncertain`),
  ];
  return { facts, windows, diagnostics: r.diagnostics.map((d) => `${d.severity}: ${d.message}`) };
}
