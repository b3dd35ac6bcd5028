// Terminal reports for `compare` and `trend`: every verdict with its interval,
// sample sizes and the method; environment changes named.

import type { Comparison, GroupComparison, MetricComparison, Trend } from "../src/model/comparison.js";
import { pValueText, ratioText, settingsText, signedChange } from "./comparison-text.js";
import { formatMs } from "./format.js";
import { esc, makeStyle, type Style } from "./style.js";
import { renderTable } from "./table.js";

function verdictText(m: MetricComparison, st: Style): string {
  if (m.verdict === "slower") return st.bad("slower");
  if (m.verdict === "faster") return st.good("faster");
  return m.verdict;
}

function variantLines(v: NonNullable<GroupComparison["variant"]>, st: Style): string[] {
  const out = [st.dim(`  variants of one workflow (${(v.similarity * 100).toFixed(0)} % of nodes alike); what differs:`)];
  for (const d of v.differences) {
    if (d.change === "inputs") out.push(`    #${esc(d.nodeId)} ${esc(d.classType)}: ${d.inputs.map((i) => `${esc(i.name)} ${esc(i.baseline ?? "–")} → ${esc(i.candidate ?? "–")}`).join("; ")}`);
    else out.push(`    #${esc(d.nodeId)} ${esc(d.classType)}: ${d.change === "class-changed" ? "class changed (times not compared)" : d.change}`);
  }
  return out;
}

export function renderComparison(c: Comparison, options: { color: boolean; nodes: boolean }): string {
  const st = makeStyle(options.color);
  const out = [st.heading("comfyprof compare — candidate vs baseline (measured runs; warm-ups left out)"), st.dim(settingsText(c.settings))];
  for (const g of c.groups) {
    const variant = g.variant ? ` → variant ${esc(g.variant.candidateName ?? "workflow")} (${g.variant.candidateFingerprint.slice(0, 8)})` : "";
    out.push("", st.heading(`▸ ${esc(g.workflowName ?? "workflow")} (${g.workflowFingerprint.slice(0, 8)})${variant} · ${esc(g.cacheState ?? "unknown cache state")}`));
    if (g.variant) out.push(...variantLines(g.variant, st));
    for (const e of g.environmentChanges) out.push(`  ${st.bad("environment changed")}: ${esc(e.field)}: ${esc(e.baseline ?? "–")} → ${esc(e.candidate ?? "–")}`);
    const rows = [g.execution, ...(options.nodes ? g.nodes : g.nodes.filter((n) => n.verdict === "slower" || n.verdict === "faster"))];
    out.push(
      ...renderTable(
        [{ header: "metric" }, { header: "baseline median", align: "right" }, { header: "n", align: "right" }, { header: "candidate median", align: "right" },
          { header: "n", align: "right" }, { header: "change [interval]", align: "right" }, { header: "rank test p", align: "right" }, { header: "verdict" }],
        rows.map((m) => [esc(m.metric), formatMs(m.baseline.medianMs), String(m.baseline.n), formatMs(m.candidate.medianMs), String(m.candidate.n), ratioText(m.ratio), pValueText(m), verdictText(m, st) + (m.leftOutUncertain ? ` (${m.leftOutUncertain} uncertain left out)` : "")]),
      ),
    );
    const outliers = [g.execution.baseline.outliers, g.execution.candidate.outliers];
    if (outliers.some((n) => n > 0)) out.push(st.dim(`  outliers (kept): ${outliers[0]} in baseline, ${outliers[1]} in candidate`));
  }
  if (c.groups.length === 0) out.push("", "Nothing to compare: no workflow, or variant of one, was recorded in the same cache state on both sides.");
  for (const u of c.unmatched) out.push(st.dim(`  only in ${u.side}: ${esc(u.workflowName ?? "workflow")} (${u.workflowFingerprint.slice(0, 8)}) · ${esc(u.cacheState ?? "?")}, ${u.runs} run(s)`));
  for (const x of c.excludedRuns) out.push(st.dim(`  left out (${x.side}): prompt ${esc(x.promptId)}: ${esc(x.reason)}`));
  return `${out.join("\n")}\n`;
}

export function renderTrend(t: Trend, options: { color: boolean }): string {
  const st = makeStyle(options.color);
  const out = [st.heading("comfyprof trend — median execution time per recording, in time order"), st.dim(settingsText(t.settings))];
  for (const s of t.series) {
    out.push("", st.heading(`▸ ${esc(s.workflowName ?? "workflow")} (${s.workflowFingerprint.slice(0, 8)}) · ${esc(s.cacheState ?? "unknown cache state")}`));
    out.push(
      ...renderTable(
        [{ header: "recording" }, { header: "started (UTC)" }, { header: "n", align: "right" }, { header: "median", align: "right" }, { header: "interval", align: "right" },
          { header: "vs previous", align: "right" }, { header: "verdict" }],
        s.points.map((p) => [
          esc(p.name),
          p.startedAtMs === null ? "–" : new Date(p.startedAtMs).toISOString().slice(0, 19).replace("T", " "),
          String(p.execution.n),
          formatMs(p.execution.medianMs),
          p.medianMs ? `${formatMs(p.medianMs.lower)} – ${formatMs(p.medianMs.upper)}` : "–",
          p.change ? ratioText(p.change.ratio) : "",
          p.change ? verdictText(p.change, st) : "",
        ]),
      ),
    );
    for (const p of s.points) {
      for (const e of p.environmentChanges) out.push(`  ${st.bad("environment changed")} at ${esc(p.name)}: ${esc(e.field)}: ${esc(e.baseline ?? "–")} → ${esc(e.candidate ?? "–")}`);
    }
    for (const c of s.changePoints) {
      const at = s.points[c.index]!;
      const cause = c.environmentChanges.length ? `; with it: ${c.environmentChanges.map((e) => `${esc(e.field)} ${esc(e.baseline ?? "–")} → ${esc(e.candidate ?? "–")}`).join(", ")}` : "";
      out.push(`  ${st.heading("change point")} at ${esc(at.name)}: median ${formatMs(c.beforeMedianMs)} → ${formatMs(c.afterMedianMs)} (${signedChange(c.ratio)})${cause}`);
    }
  }
  if (t.series.length === 0) out.push("", "No measured successful runs in these recordings.");
  return `${out.join("\n")}\n`;
}
