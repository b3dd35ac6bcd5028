// The advanced part of a run's terminal report (--detail), drawn from the run's view (run-view.ts).

import type { RunView } from "./run-view.js";
import { renderTable } from "./table.js";
import { esc, type Style } from "./style.js";

export function renderRunDetail(v: RunView, st: Style): string[] {
  return [...timeline(v, st), ...criticalPath(v, st), ...nodes(v, st), ...list(st, "Subgraphs", v.subgraphs), ...list(st, "Bottlenecks", v.bottlenecks), ...memory(v, st), ...list(st, "Model loading", v.modelLoads), ...list(st, "Steps", v.steps), ...list(st, "Recommendations", v.recommendations.map((x) => x.message)), ...environment(v, st), ...quality(v, st)];
}

function timeline(v: RunView, st: Style): string[] {
  const width = Math.max(...v.timeline.map(([k]) => k.length));
  // "Nodes busy" and "No node running" are parts of the execution time: indented under it.
  const out = [`    ${st.heading("Timeline")}`, ...v.timeline.map(([k, x]) => (k === "Nodes busy" || k === "No node running" ? `        ${k.toLowerCase().padEnd(width - 2)} ${x}` : `      ${k.padEnd(width)} ${x}`))];
  if (v.clockOffset) out.push(st.dim(`      ${v.clockOffset}`));
  return out;
}

function criticalPath(v: RunView, st: Style): string[] {
  const cp = v.criticalPath;
  const out = [`    ${st.heading("Critical path")} ${cp.lengthText}: ${cp.nodes.length ? cp.nodes.map(esc).join(" → ") : "nothing ran"}`, `      ${cp.summary}`];
  if (cp.overlap) out.push(`      ${cp.overlap}`);
  for (const w of cp.whatIfs) out.push(`      ${esc(w)}`);
  return out;
}

function nodes(v: RunView, st: Style): string[] {
  const out = [`    ${st.heading("Nodes")}`, ...renderTable(v.nodes.columns, v.nodes.rows.map((r) => r.map(esc)), "      ")];
  for (const x of v.expansions) out.push(st.dim(`      ${esc(x)}`));
  if (v.nodeNotes.length) out.push(st.dim(`      ${v.nodeNotes.join("; ")}`));
  return out;
}

function list(st: Style, heading: string, items: string[]): string[] {
  return items.length === 0 ? [] : [`    ${st.heading(heading)}`, ...items.map((x) => `      • ${esc(x)}`)];
}

function memory(v: RunView, st: Style): string[] {
  return [`    ${st.heading("Memory")} ${st.dim(`(${v.memory.caption})`)}`, ...v.memory.lines.map((x) => `      ${esc(x)}`)];
}

function environment(v: RunView, st: Style): string[] {
  const e = v.environment;
  if (!e) return [];
  const out = [`    ${st.heading("Environment")} ${esc(e.facts)} ${st.dim(`(fingerprint ${e.fingerprint})`)}`];
  if (e.argv) out.push(st.dim(`      launched with: ${esc(e.argv)}`));
  return out;
}

function quality(v: RunView, st: Style): string[] {
  const q = v.quality;
  return [`    ${st.heading("Data quality")} ${st.dim(q.facts.join(" · "))}`, ...q.windows.map((w) => `      ${w}`), ...q.diagnostics.map((d) => `      ${esc(d)}`)];
}
