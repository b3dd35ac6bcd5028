// `comfyprof compare` and `comfyprof trend`: statistics across recordings,
// with an exit code for CI.

import { writeFileSync } from "node:fs";
import type { Argv, CommandModule } from "yargs";
import { compareAnalyses, DEFAULT_SETTINGS, isRegression } from "../src/analysis/compare.js";
import { buildTrend } from "../src/analysis/trend.js";
import type { ComparisonSettings } from "../src/model/comparison.js";
import { renderComparison, renderTrend } from "../reports/compare.js";
import { analyzeFiles } from "./analyze.js";
import { readingLogs, UsageError } from "./usage-error.js";
import { checkWritable } from "./output-paths.js";
import { stdoutWantsColor } from "./stdout-color.js";

/** Exit code when the candidate (or the latest recording) is slower beyond noise. */
export const REGRESSION_EXIT_CODE = 4;

interface StatArgs {
  noise: number;
  confidence: number;
  resamples: number;
  seed: number;
  "min-runs": number;
  json?: string;
  format: "text" | "json";
}

function statOptions<T>(y: Argv<T>) {
  return y
    .option("noise", { type: "number", default: DEFAULT_SETTINGS.noiseThreshold * 100, describe: "Noise threshold, ±%: a change whose whole interval stays within it is noise" })
    .option("confidence", { type: "number", default: DEFAULT_SETTINGS.confidenceLevel * 100, describe: "Confidence level of the intervals, %" })
    .option("resamples", { type: "number", default: DEFAULT_SETTINGS.resamples, describe: "Bootstrap resamples" })
    .option("seed", { type: "number", default: DEFAULT_SETTINGS.seed, describe: "Bootstrap seed (same seed, same intervals)" })
    .option("min-runs", { type: "number", default: DEFAULT_SETTINGS.minSamples, describe: "Fewer measured runs than this on a side: insufficient data" })
    .option("json", { type: "string", describe: "Also write the result as JSON to this file" })
    .option("format", { choices: ["text", "json"] as const, default: "text" as const, describe: "What goes to stdout" });
}

function settings(a: StatArgs): ComparisonSettings {
  checkWritable("--json", a.json);
  if (!(a.noise >= 0)) throw new UsageError(`--noise must be ≥ 0 (percent), got ${a.noise}`);
  if (!(a.confidence > 0 && a.confidence < 100)) throw new UsageError(`--confidence must be between 0 and 100 (percent), got ${a.confidence}`);
  if (!Number.isInteger(a.resamples) || a.resamples < 100) throw new UsageError(`--resamples must be a whole number ≥ 100, got ${a.resamples}`);
  if (!Number.isInteger(a["min-runs"]) || a["min-runs"] < 2) throw new UsageError(`--min-runs must be a whole number ≥ 2, got ${a["min-runs"]}`);
  return { ...DEFAULT_SETTINGS, noiseThreshold: a.noise / 100, confidenceLevel: a.confidence / 100, resamples: a.resamples, seed: a.seed, minSamples: a["min-runs"] };
}

const analyze = (paths: string[]) => readingLogs(() => analyzeFiles(paths));

function emit(result: unknown, text: string, a: StatArgs): void {
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (a.json) writeFileSync(a.json, json);
  process.stdout.write(a.format === "json" ? json : text);
}

export function compareCommand(setExitCode: (code: number) => void): CommandModule<object, StatArgs & { baseline: string[]; candidate: string[]; nodes: boolean }> {
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
        .option("baseline", { alias: "b", type: "string", array: true, demandOption: true, describe: "Recordings of the baseline" })
        .option("candidate", { alias: "c", type: "string", array: true, demandOption: true, describe: "Recordings of the candidate" })
        .option("nodes", { type: "boolean", default: false, describe: "List every node's comparison, not only the changed ones" })
        .epilog(`Exit codes: 0 no regression, ${REGRESSION_EXIT_CODE} the candidate's execution time is slower beyond noise, 1 bad usage or input.`),
    handler: async (a) => {
      const s = settings(a);
      const result = compareAnalyses(await analyze(a.baseline), await analyze(a.candidate), s);
      emit(result, renderComparison(result, { color: stdoutWantsColor(), nodes: a.nodes }), a);
      if (result.groups.some((g) => isRegression(g.execution))) setExitCode(REGRESSION_EXIT_CODE);
    },
  };
}

export function trendCommand(setExitCode: (code: number) => void): CommandModule<object, StatArgs & { logs: string[] }> {
  return {
    command: "trend <logs..>",
    describe: "Execution time across recordings over time, each compared with the one before",
    builder: (y) =>
      statOptions(y)
        .usage("$0 trend recordings/*.ndjson [options]\n\nOne point per recording (its --label, else its file name), ordered by when it was recorded.")
        .positional("logs", { type: "string", array: true, demandOption: true, describe: "Recordings (.ndjson, .ndjson.gz)" })
        .epilog(`Exit codes: 0, or ${REGRESSION_EXIT_CODE} when the latest recording of a workflow is slower than the one before beyond noise; 1 bad usage or input.`),
    handler: async (a) => {
      const s = settings(a);
      const inputs = [];
      for (const path of a.logs) {
        const analysis = await analyze([path]);
        inputs.push({ name: analysis.inputs[0]?.label ?? path, analysis });
      }
      const result = buildTrend(inputs, s);
      emit(result, renderTrend(result, { color: stdoutWantsColor() }), a);
      if (result.series.some((x) => x.points.at(-1)?.change?.verdict === "slower")) setExitCode(REGRESSION_EXIT_CODE);
    },
  };
}
