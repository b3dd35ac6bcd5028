// The HTML report's per-run sections, rendered in Node as plain HTML so every
// table and number reads without JavaScript; only the charts need it. Every
// string from a log (ids, titles, messages, tracebacks) goes through escapeHtml.

import type { RunProfile } from "../src/model/profile.js";
import { escapeHtml } from "../src/text/escape.js";
import { NONE } from "./format.js";
import { runView, type RunView, type ViewTable } from "./run-view.js";
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

export function statusBadge(run: RunProfile): string {
  const o = run.outcome;
  const where = o.nodeId ? ` at #${o.nodeId}${o.nodeType ? ` ${o.nodeType}` : ""}` : "";
  return `<span class="status ${o.status === "success" ? "ok" : "bad"}">${e(o.status + where)}</span>`;
}

/** One run's section, drawn from the run's view (run-view.ts), as the terminal's is. `charts` tells which charts have data; the page embeds them into the containers made here. */
export function renderRunSection(run: RunProfile, index: number, name: string, charts: Record<ChartName, boolean>): string {
  const v = runView(run);
  const out: string[] = [];
  const warm = run.source.warmup ? ' <span class="badge">warm-up: left out of the node-type statistics</span>' : "";
  out.push(`<section class="run" id="run-${index}" data-run="${index}">`);
  out.push(`<h2>${e(name)} · prompt <code>${e(run.promptId)}</code>${warm} ${statusBadge(run)}</h2>`);
  const meta = [run.workflow.name, run.source.cacheState ? `cache state ${run.source.cacheState}` : null, run.label ? `label “${run.label}”` : null, run.source.file];
  if (run.startedAtMs !== null) meta.push(`started ${new Date(run.startedAtMs).toISOString()} (server clock)`);
  out.push(`<p class="meta">${meta.filter((m): m is string => !!m).map(e).join(" · ")}</p>`);
  out.push(outcome(v), summary(run, v));
  if (v.uncertain.length > 0) out.push(`<ul class="uncertain">${v.uncertain.map((l) => `<li>± ${e(l)}</li>`).join("")}</ul>`);
  if (v.rejected) {
    out.push(`<p class="note">The server rejected the prompt, so nothing ran: no timeline, critical path or memory profile.</p>`);
  } else {
    out.push(`<h3>Timeline</h3>`, chart(charts.gantt, "gantt", index, "No node ran in this run (every node was cached or not run): nothing to draw."));
    out.push(`<p class="caption">One row per node (expanded children under their parent), from execution start. Solid bars are the node's own segments on the executor; a pale bar behind them is its span in flight (an async node awaiting, a lazy node waiting for an input, an expanding node's children). Outlined bars are on the critical path.${run.dataQuality.stalls.length + run.dataQuality.disconnections.length > 0 ? " Yellow bands are server stalls or WebSocket outages: node starts and ends inside them are uncertain." : ""}</p>`);
    out.push(`<h3>Node times</h3>`, chart(charts.durations, "durations", index, "No node took time in this run."));
    out.push(`<p class="caption">Reported node time (docs/metrics.md “Nodes”), slowest first, then its slack: how much longer it could take without lengthening the critical path. Cached and not-run nodes are left out.</p>`);
    out.push(criticalPath(v), nodesTable(v), ...(v.subgraphs.length ? [`<h3>Subgraphs</h3><ul class="subgraphs">${v.subgraphs.map((x) => `<li>${e(x)}</li>`).join("")}</ul>`] : []), memory(v, charts.memory, index), `<h3>Model loading</h3><ul class="model-loads">${v.modelLoads.map((x) => `<li>${e(x)}</li>`).join("")}</ul>`, ...(v.steps.length ? [`<h3>Steps</h3><ul class="node-phases">${v.steps.map((x) => `<li>${e(x)}</li>`).join("")}</ul>`] : []), bottlenecks(v), recommendations(v));
  }
  out.push(quality(v), environment(run, v), `</section>`);
  return out.join("\n");
}

function chart(present: boolean, kind: ChartName, index: number, absent: string): string {
  if (!present) return `<p class="note">${e(absent)}</p>`;
  return `<div class="chart" data-chart="${kind}" data-run="${index}"><p class="nojs">This chart needs JavaScript; the tables below hold the same numbers.</p></div>`;
}

function outcome(v: RunView): string {
  const out: string[] = [];
  if (v.outcome.message) out.push(`<pre class="error">${e(v.outcome.message)}</pre>`);
  if (v.outcome.validationErrors) out.push(viewTable(v.outcome.validationErrors, "Validation errors"));
  if (v.outcome.traceback) out.push(`<details><summary>Traceback</summary><pre>${e(v.outcome.traceback)}</pre></details>`);
  return out.join("\n");
}

function summary(run: RunProfile, v: RunView): string {
  const cp = run.criticalPath;
  const submit = v.timeline[0]!;
  // A rejected prompt never ran: its zero node time and critical path would read as measurements.
  if (v.rejected) return summaryList([["Outcome", statusBadge(run)], [submit[0], e(submit[1])], ["Nodes", e(v.counts)]]);
  return summaryList([
    ["Outcome", statusBadge(run)],
    ...v.timeline.map(([k, x]): [string, string] => [k, e(x)]),
    ["Nodes", e(v.counts)],
    ...(v.cache ? [["Cache", e(v.cache)] as [string, string]] : []),
    ...(v.nodeTimes ? [["Node time", e(v.nodeTimes)] as [string, string]] : []),
    ["Critical path", e(v.criticalPath.lengthText)],
    ["Parallelizability", cp.band ? `<span class="band band-${e(cp.band)}">${e(cp.band)}</span> ${e(v.parallelizable ?? NONE)}` : e(NONE)],
  ]);
}

/** Label / value pairs; values are HTML. */
function summaryList(items: [string, string][]): string {
  return `<dl class="summary">${items.map(([k, x]) => `<div><dt>${e(k)}</dt><dd>${x}</dd></div>`).join("")}</dl>`;
}

function criticalPath(v: RunView): string {
  const cp = v.criticalPath;
  const out = [`<h3>Critical path <span class="dim">${e(cp.lengthText)}</span></h3>`];
  if (cp.nodes.length === 0) return `${out[0]}<p class="note">Nothing ran on the workflow graph.</p>`;
  out.push(`<ol class="path">${cp.nodes.map((x) => `<li>${e(x)}</li>`).join("")}</ol>`, `<p>${e(cp.summary)}</p>`);
  if (cp.overlap) out.push(`<p class="note">${e(cp.overlap)}</p>`);
  if (cp.whatIfs.length > 0) out.push(`<h4>What if</h4><ul>${cp.whatIfs.map((w) => `<li>${e(w)}</li>`).join("")}</ul>`);
  return out.join("\n");
}

function viewTable(t: ViewTable, caption?: string): string {
  return htmlTable(
    t.columns.map((c) => (c.align === "right" ? { html: c.header, num: true } : c.header)),
    t.rows.map((row) => row.map((cell, i) => (t.columns[i]!.align === "right" ? num(e(cell)) : e(cell)))),
    caption,
  );
}

function nodesTable(v: RunView): string {
  const out = [`<h3>Nodes</h3>`, viewTable(v.nodes)];
  for (const x of v.expansions) out.push(`<p class="dim">${e(x)}</p>`);
  if (v.nodeNotes.length) out.push(`<p class="dim">${e(v.nodeNotes.join("; "))}</p>`);
  return out.join("\n");
}

function memory(v: RunView, hasChart: boolean, index: number): string {
  const out = [`<h3>Memory</h3>`, `<p class="caption">${e(v.memory.caption)}. Shaded bands are the nodes in flight; each point is ± half its round trip (the horizontal bars).</p>`];
  out.push(chart(hasChart, "memory", index, "Not enough memory samples to draw a timeline."));
  out.push(`<ul class="memory">${v.memory.lines.map((x) => `<li>${e(x)}</li>`).join("")}</ul>`);
  return out.join("\n");
}

function bottlenecks(v: RunView): string {
  if (v.bottlenecks.length === 0) return `<h3>Bottlenecks</h3><p class="note">None: no node took 2× the mean node time or half the critical path, and none failed.</p>`;
  return `<h3>Bottlenecks</h3><ul class="bottlenecks">${v.bottlenecks.map((b) => `<li>${e(b)}</li>`).join("")}</ul>`;
}

function recommendations(v: RunView): string {
  if (v.recommendations.length === 0) return `<h3>Recommendations</h3><p class="note">No rule fired for this run.</p>`;
  const item = (r: RunView["recommendations"][number]) => `<li>${e(r.message)}${r.evidence ? `<br><span class="dim">evidence: ${e(r.evidence)}</span>` : ""}</li>`;
  return `<h3>Recommendations</h3><ul class="recs">${v.recommendations.map(item).join("")}</ul>`;
}

function quality(v: RunView): string {
  const q = v.quality;
  const out = [`<h3>Data quality</h3>`, `<p>${q.facts.map(e).join(" · ")}</p>`];
  if (v.clockOffset) out.push(`<p class="dim">${e(v.clockOffset)}</p>`);
  if (q.windows.length > 0) out.push(`<ul>${q.windows.map((w) => `<li>${e(w)}</li>`).join("")}</ul>`);
  if (q.diagnostics.length > 0) out.push(`<ul class="diagnostics">${q.diagnostics.map((d) => `<li>${e(d)}</li>`).join("")}</ul>`);
  else out.push(`<p class="dim">No diagnostics for this run.</p>`);
  return out.join("\n");
}

function environment(run: RunProfile, v: RunView): string {
  const env = v.environment;
  if (!env) return `<h3>Environment</h3><p class="note">The log has no system stats: environment unknown.</p>`;
  const argv = env.argv ? `<p class="dim">launched with <code>${e(env.argv)}</code></p>` : "";
  return `<h3>Environment</h3><p>${e(env.facts)} · fingerprint ${e(env.fingerprint)} · workflow fingerprint ${e(run.workflow.fingerprint)}</p>${argv}`;
}
