// `analyze --html` for logs of any size: runs stream past as profiles, and the
// HTML report keeps of each a summary row and its node-type durations, and the
// full profile only of the candidates for a detail section (run-selection.ts).
// Memory: ~200 bytes per run, 8 per executed node, plus at most PRUNE_AT
// profiles (docs/performance.md).

import type { RunProfile } from "../src/model/profile.js";
import type { DetailSelection, HistogramBin, NodeTypeBox, RunRequest, RunSummary } from "../src/model/run-overview.js";
import { ALL_RUNS_IN_DETAIL_UP_TO, runsWorthKeeping, selectDetailRuns, summarizeRun, timedMedian } from "../src/analysis/run-selection.js";
import { nodeTypeBoxes, runTimeHistogram } from "../src/analysis/run-overview.js";
import { nodeTypeRows } from "../src/analysis/index.js";
import { withRuns, type AnalysisRest } from "./analyze.js";
import type { HtmlOptions } from "../reports/html.js";

/**
 * Profiles held before the candidates are pruned again. A prune keeps about
 * 2 × (2 + 16 + 10) plus the requested ones; pruning only past this many
 * means a sort of the run times per ~100 runs, not per run.
 */
export const PRUNE_AT = 160;

/** What the many-runs page is drawn from. */
export interface ManyRuns {
  rest: AnalysisRest;
  summaries: RunSummary[];
  selection: DetailSelection;
  /** The profiles of the runs in `selection`, by run index. */
  details: Map<number, RunProfile>;
  histogram: HistogramBin[];
  boxes: NodeTypeBox[];
}

export class ManyRunsCollector {
  private readonly summaries: RunSummary[] = [];
  private readonly kept = new Map<number, RunProfile>();
  /** Node durations by type, of the logs read to their end… */
  private readonly durations = new Map<string, number[]>();
  /** …and of the log being read, merged when it ends (dropped if it is refused). */
  private pending = new Map<string, number[]>();
  /** Index of the first run of the log being read. */
  private logStart = 0;
  private warmupsInLog = 0;
  private measuredInLog = 0;
  private measured = 0;

  constructor(private readonly requests: readonly RunRequest[]) {}

  /** Profiles held now (at most PRUNE_AT + 1 once past ALL_RUNS_IN_DETAIL_UP_TO runs). */
  get profilesHeld(): number {
    return this.kept.size;
  }

  add(run: RunProfile): void {
    const index = this.summaries.length;
    const ordinal = run.source.warmup ? ++this.warmupsInLog : ++this.measuredInLog;
    this.summaries.push(summarizeRun(run, index, ordinal, run.source.warmup ? null : ++this.measured));
    for (const row of nodeTypeRows(run)) {
      let list = this.pending.get(row.classType);
      if (!list) this.pending.set(row.classType, (list = []));
      list.push(row.durationMs);
    }
    this.kept.set(index, run);
    if (this.kept.size > PRUNE_AT && this.summaries.length > ALL_RUNS_IN_DETAIL_UP_TO) this.prune();
  }

  /** The log being read ended and is kept. */
  logRead(): void {
    for (const [type, values] of this.pending) {
      const list = this.durations.get(type);
      if (list) for (const v of values) list.push(v);
      else this.durations.set(type, values);
    }
    this.startLog();
  }

  /** The log being read was refused: its runs (the last `count`) are taken back. */
  dropLast(count: number): void {
    this.summaries.length -= count;
    for (const index of this.kept.keys()) if (index >= this.summaries.length) this.kept.delete(index);
    this.measured = this.summaries.filter((s) => !s.warmup).length;
    this.startLog();
  }

  finish(rest: AnalysisRest): ManyRuns {
    this.logRead();
    const selection = selectDetailRuns(this.summaries, new Set(this.kept.keys()), this.requests);
    const details = new Map(selection.picks.map((p) => [p.index, this.kept.get(p.index)!]));
    this.kept.clear();
    return { rest, summaries: this.summaries, selection, details, histogram: runTimeHistogram(this.summaries), boxes: nodeTypeBoxes(this.durations) };
  }

  private startLog(): void {
    this.pending = new Map();
    this.logStart = this.summaries.length;
    this.warmupsInLog = 0;
    this.measuredInLog = 0;
  }

  private prune(): void {
    const median = timedMedian(this.summaries)?.medianMs ?? null;
    const n = this.summaries.length;
    let failedBefore = 0;
    for (let i = 0; i < this.logStart; i++) if (this.summaries[i]!.status !== "success") failedBefore++;
    // Earlier logs of no more than ALL_RUNS_IN_DETAIL_UP_TO runs keep them all: if this log is refused, every one gets its section.
    const keep =
      this.logStart <= ALL_RUNS_IN_DETAIL_UP_TO
        ? new Set(Array.from({ length: this.logStart }, (_, i) => i))
        : runsWorthKeeping(this.summaries, 0, this.logStart, this.requests, median, 0);
    for (const i of runsWorthKeeping(this.summaries, this.logStart, n, this.requests, median, failedBefore)) keep.add(i);
    for (const index of this.kept.keys()) if (!keep.has(index)) this.kept.delete(index);
  }
}

/**
 * The HTML page: for a small log the per-run page with every run, for a long
 * one the overview and the selection (reports/html-many.ts). vega-lite is
 * loaded only here, when an HTML report is asked for (~0.5 s).
 */
export async function renderRunsHtml(many: ManyRuns, options: HtmlOptions): Promise<string> {
  if (many.summaries.length <= ALL_RUNS_IN_DETAIL_UP_TO) {
    const { renderHtmlReport } = await import("../reports/html.js");
    return renderHtmlReport(withRuns(many.rest, many.selection.picks.map((p) => many.details.get(p.index)!)), options);
  }
  const { renderManyRunsReport } = await import("../reports/html-many.js");
  return renderManyRunsReport(many, options);
}
