// The compare and trend pages: one self-contained offline file each (inlined
// vega, CSP by hash, data escaped, as the analyze report). Tables read without
// JavaScript; the charts (stats-specs.ts) need it. Only pipelines/ writes them.

import type { Comparison, GroupComparison, MetricComparison, Trend, TrendSeries } from "../src/model/comparison.js";
import { pValueText, ratioText, settingsText, signedChange } from "./comparison-text.js";
import { formatMs } from "./format.js";
import { e, htmlTable } from "./html-sections.js";
import { CHARTS_SCRIPT, readBrowserBuild, renderPage } from "./html-page.js";
import { contributionsChart, distributionsChart, ratiosChart, trendChart } from "./stats-specs.js";
import type { Spec as VegaSpec } from "vega";

const num = (html: string) => ({ html, num: true });

function page(title: string, body: string[], charts: Record<string, VegaSpec>): string {
  return renderPage({
    title: e(title),
    body: body.join("\n"),
    data: { charts },
    libraries: [readBrowserBuild("vega", "vega.min.js"), readBrowserBuild("vega-embed", "vega-embed.min.js")],
    script: CHARTS_SCRIPT,
  });
}

const chart = (key: string) => `<div class="chart" data-key="${e(key)}"><p class="nojs">This chart needs JavaScript; the table holds the same numbers.</p></div>`;

export function renderCompareHtml(c: Comparison, title = "comfyprof compare"): string {
  const charts: Record<string, VegaSpec> = {};
  const body = [`<header><h1>${e(title)}</h1><p class="dim">${e(settingsText(c.settings, " (the grey band)") + ".")}</p></header>`];
  c.groups.forEach((g, i) => {
    charts[`ratios-${i}`] = ratiosChart(g, c.settings.noiseThreshold);
    charts[`distributions-${i}`] = distributionsChart(g);
    body.push(groupSection(g, i));
  });
  if (c.groups.length === 0) body.push(`<p class="note">Nothing to compare: no workflow, or variant of one, was recorded in the same cache state on both sides.</p>`);
  const left = [
    ...c.unmatched.map((u) => `only in ${u.side}: ${u.workflowName ?? "workflow"} (${u.workflowFingerprint.slice(0, 8)}) · ${u.cacheState ?? "?"}, ${u.runs} run(s)`),
    ...c.excludedRuns.map((x) => `left out (${x.side}): prompt ${x.promptId}: ${x.reason}`),
  ];
  if (left.length) body.push(`<h2>Not compared</h2><ul>${left.map((l) => `<li>${e(l)}</li>`).join("")}</ul>`);
  return page(title, body, charts);
}

function groupSection(g: GroupComparison, i: number): string {
  const variant = g.variant ? ` → variant ${g.variant.candidateName ?? "workflow"} (${g.variant.candidateFingerprint.slice(0, 8)})` : "";
  const out = [`<section class="group"><h2>${e(`${g.workflowName ?? "workflow"} (${g.workflowFingerprint.slice(0, 8)})${variant} · ${g.cacheState ?? "unknown cache state"}`)}</h2>`];
  out.push(`<p>Execution: <strong>${e(g.execution.verdict)}</strong>${g.execution.ratio ? e(` — ${ratioText(g.execution.ratio)}`) : ""}</p>`);
  for (const x of g.environmentChanges) out.push(`<p class="note">${e(`environment changed: ${x.field}: ${x.baseline ?? "–"} → ${x.candidate ?? "–"}`)}</p>`);
  if (g.variant) {
    const items = g.variant.differences.map((d) =>
      d.change === "inputs" ? `#${d.nodeId} ${d.classType}: ${d.inputs.map((x) => `${x.name} ${x.baseline ?? "–"} → ${x.candidate ?? "–"}`).join("; ")}` : `#${d.nodeId} ${d.classType}: ${d.change}`,
    );
    out.push(`<h3>What differs between the variants</h3><ul class="differences">${items.map((x) => `<li>${e(x)}</li>`).join("")}</ul>`);
  }
  out.push(`<h3>Change per metric</h3>`, chart(`ratios-${i}`), `<h3>Every run, both sides</h3>`, chart(`distributions-${i}`));
  out.push(metricTable([g.execution, ...g.nodes]), `</section>`);
  return out.join("\n");
}

function metricTable(metrics: MetricComparison[]): string {
  const rows = metrics.map((m) => [
    e(m.metric), num(e(formatMs(m.baseline.medianMs))), num(e(m.baseline.n)), num(e(formatMs(m.candidate.medianMs))), num(e(m.candidate.n)),
    num(e(ratioText(m.ratio))),
    num(e(pValueText(m))),
    e(m.verdict + (m.leftOutUncertain ? ` (${m.leftOutUncertain} uncertain left out)` : "")),
  ]);
  const n = (h: string) => ({ html: h, num: true });
  return htmlTable(["metric", n("baseline median"), n("n"), n("candidate median"), n("n"), n("change [interval]"), n("rank test p"), "verdict"], rows);
}

export function renderTrendHtml(t: Trend, title = "comfyprof trend"): string {
  const charts: Record<string, VegaSpec> = {};
  const body = [`<header><h1>${e(title)}</h1><p class="dim">${e(settingsText(t.settings, " (the grey band)") + ".")} Change points: binary segmentation on the medians (docs/metrics.md “Change points”).</p></header>`];
  t.series.forEach((s, i) => {
    charts[`trend-${i}`] = trendChart(s);
    charts[`contributions-${i}`] = contributionsChart(s);
    body.push(seriesSection(s, i));
  });
  if (t.series.length === 0) body.push(`<p class="note">No measured successful runs in these recordings.</p>`);
  return page(title, body, charts);
}

function seriesSection(s: TrendSeries, i: number): string {
  const out = [`<section class="series"><h2>${e(`${s.workflowName ?? "workflow"} (${s.workflowFingerprint.slice(0, 8)}) · ${s.cacheState ?? "unknown cache state"}`)}</h2>`];
  out.push(`<h3>Median execution time per recording</h3>`, chart(`trend-${i}`));
  const changes = s.changePoints.map((c) => {
    const why = c.environmentChanges.length ? `; with it: ${c.environmentChanges.map((x) => `${x.field} ${x.baseline ?? "–"} → ${x.candidate ?? "–"}`).join(", ")}` : "";
    return `change point at ${s.points[c.index]!.name}: median ${formatMs(c.beforeMedianMs)} → ${formatMs(c.afterMedianMs)} (${signedChange(c.ratio)})${why}`;
  });
  if (changes.length) out.push(`<ul class="change-points">${changes.map((x) => `<li>${e(x)}</li>`).join("")}</ul>`);
  out.push(`<h3>Where the time goes, per node type</h3>`, chart(`contributions-${i}`));
  const rows = s.points.map((p) => [
    e(p.name), e(p.startedAtMs === null ? "–" : new Date(p.startedAtMs).toISOString().slice(0, 19).replace("T", " ")), num(e(p.execution.n)),
    num(e(formatMs(p.execution.medianMs))), num(e(p.medianMs ? `${formatMs(p.medianMs.lower)} – ${formatMs(p.medianMs.upper)}` : "–")),
    num(e(p.change?.ratio ? signedChange(p.change.ratio.point) : "")), e(p.change?.verdict ?? ""),
    e(p.environmentChanges.map((x) => `${x.field}: ${x.baseline ?? "–"} → ${x.candidate ?? "–"}`).join("; ")),
  ]);
  const n = (h: string) => ({ html: h, num: true });
  out.push(htmlTable(["recording", "started (UTC)", n("n"), n("median"), n("interval"), n("vs previous"), "verdict", "environment changed"], rows), `</section>`);
  return out.join("\n");
}
