// The HTML report for a log of many runs: an overview first (the distribution
// of run times, a box per node type, the slowest and the failed runs listed),
// then a full section (html-sections.ts, the terminal's run view) only for a
// bounded, named selection of runs, each saying why it is shown. The selection
// and the distributions are computed in src/analysis/; this module formats.

import type { Analysis, RunProfile } from "../src/model/profile.js";
import type { DetailReason, DetailSelection, HistogramBin, NodeTypeBox, RunSummary } from "../src/model/run-overview.js";
import { FAILED_IN_DETAIL_MAX } from "../src/analysis/run-selection.js";
import { HISTOGRAM_BINS } from "../src/analysis/run-overview.js";
import { neutralizeText } from "../src/text/escape.js";
import { formatMs } from "./format.js";
import { chartData } from "./html-data.js";
import { compileChartSpecs } from "./html-specs.js";
import { compileOverviewSpecs } from "./html-overview-specs.js";
import { e, htmlTable, renderRunSection, type Cell } from "./html-sections.js";
import { readBrowserBuild, renderPage } from "./html-page.js";
import { inputDiagnostics, inputs, nodeTypes, present, type HtmlOptions } from "./html.js";

/** Rows of the slowest-runs table. */
const SLOWEST_LISTED = 10;
/** Failed runs listed at most (all are counted). */
const FAILED_LISTED = 100;

export interface ManyRunsInput {
  rest: Omit<Analysis, "runs">;
  summaries: readonly RunSummary[];
  selection: DetailSelection;
  /** The profiles of the selected runs, by run index. */
  details: ReadonlyMap<number, RunProfile>;
  histogram: readonly HistogramBin[];
  boxes: readonly NodeTypeBox[];
}

export function renderManyRunsReport(input: ManyRunsInput, options: HtmlOptions = {}): string {
  const { rest, summaries, selection } = input;
  const name = runNamer(input);
  const title = options.title ?? `comfyprof report — ${rest.inputs.map((i) => i.file).join(", ") || "no logs"}`;
  const measured = summaries.filter((s) => !s.warmup).length;
  const link = (s: RunSummary) => (input.details.has(s.index) ? `<a href="#run-${s.index}">${e(name(s))}</a>` : e(name(s)));
  const runData: Record<number, unknown> = {};
  const sections: string[] = [];
  for (const pick of selection.picks) {
    const run = input.details.get(pick.index)!;
    const data = chartData(run);
    runData[pick.index] = data;
    sections.push(renderRunSection(run, pick.index, `${name(summaries[pick.index]!)} — ${pick.reasons.map(reasonText).join("; ")}`, present(data)));
  }
  const body = [
    `<header><h1>${e(title)}</h1>`,
    `<p class="dim">comfyprof · profile schema ${e(rest.schemaVersion)} · ${rest.inputs.length} log(s), ${e(summaries.length.toLocaleString("en"))} run(s), ${e(measured.toLocaleString("en"))} measured, ${e(selection.failedTotal.toLocaleString("en"))} failed or incomplete. Times in ms unless marked; “–” means not measured (never 0). Definitions: docs/metrics.md.</p></header>`,
    inputs(rest),
    `<h2 id="overview">Overview</h2>`,
    `<h3>Run times</h3>`,
    input.histogram.length > 0 ? overviewChart("histogram") : `<p class="note">No measured run finished with an execution time.</p>`,
    `<p class="caption">Execution time of each measured, successful run (warm-ups, failed and rejected runs left out), per workflow and cache state, on ${e(HISTOGRAM_BINS)} log-spaced bins shared by all rows: one bar counts the runs whose time falls in it.</p>`,
    `<h3>Node types</h3>`,
    input.boxes.length > 0 ? overviewChart("boxes") : `<p class="note">No node executed in a measured run.</p>`,
    `<p class="caption">Per node type (the ${e(input.boxes.length)} with the largest total time), executed nodes of measured runs: the line runs from the fastest to the slowest execution, the box from the first to the third quartile, the dark tick is the median.</p>`,
    detailTable(input, name),
    slowestTable(summaries, link),
    failedTable(summaries, selection, link),
    runPicker(input, name),
    ...sections,
    nodeTypes(rest),
    inputDiagnostics(rest),
  ].join("\n");
  const first = selection.picks.find((p) => !summaries[p.index]!.warmup) ?? selection.picks[0];
  return renderPage({
    title: e(title),
    body,
    data: {
      specs: { ...compileChartSpecs(), ...compileOverviewSpecs() },
      runs: runData,
      overview: { histogram: { datasets: { histogram: histogramRows(input.histogram) }, signals: {} }, boxes: { datasets: { boxes: boxRows(input.boxes) }, signals: {} } },
      initialRun: first?.index ?? 0,
    },
    libraries: [readBrowserBuild("vega", "vega.min.js"), readBrowserBuild("vega-embed", "vega-embed.min.js")],
  });
}

/** "run 12 of 11,000", "warm-up 1"; prefixed with the log's name when there are several logs. */
function runNamer(input: ManyRunsInput): (s: RunSummary) => string {
  const measuredPerLog = new Map<string, number>();
  for (const s of input.summaries) if (!s.warmup) measuredPerLog.set(s.file, (measuredPerLog.get(s.file) ?? 0) + 1);
  const several = input.rest.inputs.length > 1;
  return (s) => {
    const of = measuredPerLog.get(s.file) ?? 0;
    const own = s.warmup ? `warm-up ${s.ordinal}` : `run ${s.ordinal.toLocaleString("en")}${of > 1 ? ` of ${of.toLocaleString("en")}` : ""}`;
    return several ? `${s.file} · ${own}` : own;
  };
}

export function reasonText(r: DetailReason): string {
  switch (r.kind) {
    case "slowest": return `slowest measured run (${formatMs(r.executionMs)})`;
    case "fastest": return `fastest measured run (${formatMs(r.executionMs)})`;
    case "median":
      return r.executionMs === r.medianMs
        ? `median run (${formatMs(r.medianMs)}, the median of ${r.of.toLocaleString("en")} measured successful runs)`
        : `nearest kept to the median: ${formatMs(r.executionMs)}, the median of ${r.of.toLocaleString("en")} measured successful runs being ${formatMs(r.medianMs)}`;
    case "failed": return "failed or incomplete";
    case "requested": return `asked for with --run ${r.request}`;
    case "all": return `every run is shown (${r.of} runs)`;
  }
}

function overviewChart(kind: "histogram" | "boxes"): string {
  return `<div class="chart" data-chart="${kind}" data-overview="1"><p class="nojs">This chart needs JavaScript; the tables below list the runs.</p></div>`;
}

const num = (html: string): Cell => ({ html, num: true });
const ms = (v: number | null) => num(e(formatMs(v)));
const statusCell = (s: RunSummary) => `<span class="status ${s.status === "success" ? "ok" : "bad"}">${e(s.status + (s.failedAt ? ` at ${s.failedAt}` : ""))}</span>`;
const runHeaders = ["run", "prompt", "workflow", "cache state", "status", num("queue wait"), num("execution")];
const runCells = (s: RunSummary, link: (s: RunSummary) => string) => [link(s), `<code>${e(s.promptId)}</code>`, e(s.workflow), e(s.cacheState ?? "–"), statusCell(s), ms(s.queueWaitMs), ms(s.executionMs)];

function detailTable(input: ManyRunsInput, name: (s: RunSummary) => string): string {
  const { selection, summaries } = input;
  const rows = selection.picks.map((p) => {
    const s = summaries[p.index]!;
    return [`<a href="#run-${s.index}">${e(name(s))}</a>`, e(p.reasons.map(reasonText).join("; ")), statusCell(s), ms(s.executionMs)];
  });
  const notes: string[] = [];
  if (selection.failedTotal > selection.failedShown) notes.push(`${selection.failedShown} of the ${selection.failedTotal.toLocaleString("en")} failed or incomplete runs are shown in detail (the first ${FAILED_IN_DETAIL_MAX}); all are listed below.`);
  for (const r of selection.unmatched) notes.push(`--run ${r}: no such run (a number counts the measured runs from 1; anything else is a prompt id).`);
  const head = `<h2 id="detail-runs">Runs shown in detail</h2><p class="caption">Of ${e(summaries.length.toLocaleString("en"))} runs, these have a full section below (timeline, node times, critical path, memory): the slowest, the median and the fastest measured run, failed ones, and any asked for with <code>--run</code>. Pick one in the selector.</p>`;
  return head + notes.map((n) => `<p class="note">${e(n)}</p>`).join("") + htmlTable(["run", "why it is shown", "status", num("execution")], rows);
}

function slowestTable(summaries: readonly RunSummary[], link: (s: RunSummary) => string): string {
  const timed = summaries.filter((s) => !s.warmup && s.executionMs !== null).sort((a, b) => b.executionMs! - a.executionMs! || a.index - b.index).slice(0, SLOWEST_LISTED);
  if (timed.length === 0) return "";
  return `<h2 id="slowest-runs">Slowest runs</h2>${htmlTable(runHeaders, timed.map((s) => runCells(s, link)), `The ${timed.length} measured runs with the longest execution`)}`;
}

function failedTable(summaries: readonly RunSummary[], selection: DetailSelection, link: (s: RunSummary) => string): string {
  const head = `<h2 id="failed-runs">Failed and incomplete runs</h2>`;
  if (selection.failedTotal === 0) return `${head}<p class="note">None: every run finished with success.</p>`;
  const failed = summaries.filter((s) => s.status !== "success").slice(0, FAILED_LISTED);
  const more = selection.failedTotal - failed.length;
  const caption = `${selection.failedTotal.toLocaleString("en")} run(s)${more > 0 ? `; the first ${failed.length} listed` : ""}`;
  return head + htmlTable(runHeaders, failed.map((s) => runCells(s, link)), e(caption));
}

function runPicker(input: ManyRunsInput, name: (s: RunSummary) => string): string {
  const options = input.selection.picks.map((p) => `<option value="${p.index}">${e(`${name(input.summaries[p.index]!)} · ${p.reasons.map((r) => r.kind).join(", ")}`)}</option>`);
  if (options.length === 0) return `<p class="note">No run to show in detail.</p>`;
  return `<div class="run-picker"><label for="run-select">Run shown: </label><select id="run-select">${options.join("")}</select></div>`;
}

function histogramRows(bins: readonly HistogramBin[]): Record<string, string | number>[] {
  const order = new Map<string, number>();
  return bins.map((b) => {
    if (!order.has(b.group)) order.set(b.group, order.size);
    const group = neutralizeText(b.group);
    return { group, groupTitle: `${group} — ${b.runs.toLocaleString("en")} runs`, order: order.get(b.group)!, fromMs: b.fromMs, toMs: b.toMs, count: b.count, rangeText: `${formatMs(b.fromMs)} – ${formatMs(b.toMs)}` };
  });
}

/** The box plot's axis is logarithmic: a 0 ms execution is drawn at this (its tooltip says 0). */
const BOX_AXIS_FLOOR_MS = 0.01;

function boxRows(boxes: readonly NodeTypeBox[]): Record<string, string | number>[] {
  const at = (v: number) => Math.max(v, BOX_AXIS_FLOOR_MS);
  return boxes.map((b, order) => ({
    classType: neutralizeText(b.classType), order, count: b.count, minMs: at(b.minMs), q1Ms: at(b.q1Ms), medianMs: at(b.medianMs), q3Ms: at(b.q3Ms), maxMs: at(b.maxMs),
    minText: formatMs(b.minMs), q1Text: formatMs(b.q1Ms), medianText: formatMs(b.medianMs), q3Text: formatMs(b.q3Ms), maxText: formatMs(b.maxMs),
  }));
}
