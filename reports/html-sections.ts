// The HTML report's per-run sections, rendered in Node as plain HTML so every
// table and number reads without JavaScript; only the charts need it. Every
// string from a log (ids, titles, messages, tracebacks) goes through escapeHtml.

import type { NodeRun, Recommendation, RunProfile } from "../src/model/profile.js";
import { escapeHtml } from "../src/text/escape.js";
import { formatBytes, formatMs, formatPercent, NONE } from "./format.js";
import { nodeLabel } from "./html-data.js";
import { formatBoundary, formatNodeTime, uncertaintyLines } from "./uncertainty.js";
import type { ChartName } from "./html-specs.js";

/** Escapes a value for HTML text or a quoted attribute; null/undefined become "". */
export const e = (text: string | number | null | undefined): string => escapeHtml(text === null || text === undefined ? "" : String(text));

export interface Cell {
  html: string;
  num?: boolean;
}

/** A table whose cells are already HTML (escaped by the caller). */
export function htmlTable(headers: (string | Cell)[], rows: (string | Cell)[][], caption?: string): string {
  const cell = (c: string | Cell, tag: "td" | "th") => {
    const x = typeof c === "string" ? { html: c } : c;
    return `<${tag}${x.num ? ' class="num"' : ""}>${x.html}</${tag}>`;
  };
  return (
    `<table>${caption ? `<caption>${caption}</caption>` : ""}<thead><tr>${headers.map((h) => cell(typeof h === "string" ? e(h) : { ...h, html: e(h.html) }, "th")).join("")}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell(c, "td")).join("")}</tr>`).join("\n")}</tbody></table>`
  );
}

const num = (html: string): Cell => ({ html, num: true });
const source = (s: "server" | "receipt" | null) => (s === null ? "" : s === "server" ? " (server clock)" : " (receipt times)");

export function statusBadge(run: RunProfile): string {
  const o = run.outcome;
  const where = o.nodeId ? ` at #${o.nodeId}${o.nodeType ? ` ${o.nodeType}` : ""}` : "";
  return `<span class="status ${o.status === "success" ? "ok" : "bad"}">${e(o.status + where)}</span>`;
}

/** One run's section. `charts` tells which charts have data; the page embeds them into the containers made here. */
export function renderRunSection(run: RunProfile, index: number, name: string, charts: Record<ChartName, boolean>): string {
  const out: string[] = [];
  const warm = run.source.warmup ? ' <span class="badge">warm-up: left out of the node-type statistics</span>' : "";
  out.push(`<section class="run" id="run-${index}" data-run="${index}">`);
  out.push(`<h2>${e(name)} · prompt <code>${e(run.promptId)}</code>${warm} ${statusBadge(run)}</h2>`);
  const meta = [run.workflow.name, run.source.cacheState ? `cache state ${run.source.cacheState}` : null, run.label ? `label “${run.label}”` : null, run.source.file];
  if (run.startedAtMs !== null) meta.push(`started ${new Date(run.startedAtMs).toISOString()} (server clock)`);
  out.push(`<p class="meta">${meta.filter((m): m is string => !!m).map(e).join(" · ")}</p>`);
  out.push(outcome(run), summary(run));
  const uncertain = uncertaintyLines(run);
  if (uncertain.length > 0) out.push(`<ul class="uncertain">${uncertain.map((l) => `<li>± ${e(l)}</li>`).join("")}</ul>`);
  if (run.outcome.status === "rejected") {
    out.push(`<p class="note">The server rejected the prompt, so nothing ran: no timeline, critical path or memory profile.</p>`);
  } else {
    out.push(`<h3>Timeline</h3>`, chart(charts.gantt, "gantt", index, "No node ran in this run (every node was cached or not run): nothing to draw."));
    out.push(`<p class="caption">One row per node (expanded children under their parent), from execution start. Solid bars are the node's own segments on the executor; a pale bar behind them is its span in flight (an async node awaiting, a lazy node waiting for an input, an expanding node's children). Outlined bars are on the critical path.${run.dataQuality.stalls.length + run.dataQuality.disconnections.length > 0 ? " Yellow bands are server stalls or WebSocket outages: node starts and ends inside them are uncertain." : ""}</p>`);
    out.push(`<h3>Node times</h3>`, chart(charts.durations, "durations", index, "No node took time in this run."));
    out.push(`<p class="caption">Reported node time (docs/metrics.md “Nodes”), slowest first, then its slack: how much longer it could take without lengthening the critical path. Cached and not-run nodes are left out.</p>`);
    out.push(criticalPath(run), nodesTable(run), memory(run, charts.memory, index), bottlenecks(run), recommendations(run));
  }
  out.push(quality(run), environment(run), `</section>`);
  return out.join("\n");
}

function chart(present: boolean, kind: ChartName, index: number, absent: string): string {
  if (!present) return `<p class="note">${e(absent)}</p>`;
  return `<div class="chart" data-chart="${kind}" data-run="${index}"><p class="nojs">This chart needs JavaScript; the tables below hold the same numbers.</p></div>`;
}

function outcome(run: RunProfile): string {
  const o = run.outcome;
  const out: string[] = [];
  if (o.message) out.push(`<pre class="error">${e(`${o.exceptionType ?? "error"}: ${o.message.trim()}`)}</pre>`);
  if (o.validationErrors && o.validationErrors.length > 0) {
    out.push(htmlTable(["node", "type", "input", "message"], o.validationErrors.map((v) => [e(v.nodeId), e(v.classType), e(v.inputName), e(v.message)]), "Validation errors"));
  }
  if (o.traceback && o.traceback.length > 0) out.push(`<details><summary>Traceback</summary><pre>${e(o.traceback.join(""))}</pre></details>`);
  return out.join("\n");
}

function summary(run: RunProfile): string {
  const t = run.timing;
  const c = run.counts;
  const cp = run.criticalPath;
  const nodes: [string, string] = ["Nodes", e(`${c.total}: ${c.executed} executed · ${c.cached} cached · ${c.failed} failed · ${c.interrupted} interrupted · ${c.notRun} not run`)];
  // A rejected prompt never ran: its zero node time and critical path would read as measurements.
  if (run.outcome.status === "rejected") return summaryList([["Outcome", statusBadge(run)], ["Submit (validation)", e(formatMs(t.submitMs))], nodes]);
  return summaryList([
    ["Outcome", statusBadge(run)],
    ["Queue wait", e(formatMs(t.queueWaitMs) + source(t.queueWaitSource))],
    ["Execution", e(formatMs(t.executionMs) + source(t.executionSource))],
    ["Total (client)", e(formatMs(t.totalMs))],
    ["Submit (validation)", e(formatMs(t.submitMs))],
    ["Nodes busy", e(formatMs(t.nodeBusyMs))],
    ["No node running", e(`${formatMs(t.gapMs)}${t.largestGapMs !== null ? ` (largest stretch ${formatMs(t.largestGapMs)})` : ""}`)],
    nodes,
    ["Work Σ", e(formatMs(cp.workMs))],
    ["Critical path", e(formatMs(cp.lengthMs))],
    ["Est. speedup (∞ workers)", e(cp.overlapObserved && cp.remainingSpeedup !== null ? `${cp.remainingSpeedup.toFixed(2)}× left (${cp.speedup?.toFixed(2) ?? NONE}× of Σ, already overlapped)` : cp.speedup === null ? NONE : `${cp.speedup.toFixed(2)}×`)],
    ["Parallelizability", cp.band ? `<span class="band band-${e(cp.band)}">${e(cp.band)}</span> ${e(formatPercent(cp.parallelizability))}` : e(NONE)],
  ]);
}

/** Label / value pairs; values are HTML. */
function summaryList(items: [string, string][]): string {
  return `<dl class="summary">${items.map(([k, v]) => `<div><dt>${e(k)}</dt><dd>${v}</dd></div>`).join("")}</dl>`;
}

function criticalPath(run: RunProfile): string {
  const cp = run.criticalPath;
  const byId = new Map(run.nodes.map((n) => [n.nodeId, n]));
  const label = (id: string) => e(nodeLabel(byId.get(id) ?? { nodeId: id, classType: "?" }));
  const out = [`<h3>Critical path <span class="dim">${e(formatMs(cp.lengthMs))}</span></h3>`];
  if (cp.nodeIds.length === 0) return `${out[0]}<p class="note">Nothing ran on the workflow graph.</p>`;
  out.push(`<ol class="path">${cp.nodeIds.map((id) => `<li>${label(id)} <span class="dim">${e(formatMs(byId.get(id)?.durationMs))}</span></li>`).join("")}</ol>`);
  out.push(`<p>Work Σ ${e(formatMs(cp.workMs))} · est. speedup (∞ workers) ${e(cp.speedup === null ? NONE : `${cp.speedup.toFixed(2)}×`)} · parallelizability ${e(formatPercent(cp.parallelizability))}${cp.band ? ` (${e(cp.band)})` : ""}</p>`);
  if (cp.overlapObserved) {
    const had = cp.observedConcurrency === null ? NONE : `${cp.observedConcurrency.toFixed(2)}×`;
    const left = cp.remainingSpeedup === null ? NONE : `${cp.remainingSpeedup.toFixed(2)}×`;
    out.push(`<p class="note">${e(`Nodes ran at the same time here (async nodes): the run already had ${had} concurrency; ∞ workers could add only ${left} more.`)}</p>`);
  }
  if (cp.whatIf.length > 0) {
    const items = cp.whatIf.map((w) => {
      const moved = w.nodeIds.join() !== cp.nodeIds.join() ? `; the path moves to ${w.nodeIds.map(label).join(" → ")}` : "";
      return `<li>If ${label(w.nodeId)} were ${e(w.factor)}× faster: ${e(formatMs(w.lengthMs))} (−${e(formatMs(w.savedMs))})${moved}</li>`;
    });
    out.push(`<h4>What if</h4><ul>${items.join("")}</ul>`);
  }
  return out.join("\n");
}

function nodesTable(run: RunProfile): string {
  const ram = (n: NodeRun) =>
    n.memory.peakRamBytes === null ? (n.durationMs === null || n.status === "cached" ? "" : "not sampled") : formatBytes(n.memory.peakRamBytes) + (n.memory.shared ? "*" : "");
  const steps = (n: NodeRun) => (n.progress ? `${n.progress.lastValue}/${n.progress.maxSteps}${n.progress.stepsPerSec !== null ? ` @ ${n.progress.stepsPerSec.toFixed(2)}/s` : ""}` : "");
  const rows = run.nodes.map((n) => [
    e(n.nodeId + (n.boundaryUncertain ? "?" : "")), e(n.classType), e(n.title && n.title !== n.classType ? n.title : ""), e(n.status),
    num(e(formatNodeTime(n))), e(n.durationKind), num(e(formatBoundary(n.intervals[0]?.startMs ?? null, n.uncertainty?.startPlusMinusMs))),
    num(e(n.slackMs === null ? "" : formatMs(n.slackMs))), e(n.onCriticalPath ? "yes" : ""), num(e(ram(n))), e(steps(n)),
  ]);
  const out = [`<h3>Nodes</h3>`, htmlTable(["node", "type", "title", "status", { html: "time", num: true }, "measure", { html: "start", num: true }, { html: "slack", num: true }, "CP", { html: "peak RAM", num: true }, "progress"], rows)];
  for (const n of run.nodes.filter((x) => x.children.length > 0)) {
    out.push(`<p class="dim">#${e(n.nodeId)} expanded into ${n.children.map((c) => `${e(c.nodeId)} (${e(formatMs(c.selfMs))})`).join(", ")}</p>`);
  }
  const notes = [];
  if (run.nodes.some((n) => n.memory.shared)) notes.push("* another node was in flight at that sample");
  if (run.nodes.some((n) => n.boundaryUncertain)) notes.push("? a start or end is uncertain beyond the receipt jitter (see the ± notes above)");
  if (notes.length) out.push(`<p class="dim">${e(notes.join("; "))}</p>`);
  return out.join("\n");
}

function memory(run: RunProfile, hasChart: boolean, index: number): string {
  const m = run.memory;
  const every = m.sampleIntervalMs !== null
    ? `a sample every ${formatMs(m.sampleIntervalMs)}${m.pollMs !== null ? ` (poll ${formatMs(m.pollMs)})` : ""}: peaks are ± ${formatMs(m.sampleIntervalMs / 2)} in time; each point is ± half its round trip (the horizontal bars)`
    : "fewer than two samples";
  const out = [`<h3>Memory</h3>`, `<p class="caption">${e(every)}. Shaded bands are the nodes in flight.</p>`];
  out.push(chart(hasChart, "memory", index, "Not enough memory samples to draw a timeline."));
  const delta = (b: number | null) => (b === null ? `${NONE} vs baseline` : `${b >= 0 ? "+" : ""}${formatBytes(b)} vs baseline`);
  const rows: string[][] = [];
  if (m.ram) rows.push(["RAM used", formatBytes(m.ram.baselineBytes), formatBytes(m.ram.peakUsedBytes), delta(m.ram.peakDeltaBytes), NONE, `${formatBytes(m.ram.minFreeBytes)} available`]);
  for (const d of m.devices) rows.push([`${d.name} used`, formatBytes(d.baselineBytes), formatBytes(d.peakUsedBytes), delta(d.peakDeltaBytes), formatBytes(d.totalBytes), `${formatBytes(d.minFreeBytes)} free`]);
  if (rows.length > 0) out.push(htmlTable(["", "baseline", "peak", "peak − baseline", "total", "minimum"], rows.map((r) => r.map((c, i) => (i === 0 ? e(c) : num(e(c)))))));
  for (const d of run.environment?.devices ?? []) {
    if (d.isCpu) out.push(`<p class="dim">Device ${e(d.name)} is the CPU (--cpu): no VRAM, its figures repeat RAM.</p>`);
  }
  return out.join("\n");
}

function bottlenecks(run: RunProfile): string {
  if (run.bottlenecks.length === 0) return `<h3>Bottlenecks</h3><p class="note">None: no node took 2× the mean node time or half the critical path, and none failed.</p>`;
  const rows = run.bottlenecks.map((b) => [
    e(`#${b.nodeId} ${b.classType}`), e(b.kind), e(b.reason), num(e(formatMs(b.durationMs))), num(e(formatPercent(b.shareOfWall))), e(b.onCriticalPath ? "yes" : ""),
  ]);
  return `<h3>Bottlenecks</h3>${htmlTable(["node", "kind", "why", { html: "time", num: true }, { html: "of execution", num: true }, "on CP"], rows)}`;
}

function recommendations(run: RunProfile): string {
  if (run.recommendations.length === 0) return `<h3>Recommendations</h3><p class="note">No rule fired for this run.</p>`;
  const item = (r: Recommendation) => {
    const evidence = Object.entries(r.evidence).map(([k, v]) => `<code>${e(k)}</code> ${e(evidenceValue(k, v))}`).join(" · ");
    return `<li><strong>${e(r.rule)}</strong>: ${e(r.message)}${evidence ? `<br><span class="dim">evidence: ${evidence}</span>` : ""}</li>`;
  };
  return `<h3>Recommendations</h3><ul class="recs">${run.recommendations.map(item).join("")}</ul>`;
}

/** Evidence keys follow the model's unit suffixes (Ms, Bytes); a bare number is shown as is. */
function evidenceValue(key: string, value: number | string | null): string {
  if (value === null) return NONE;
  if (typeof value === "string") return value;
  if (/Ms$/.test(key)) return formatMs(value);
  if (/Bytes$/.test(key)) return formatBytes(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

function quality(run: RunProfile): string {
  const q = run.dataQuality;
  const facts = [
    `receipt resolution ${formatMs(q.receiptResolutionMs)}`,
    `poll ${formatMs(q.pollMs)} (median round trip ${formatMs(q.medianPollRoundTripMs)})`,
    q.hasProgressState ? "progress_state: yes" : "progress_state: no (old server or nothing ran)",
    `${q.reconnects} reconnect(s)`,
    `${q.clockJumps} clock jump(s)`,
    `${q.missingServerTimestamps} message(s) without server timestamp`,
  ];
  const t = run.timing;
  if (t.clockOffset) facts.push(`clock offset recorder − server ${formatMs(t.clockOffset.medianMs)} (spread ${formatMs(t.clockOffset.spreadMs)}, ${t.clockOffset.samples} stamps)`);
  const out = [`<h3>Data quality</h3>`, `<p>${facts.map(e).join(" · ")}</p>`];
  const windows = [
    ...q.disconnections.map((w) => `WebSocket down ${formatMs(w.startMs)}–${formatMs(w.endMs)}: messages then were lost; node boundaries there are bounds only`),
    ...q.stalls.map((s) => `server stalled ${formatMs(s.roundTripMs)} at ${formatMs(s.startMs)}–${formatMs(s.endMs)}: node boundaries there are uncertain`),
  ];
  if (windows.length > 0) out.push(`<ul>${windows.map((w) => `<li>${e(w)}</li>`).join("")}</ul>`);
  if (run.diagnostics.length > 0) {
    out.push(htmlTable(["severity", "code", "line", "message"], run.diagnostics.map((d) => [e(d.severity), `<code>${e(d.code)}</code>`, num(e(d.line)), e(d.message)]), "Diagnostics"));
  } else {
    out.push(`<p class="dim">No diagnostics for this run.</p>`);
  }
  return out.join("\n");
}

function environment(run: RunProfile): string {
  const env = run.environment;
  if (!env) return `<h3>Environment</h3><p class="note">The log has no system stats: environment unknown.</p>`;
  const facts = [
    `ComfyUI ${env.comfyuiVersion ?? NONE}`, `Python ${env.pythonVersion ?? NONE}`, `PyTorch ${env.pytorchVersion ?? NONE}`, `OS ${env.os ?? NONE}`,
    `devices: ${env.devices.map((d) => `${d.name} (${d.type}${d.vramTotalBytes !== null ? `, ${formatBytes(d.vramTotalBytes)}` : ""})`).join(", ") || NONE}`,
    `fingerprint ${env.fingerprint}`, `workflow fingerprint ${run.workflow.fingerprint}`,
  ];
  const argv = env.argv ? `<p class="dim">launched as <code>${e(env.argv.join(" "))}</code></p>` : "";
  return `<h3>Environment</h3><p>${facts.map(e).join(" · ")}</p>${argv}`;
}
