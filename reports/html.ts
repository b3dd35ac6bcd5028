// The HTML report: one self-contained file (clinic's way) that opens offline.
// Tables and numbers are rendered here as HTML and read without JavaScript;
// the charts are Vega specs compiled in Node (reports/html-specs.ts) and drawn
// in the page by the inlined vega + vega-embed builds, one run at a time.
// Only pipelines/ writes the file.

import type { Analysis, RunProfile } from "../src/model/profile.js";
import { formatMs, formatPercent } from "./format.js";
import { runNames } from "./run-names.js";
import { chartData } from "./html-data.js";
import { compileChartSpecs, type ChartName } from "./html-specs.js";
import { e, htmlTable, renderRunSection, statusBadge } from "./html-sections.js";
import { readBrowserBuild, renderPage } from "./html-page.js";

export interface HtmlOptions {
  /** The page title; "comfyprof report" and the logs' names by default. */
  title?: string;
}

export function renderHtmlReport(analysis: Analysis, options: HtmlOptions = {}): string {
  const runs = analysis.runs;
  const names = displayNames(analysis);
  const data = runs.map(chartData);
  const title = options.title ?? `comfyprof report — ${analysis.inputs.map((i) => i.file).join(", ") || "no logs"}`;
  const firstMeasured = runs.findIndex((r) => !r.source.warmup);
  const body = [
    `<header><h1>${e(title)}</h1>`,
    `<p class="dim">comfyprof · profile schema ${e(analysis.schemaVersion)} · ${analysis.inputs.length} log(s), ${runs.length} run(s). Times in ms unless marked; “–” means not measured (never 0). Definitions: docs/metrics.md.</p></header>`,
    inputs(analysis),
    runs.length > 1 ? runsOverview(runs, names) : "",
    runs.length > 0 ? runPicker(runs, names) : `<p class="note">No runs in these logs.</p>`,
    ...runs.map((run, i) => renderRunSection(run, i, names.get(run)!, present(data[i]!))),
    nodeTypes(analysis),
    inputDiagnostics(analysis),
  ].join("\n");
  return renderPage({
    title: e(title),
    body,
    data: { specs: compileChartSpecs(), runs: data, initialRun: Math.max(firstMeasured, 0) },
    libraries: [readBrowserBuild("vega", "vega.min.js"), readBrowserBuild("vega-embed", "vega-embed.min.js")],
  });
}

export const present = (d: Record<ChartName, unknown>): Record<ChartName, boolean> => ({ gantt: d.gantt !== null, durations: d.durations !== null, memory: d.memory !== null });

/** "run 3 of 10", "warm-up 1"; prefixed with the log's name when there are several logs. */
function displayNames(analysis: Analysis): Map<RunProfile, string> {
  const out = new Map<RunProfile, string>();
  for (const input of analysis.inputs) {
    const runs = analysis.runs.filter((r) => r.source.file === input.file);
    const measured = runs.filter((r) => !r.source.warmup).length;
    for (const [run, name] of runNames(runs)) {
      const full = name + (run.source.warmup || measured < 2 ? "" : ` of ${measured}`);
      out.set(run, analysis.inputs.length > 1 ? `${input.file} · ${full}` : full);
    }
  }
  return out;
}

/** The table of logs read. */
export function inputs(analysis: Pick<Analysis, "inputs">): string {
  const rows = analysis.inputs.map((i) => [
    e(i.file), e(i.label), { html: e(i.lines), num: true },
    i.endReason !== null ? e(i.endReason)
      : i.source === "probe" ? `<span class="status bad">no end line: the server still runs, or stopped without a clean exit</span>`
      : `<span class="status bad">no end record: the recording was cut</span>`,
    e(i.recorderVersion), e(i.formatVersion),
  ]);
  return htmlTable(["log", "label", { html: "lines", num: true }, "recording ended", "recorder", "format"], rows, "Logs");
}

function runsOverview(runs: RunProfile[], names: Map<RunProfile, string>): string {
  const rows = runs.map((r, i) => [
    `<a href="#run-${i}">${e(names.get(r))}</a>${r.source.warmup ? ' <span class="badge">warm-up</span>' : ""}`,
    statusBadge(r), e(r.source.cacheState ?? "–"),
    { html: e(formatMs(r.timing.queueWaitMs)), num: true }, { html: e(formatMs(r.timing.executionMs)), num: true },
    { html: e(r.counts.executed), num: true }, { html: e(r.counts.cached), num: true },
    { html: e(formatMs(r.criticalPath.lengthMs)), num: true },
    e(r.criticalPath.band ? `${r.criticalPath.band} (${formatPercent(r.criticalPath.parallelizability)})` : "–"),
  ]);
  const headers = ["run", "status", "cache state", { html: "queue wait", num: true }, { html: "execution", num: true }, { html: "executed", num: true }, { html: "cached", num: true }, { html: "critical path", num: true }, "parallelizable"];
  return htmlTable(headers, rows, "Runs");
}

function runPicker(runs: RunProfile[], names: Map<RunProfile, string>): string {
  const options = runs.map((r, i) => `<option value="${i}">${e(`${names.get(r)} · ${r.outcome.status}${r.timing.executionMs !== null ? ` · ${formatMs(r.timing.executionMs)}` : ""}`)}</option>`);
  return `<div class="run-picker"><label for="run-select">Run shown: </label><select id="run-select">${options.join("")}</select></div>`;
}

/** The node-type statistics table. */
export function nodeTypes(analysis: Pick<Analysis, "nodeTypes">): string {
  const head = `<h2 id="node-types">Node types</h2><p class="caption">Executed nodes of the measured runs (warm-ups and cached nodes left out). Median and p95 interpolated between ranks; standard deviation is the sample one (n − 1).</p>`;
  if (analysis.nodeTypes.length === 0) return `${head}<p class="note">No node executed in a measured run.</p>`;
  const ms = (v: number | null) => ({ html: e(formatMs(v)), num: true });
  const rows = analysis.nodeTypes.map((t) => [
    e(t.classType), { html: e(t.count), num: true }, ms(t.totalMs), ms(t.meanMs), ms(t.medianMs), ms(t.p95Ms), ms(t.minMs), ms(t.maxMs), ms(t.stdevMs),
    { html: e(formatPercent(t.shareOfTotal)), num: true },
  ]);
  const n = (label: string) => ({ html: label, num: true });
  return head + htmlTable(["type", n("count"), n("total"), n("mean"), n("median"), n("p95"), n("min"), n("max"), n("std dev"), n("share")], rows);
}

export function inputDiagnostics(analysis: Pick<Analysis, "diagnostics">): string {
  if (analysis.diagnostics.length === 0) return "";
  const rows = analysis.diagnostics.map((d) => [e(d.severity), `<code>${e(d.code)}</code>`, e(d.file), { html: e(d.line), num: true }, e(d.message)]);
  return `<h2>Input diagnostics</h2>${htmlTable(["severity", "code", "file", { html: "line", num: true }, "message"], rows)}`;
}
