// `comfyprof compare` and `comfyprof trend`: statistics across recordings,
// with an exit code for CI.

import { compareAnalyses, isRegression, type RunSet } from "../src/analysis/compare.js";
import { ComparableRunSummarizer } from "../src/analysis/comparable-run.js";
import type { ComparableRun } from "../src/model/comparable-run.js";
import { DEFAULT_SETTINGS } from "../src/model/comparison.js";
import { buildTrend } from "../src/analysis/trend.js";
import type { Comparison, ComparisonSettings, Trend } from "../src/model/comparison.js";
import { renderComparison, renderTrend } from "../reports/compare.js";
import { foldFilesStreaming, type LogRefusal } from "./analyze.js";
import { describeInputFailure, InputError, UsageError } from "./cli-errors.js";
import { planOutputs, STDIO, type PlannedOutput } from "./output-paths.js";
import { toStdout, writeOutput } from "./output-files.js";
import { stdoutWantsColor } from "./stdout-color.js";
import { displayName } from "./read-log.js";
import { EXIT } from "./exit-codes.js";
import { ProgressLine, totalBytes } from "./progress.js";
import { renderCompareHtml, renderTrendHtml } from "../reports/stats-html.js";
import type { ApiWorkflow } from "../src/model/events.js";
import { REGRESSION_EXIT_CODE, type CompareArgs, type ParquetArgs, type StatArgs, type TrendArgs } from "./compare-command.js";
import * as say from "./messages.js";
import * as sayParquet from "./parquet/messages.js";

function settings(a: StatArgs): ComparisonSettings {
  if (!(a.noise >= 0)) throw new UsageError(`--noise must be ≥ 0 (percent), got ${a.noise}`);
  if (!(a.confidence > 0 && a.confidence < 100)) throw new UsageError(`--confidence must be between 0 and 100 (percent), got ${a.confidence}`);
  if (!Number.isInteger(a.resamples) || a.resamples < 100) throw new UsageError(`--resamples must be a whole number ≥ 100, got ${a.resamples}`);
  if (!(a.precision >= 0 && a.precision < 100)) throw new UsageError(`--precision must be a percentage ≥ 0 and below 100, got ${a.precision}`);
  if (!Number.isInteger(a["min-runs"]) || a["min-runs"] < 2) throw new UsageError(`--min-runs must be a whole number ≥ 2, got ${a["min-runs"]}`);
  return { ...DEFAULT_SETTINGS, noiseThreshold: a.noise / 100, confidenceLevel: a.confidence / 100, resamples: a.resamples, precision: a.precision / 100, seed: a.seed, minSamples: a["min-runs"] };
}

/** The --json and --html outputs, checked against every input (and each other) before any work. */
function plannedOutputs(a: StatArgs, inputs: readonly string[], suffix: string): { json?: PlannedOutput; html?: PlannedOutput } {
  if (inputs.filter((p) => p === STDIO).length > 1) throw new UsageError(say.stdinTwice());
  const planned = planOutputs(
    [
      { flag: "--json", value: a.json, what: "JSON result", suffix: `.${suffix}.json` },
      { flag: "--html", value: a.html, what: "HTML page", suffix: `.${suffix}.html` },
    ],
    inputs,
    { refuseLogNames: true },
  );
  return { json: planned.find((o) => o.flag === "--json"), html: planned.find((o) => o.flag === "--html") };
}

/** One side of a comparison, or one recording of a trend: its runs as summaries (never the profiles), and its label. */
interface RecordingRuns extends RunSet {
  label: string | null;
}

/** Reads every log; every one refused or unreadable is named, and then nothing is compared. */
async function analyzeEach(groups: readonly (readonly string[])[], workflows?: Map<string, ApiWorkflow>): Promise<RecordingRuns[]> {
  const failures: string[] = [];
  const sides: RecordingRuns[] = [];
  const summarizer = new ComparableRunSummarizer();
  // On a terminal, a progress line once reading takes more than a second (pipelines/progress.ts).
  const progress = new ProgressLine(totalBytes(groups.flat()));
  try {
    for (const paths of groups) {
      const runs: ComparableRun[] = [];
      const onLogRefused = ({ path, error, runsHandedOut }: LogRefusal) => {
        runs.length -= runsHandedOut;
        failures.push(describeInputFailure(displayName(path), error));
      };
      // Folded, not analysed: a run's summary needs none of the analysis (critical path, advice…).
      const read = await foldFilesStreaming(paths, { onLogRefused, workflows, onBytesRead: progress.bytesRead }, {
        onTimeline: (timeline) => {
          progress.runFolded();
          runs.push(summarizer.summarize(timeline));
        },
      });
      sides.push({ runs, label: read.inputs[0]?.label ?? null });
    }
  } finally {
    progress.done();
  }
  const total = groups.reduce((n, g) => n + g.length, 0);
  if (failures.length > 0) throw new InputError(say.logsNotRead(failures, total));
  return sides;
}

async function emit(result: unknown, text: string, a: StatArgs, out: { json?: PlannedOutput; html?: PlannedOutput }, html: () => string): Promise<void> {
  const body = `${JSON.stringify(result, null, 2)}\n`;
  if (out.json && out.json.path !== STDIO) await writeOutput(out.json, body);
  if (out.html) await writeOutput(out.html, html());
  await toStdout([a.format === "json" || out.json?.path === STDIO ? body : text]);
}

/** Over recordings, or (--parquet) over an export: never both. */
function parquetOr(a: ParquetArgs & StatArgs, recordings: readonly string[], flags: string): string | null {
  if (a.parquet === undefined) return null;
  if (recordings.length > 0) throw new UsageError(`--parquet reads an export instead of recordings: drop ${flags}, or --parquet`);
  for (const [flag, value] of [["--json", a.json], ["--html", a.html]] as const) if (value === "") throw new UsageError(sayParquet.outputNeedsName(flag));
  return a.parquet;
}

export async function runCompare(a: CompareArgs, setExitCode: (code: number) => void): Promise<void> {
  const s = settings(a);
  const dir = parquetOr(a, [...(a.baseline ?? []), ...(a.candidate ?? [])], "--baseline/--candidate");
  let result: Comparison;
  let outputs: ReturnType<typeof plannedOutputs>;
  if (dir !== null) {
    if (a["baseline-label"] === undefined || a["candidate-label"] === undefined) throw new UsageError("--parquet compares two labels: give --baseline-label and --candidate-label");
    outputs = plannedOutputs(a, [], "comparison");
    // DuckDB is loaded only here (pipelines/parquet/duckdb.ts).
    result = await (await import("./parquet-stats-command.js")).compareFromParquet(dir, a["baseline-label"], a["candidate-label"], s);
  } else {
    if (!a.baseline?.length || !a.candidate?.length) throw new UsageError("give the baseline's and the candidate's recordings (--baseline … --candidate …), or --parquet DIR with labels");
    outputs = plannedOutputs(a, [...a.baseline, ...a.candidate], "comparison");
    const workflows = new Map<string, ApiWorkflow>();
    const [baseline, candidate] = await analyzeEach([a.baseline, a.candidate], workflows);
    result = compareAnalyses(baseline!, candidate!, s, workflows);
  }
  await emit(result, renderComparison(result, { color: stdoutWantsColor(), nodes: a.nodes }), a, outputs, () => renderCompareHtml(result));
  if (result.groups.length === 0) setExitCode(EXIT.nothingCompared);
  else if (result.groups.some((g) => isRegression(g.execution))) setExitCode(REGRESSION_EXIT_CODE);
}

export async function runTrend(a: TrendArgs, setExitCode: (code: number) => void): Promise<void> {
  const s = settings(a);
  const logs = a.logs ?? [];
  const dir = parquetOr(a, logs, "the recordings");
  if (dir === null && logs.length === 0) throw new UsageError("name the recordings to trend (comfyprof trend a.ndjson b.ndjson …), or --parquet DIR");
  const outputs = plannedOutputs(a, logs, "trend");
  let result: Trend;
  if (dir !== null) result = await (await import("./parquet-stats-command.js")).trendFromParquet(dir, s);
  else {
    const recordings = await analyzeEach(logs.map((path) => [path]));
    const inputs = recordings.map((recording, i) => ({ name: recording.label ?? displayName(logs[i]!), analysis: recording }));
    result = buildTrend(inputs, s);
  }
  await emit(result, renderTrend(result, { color: stdoutWantsColor() }), a, outputs, () => renderTrendHtml(result));
  if (!result.series.some((x) => x.points.length >= 2)) setExitCode(EXIT.nothingCompared);
  else if (result.series.some((x) => x.points.at(-1)?.change?.verdict === "slower")) setExitCode(REGRESSION_EXIT_CODE);
}
