// The terminal report: by default the basic one (summary, slowest nodes, node
// types), with `detail` the advanced one (timeline, critical path,
// bottlenecks, memory, devices, recommendations, data quality) for every run.
// Everything that came from a log is escaped before it is printed.

import type { Analysis, RunProfile } from "../src/model/profile.js";
import { formatMs, formatPercent } from "./format.js";
import { renderTable } from "./table.js";
import { renderRunDetail } from "./terminal-detail.js";
import { esc, makeStyle, type Style } from "./style.js";
import { uncertaintyLines } from "./uncertainty.js";
import { runView, type RunView } from "./run-view.js";

export interface TerminalOptions {
  detail: boolean;
  /** ANSI bold/colour; off for NO_COLOR, pipes and files. */
  color: boolean;
  /** Slowest nodes listed per run. */
  top?: number;
}

/** Runs per log up to which every run gets its own section without --detail. */
const RUN_SECTIONS_UP_TO = 3;

export function renderTerminalReport(analysis: Analysis, options: TerminalOptions): string {
  const report = new TerminalReport(options);
  for (const run of analysis.runs) report.addRun(run);
  return report.finish(analysis);
}

/** What the report keeps of a run it does not show in full: its row in the log's runs table. */
type RunRow = string[];

interface LogPart {
  rows: RunRow[];
  /** Rendered sections: every run's with --detail, else only the first few (shown if the log has no more). */
  sections: { text: string[]; warmup: boolean }[];
  warmups: number;
  measured: number;
  /** "run 4: …" for every run with uncertain times, shown under the runs table when its section is not. */
  uncertain: string[];
}

/**
 * The terminal report, built run by run as profiles stream past (analyze
 * holds no profiles for it): a run is kept as its table row and, where it will
 * be shown, its rendered section. Memory: a row per run, plus sections.
 */
export class TerminalReport {
  private readonly st: Style;
  private readonly logs = new Map<string, LogPart>();
  private runCount = 0;

  constructor(private readonly options: TerminalOptions) {
    this.st = makeStyle(options.color);
  }

  addRun(run: RunProfile): void {
    this.runCount++;
    const part = this.logs.get(run.source.file) ?? { rows: [], sections: [], warmups: 0, measured: 0, uncertain: [] };
    this.logs.set(run.source.file, part);
    const name = run.source.warmup ? `warm-up ${++part.warmups}` : `run ${++part.measured}`;
    part.rows.push(runRow(run, name, this.st));
    for (const line of uncertaintyLines(run)) part.uncertain.push(`${name}: ${line}`);
    if (!this.options.detail && part.rows.length > RUN_SECTIONS_UP_TO) {
      part.sections = [];
      return;
    }
    const view = runView(run);
    const text = renderRunSummary(run, view, name + (run.source.warmup ? "" : OF_MEASURED), this.st, this.options.top ?? 5);
    if (this.options.detail && !view.rejected) text.push(...renderRunDetail(view, this.st));
    part.sections.push({ text, warmup: run.source.warmup });
  }

  /** Forgets the runs of a log that was refused after they were added. */
  dropLog(file: string): void {
    this.runCount -= this.logs.get(file)?.rows.length ?? 0;
    this.logs.delete(file);
  }

  /** The report, once every run was added; `rest` gives the inputs, node types and diagnostics. */
  finish(rest: Omit<Analysis, "runs">): string {
    const { st } = this;
    const out: string[] = [st.heading(`comfyprof — ${rest.inputs.length} log(s), ${this.runCount} run(s)`)];
    for (const input of rest.inputs) {
      const part = this.logs.get(input.file) ?? { rows: [], sections: [], warmups: 0, measured: 0, uncertain: [] };
      out.push("", st.heading(`▸ ${esc(input.file)}`) + (input.label ? `  “${esc(input.label)}”` : ""));
      if (input.endReason === null && input.source === "probe") out.push(`  ${st.bad("the probe's log has no end line: its server is still running, or stopped without a clean exit")}`);
      else if (input.endReason === null) out.push(`  ${st.bad("the recording has no end record: it was cut; the last run may be incomplete")}`);
      else if (input.endReason !== "done") out.push(`  recording ended: ${esc(input.endReason)}`);
      if (part.rows.length === 0) out.push("  no runs in this log");
      if (part.rows.length > 1) out.push(...renderTable(RUN_COLUMNS, part.rows));
      const ofMeasured = part.measured < 2 ? "" : ` of ${part.measured}`;
      for (const section of part.sections) out.push("", ...section.text.map((line) => line.replace(OF_MEASURED, ofMeasured)));
      if (part.sections.length === 0 && part.rows.length > 0) {
        for (const line of part.uncertain) out.push(`  ${st.bad("±")} ${esc(line)}`);
        out.push(st.dim(`  (${part.rows.length} runs: add --detail for each run's nodes, critical path and memory)`));
      }
    }
    if (rest.nodeTypes.length > 0) {
      out.push("", st.heading("Node types") + st.dim(" (executed nodes of measured runs; warm-ups and cached nodes left out)"));
      out.push(
        ...renderTable(
          [{ header: "type" }, { header: "count", align: "right" }, { header: "total", align: "right" }, { header: "mean", align: "right" },
            { header: "median", align: "right" }, { header: "p95", align: "right" }, { header: "max", align: "right" }, { header: "share", align: "right" }],
          rest.nodeTypes.map((t) => [esc(t.classType), String(t.count), formatMs(t.totalMs), formatMs(t.meanMs), formatMs(t.medianMs), formatMs(t.p95Ms), formatMs(t.maxMs), formatPercent(t.shareOfTotal)]),
        ),
      );
    }
    const problems = rest.diagnostics.filter((d) => d.severity !== "info");
    if (problems.length > 0) {
      out.push("", st.heading("Input warnings"));
      for (const d of problems) out.push(`  ${d.severity === "error" ? st.bad("error") : "warning"}: ${d.file ? `${esc(d.file)}: ` : ""}${esc(d.message)}`);
    }
    return `${out.join("\n")}\n`;
  }
}

/** Stands for " of N" in a section's heading until N (the log's measured runs) is known. */
const OF_MEASURED = "\u0000of-measured\u0000";

const RUN_COLUMNS = [
  { header: "run" }, { header: "status" }, { header: "cache state" }, { header: "queue", align: "right" as const }, { header: "execution", align: "right" as const },
  { header: "executed", align: "right" as const }, { header: "cached", align: "right" as const }, { header: "critical path", align: "right" as const },
];

function runRow(r: RunProfile, name: string, st: Style): RunRow {
  return [
    name,
    statusText(r, st),
    esc(r.source.cacheState ?? "–"),
    formatMs(r.timing.queueWaitMs),
    formatMs(r.timing.executionMs),
    String(r.counts.executed),
    String(r.counts.cached),
    formatMs(r.criticalPath.lengthMs),
  ];
}

export function statusText(r: RunProfile, st: Style): string {
  const { text, ok } = runView(r).status;
  return ok ? st.good(text) : st.bad(esc(text));
}

function renderRunSummary(r: RunProfile, v: RunView, name: string, st: Style, top: number): string[] {
  const out: string[] = [];
  const head = [name, `prompt ${esc(r.promptId)}`];
  if (r.workflow.name) head.push(esc(r.workflow.name));
  if (r.source.cacheState) head.push(esc(r.source.cacheState));
  out.push(`  ${st.heading(head.join(" · "))}  ${v.status.ok ? st.good(v.status.text) : st.bad(esc(v.status.text))}`);
  if (v.outcome.message) out.push(`    ${esc(v.outcome.message)}`);
  const invalid = v.outcome.validationErrors;
  if (invalid) out.push(...renderTable(invalid.columns, invalid.rows.map((row) => row.map(esc)), "      "));
  if (v.rejected) return out;
  out.push(`    ${v.headline}`);
  out.push(`    Nodes ${v.counts}`);
  if (v.cache) out.push(`    Cache: ${v.cache}`);
  for (const line of v.uncertain) out.push(`    ${st.bad("±")} ${esc(line)}`);
  if (v.nodeTimes) out.push(`    Node time: ${v.nodeTimes}`);
  if (v.parallelizable) out.push(`    Parallelizable: ${v.parallelizable}`);
  const slowest = v.slowest(top);
  if (slowest.rows.length > 0) {
    out.push(`    ${st.heading("Slowest nodes")}`);
    out.push(...renderTable(slowest.columns, slowest.rows.map((row) => row.map(esc)), "      "));
  }
  return out;
}
