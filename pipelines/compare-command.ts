// `comfyprof compare` and `comfyprof trend`: statistics across recordings,
// with an exit code for CI.

import type { Argv, CommandModule } from "yargs";
import { compareAnalyses, DEFAULT_SETTINGS, isRegression } from "../src/analysis/compare.js";
import { buildTrend } from "../src/analysis/trend.js";
import type { Comparison, ComparisonSettings, Trend } from "../src/model/comparison.js";
import { renderComparison, renderTrend } from "../reports/compare.js";
import type { Analysis } from "../src/model/profile.js";
import { analyzeFiles } from "./analyze.js";
import { describeInputFailure, InputError, UsageError } from "./cli-errors.js";
import { planOutputs, STDIO, type PlannedOutput } from "./output-paths.js";
import { toStdout, writeOutput } from "./output-files.js";
import { stdoutWantsColor } from "./stdout-color.js";
import { displayName } from "./read-log.js";
import { exitCodeEpilog, EXIT } from "./exit-codes.js";
import { ProgressLine, totalBytes } from "./progress.js";
import { renderCompareHtml, renderTrendHtml } from "../reports/stats-html.js";
import type { ApiWorkflow } from "../src/model/events.js";
import * as say from "./messages.js";
import { compareFromParquet, trendFromParquet } from "./parquet-stats-command.js";
import * as sayParquet from "./parquet/messages.js";

/** Exit code when the candidate (or the latest recording) is slower beyond noise. */
export const REGRESSION_EXIT_CODE = EXIT.regression;

interface StatArgs {
  noise: number;
  confidence: number;
  resamples: number;
  seed: number;
  "min-runs": number;
  json?: string;
  html?: string;
  format: "text" | "json";
}

function statOptions<T>(y: Argv<T>) {
  return y
    .option("noise", { type: "number", default: DEFAULT_SETTINGS.noiseThreshold * 100, describe: "Noise threshold, ±%: a change whose whole interval stays within it is noise" })
    .option("confidence", { type: "number", default: DEFAULT_SETTINGS.confidenceLevel * 100, describe: "Confidence level of the intervals, %" })
    .option("resamples", { type: "number", default: DEFAULT_SETTINGS.resamples, describe: "Bootstrap resamples" })
    .option("seed", { type: "number", default: DEFAULT_SETTINGS.seed, describe: "Bootstrap seed (same seed, same intervals)" })
    .option("min-runs", { type: "number", default: DEFAULT_SETTINGS.minSamples, describe: "Fewer measured runs than this on a side: insufficient data" })
    .option("json", { type: "string", describe: "Also write the result as JSON to this file; alone: beside the first log; -: stdout" })
    .option("html", { type: "string", describe: "Also write a self-contained HTML page (charts; opens offline) to this file; alone: beside the first log" })
    .option("format", { choices: ["text", "json"] as const, default: "text" as const, describe: "What goes to stdout" });
}

function settings(a: StatArgs): ComparisonSettings {
  if (!(a.noise >= 0)) throw new UsageError(`--noise must be ≥ 0 (percent), got ${a.noise}`);
  if (!(a.confidence > 0 && a.confidence < 100)) throw new UsageError(`--confidence must be between 0 and 100 (percent), got ${a.confidence}`);
  if (!Number.isInteger(a.resamples) || a.resamples < 100) throw new UsageError(`--resamples must be a whole number ≥ 100, got ${a.resamples}`);
  if (!Number.isInteger(a["min-runs"]) || a["min-runs"] < 2) throw new UsageError(`--min-runs must be a whole number ≥ 2, got ${a["min-runs"]}`);
  return { ...DEFAULT_SETTINGS, noiseThreshold: a.noise / 100, confidenceLevel: a.confidence / 100, resamples: a.resamples, seed: a.seed, minSamples: a["min-runs"] };
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

/** Reads every log; every one refused or unreadable is named, and then nothing is compared. */
async function analyzeEach(groups: readonly (readonly string[])[], workflows?: Map<string, ApiWorkflow>): Promise<Analysis[]> {
  const failures: string[] = [];
  const onLogRefused = ({ path, error }: { path: string; error: unknown }) => void failures.push(describeInputFailure(displayName(path), error));
  const analyses: Analysis[] = [];
  // On a terminal, a progress line once reading takes more than a second (pipelines/progress.ts).
  const progress = new ProgressLine(totalBytes(groups.flat()));
  try {
    for (const paths of groups) analyses.push(await analyzeFiles(paths, { onLogRefused, workflows, onBytesRead: progress.bytesRead }));
  } finally {
    progress.done();
  }
  const total = groups.reduce((n, g) => n + g.length, 0);
  if (failures.length > 0) throw new InputError(say.logsNotRead(failures, total));
  return analyses;
}

async function emit(result: unknown, text: string, a: StatArgs, out: { json?: PlannedOutput; html?: PlannedOutput }, html: () => string): Promise<void> {
  const body = `${JSON.stringify(result, null, 2)}\n`;
  if (out.json && out.json.path !== STDIO) await writeOutput(out.json, body);
  if (out.html) await writeOutput(out.html, html());
  await toStdout([a.format === "json" || out.json?.path === STDIO ? body : text]);
}

interface ParquetArgs {
  parquet?: string;
}

/** Over recordings, or (--parquet) over an export: never both. */
function parquetOr(a: ParquetArgs & StatArgs, recordings: readonly string[], flags: string): string | null {
  if (a.parquet === undefined) return null;
  if (recordings.length > 0) throw new UsageError(`--parquet reads an export instead of recordings: drop ${flags}, or --parquet`);
  for (const [flag, value] of [["--json", a.json], ["--html", a.html]] as const) if (value === "") throw new UsageError(sayParquet.outputNeedsName(flag));
  return a.parquet;
}

export function compareCommand(
  setExitCode: (code: number) => void,
): CommandModule<object, StatArgs & ParquetArgs & { baseline?: string[]; candidate?: string[]; "baseline-label"?: string; "candidate-label"?: string; nodes: boolean }> {
  return {
    command: "compare",
    describe: "Compare a candidate's recordings with a baseline's: regressions with confidence intervals",
    builder: (y) =>
      statOptions(y)
        .usage(
          "$0 compare --baseline before*.ndjson --candidate after*.ndjson [options]\n\n" +
            "Groups measured runs by workflow and cache state (never mixed; warm-ups and failed runs left out),\n" +
            "compares median execution (and node) times with a bootstrap interval of their ratio, and calls a\n" +
            "change only when the whole interval clears the noise threshold. Environment differences are named.",
        )
        .option("baseline", { alias: "b", type: "string", array: true, describe: "Recordings of the baseline" })
        .option("candidate", { alias: "c", type: "string", array: true, describe: "Recordings of the candidate" })
        .option("parquet", { type: "string", describe: "Instead of recordings: a Parquet export (comfyprof export), sides chosen by --baseline-label and --candidate-label" })
        .option("baseline-label", { type: "string", describe: "With --parquet: the baseline is the runs recorded with this --label" })
        .option("candidate-label", { type: "string", describe: "With --parquet: the candidate is the runs recorded with this --label" })
        .option("nodes", { type: "boolean", default: false, describe: "List every node's comparison, not only the changed ones" })
        .epilog(`- reads a side from stdin (-b - -c after.ndjson).\n\n${exitCodeEpilog("compare")}`),
    handler: async (a) => {
      const s = settings(a);
      const dir = parquetOr(a, [...(a.baseline ?? []), ...(a.candidate ?? [])], "--baseline/--candidate");
      let result: Comparison;
      let outputs: ReturnType<typeof plannedOutputs>;
      if (dir !== null) {
        if (a["baseline-label"] === undefined || a["candidate-label"] === undefined) throw new UsageError("--parquet compares two labels: give --baseline-label and --candidate-label");
        outputs = plannedOutputs(a, [], "comparison");
        result = await compareFromParquet(dir, a["baseline-label"], a["candidate-label"], s);
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
    },
  };
}

export function trendCommand(setExitCode: (code: number) => void): CommandModule<object, StatArgs & ParquetArgs & { logs?: string[] }> {
  return {
    command: "trend [logs..]",
    describe: "Execution time across recordings over time, each compared with the one before",
    builder: (y) =>
      statOptions(y)
        .usage("$0 trend recordings/*.ndjson [options]\n\nOne point per recording (its --label, else its file name), ordered by when it was recorded.")
        .positional("logs", { type: "string", array: true, describe: "Recordings (.ndjson, .ndjson.gz)" })
        .option("parquet", { type: "string", describe: "Instead of recordings: a Parquet export (comfyprof export), one point per recording in it" })
        .epilog(`- reads a recording from stdin. ${REGRESSION_EXIT_CODE}: the latest recording of a workflow is slower than the one before.\n\n${exitCodeEpilog("trend")}`),
    handler: async (a) => {
      const s = settings(a);
      const logs = a.logs ?? [];
      const dir = parquetOr(a, logs, "the recordings");
      if (dir === null && logs.length === 0) throw new UsageError("name the recordings to trend (comfyprof trend a.ndjson b.ndjson …), or --parquet DIR");
      const outputs = plannedOutputs(a, logs, "trend");
      let result: Trend;
      if (dir !== null) result = await trendFromParquet(dir, s);
      else {
        const analyses = await analyzeEach(logs.map((path) => [path]));
        const inputs = analyses.map((analysis, i) => ({ name: analysis.inputs[0]?.label ?? displayName(logs[i]!), analysis }));
        result = buildTrend(inputs, s);
      }
      await emit(result, renderTrend(result, { color: stdoutWantsColor() }), a, outputs, () => renderTrendHtml(result));
      if (!result.series.some((x) => x.points.length >= 2)) setExitCode(EXIT.nothingCompared);
      else if (result.series.some((x) => x.points.at(-1)?.change?.verdict === "slower")) setExitCode(REGRESSION_EXIT_CODE);
    },
  };
}
