// `comfyprof compare` and `comfyprof trend`: their options. The work is in compare-handler.ts,
// imported when the command runs.

import type { Argv, CommandModule } from "yargs";
import { DEFAULT_SETTINGS } from "../src/model/comparison.js";
import { exitCodeEpilog, EXIT } from "./exit-codes.js";

/** Exit code when the candidate (or the latest recording) is slower beyond noise. */
export const REGRESSION_EXIT_CODE = EXIT.regression;

export interface StatArgs {
  noise: number;
  confidence: number;
  resamples: number;
  precision: number;
  seed: number;
  "min-runs": number;
  json?: string;
  html?: string;
  format: "text" | "json";
}

export interface ParquetArgs {
  parquet?: string;
}
export type CompareArgs = StatArgs & ParquetArgs & { baseline?: string[]; candidate?: string[]; "baseline-label"?: string; "candidate-label"?: string; nodes: boolean };
export type TrendArgs = StatArgs & ParquetArgs & { logs?: string[] };

function statOptions<T>(y: Argv<T>) {
  return y
    .option("noise", { type: "number", default: DEFAULT_SETTINGS.noiseThreshold * 100, describe: "Noise threshold, ±%: a change whose whole interval stays within it is noise" })
    .option("confidence", { type: "number", default: DEFAULT_SETTINGS.confidenceLevel * 100, describe: "Confidence level of the intervals, %" })
    .option("resamples", { type: "number", default: DEFAULT_SETTINGS.resamples, describe: "Bootstrap resamples per interval, at most" })
    .option("precision", { type: "number", default: DEFAULT_SETTINGS.precision * 100, describe: "Resample until both ends of an interval are known within ±this % of it (Monte Carlo error; 0: always --resamples)" })
    .option("seed", { type: "number", default: DEFAULT_SETTINGS.seed, describe: "Bootstrap seed (same seed, same intervals)" })
    .option("min-runs", { type: "number", default: DEFAULT_SETTINGS.minSamples, describe: "Fewer measured runs than this on a side: insufficient data" })
    .option("json", { type: "string", describe: "Also write the result as JSON to this file; alone: beside the first log; -: stdout" })
    .option("html", { type: "string", describe: "Also write a self-contained HTML page (charts; opens offline) to this file; alone: beside the first log" })
    .option("format", { choices: ["text", "json"] as const, default: "text" as const, describe: "What goes to stdout" });
}

export function compareCommand(setExitCode: (code: number) => void): CommandModule<object, CompareArgs> {
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
    handler: async (a) => (await import("./compare-handler.js")).runCompare(a, setExitCode),
  };
}

export function trendCommand(setExitCode: (code: number) => void): CommandModule<object, TrendArgs> {
  return {
    command: "trend [logs..]",
    describe: "Execution time across recordings over time, each compared with the one before",
    builder: (y) =>
      statOptions(y)
        .usage("$0 trend recordings/*.ndjson [options]\n\nOne point per recording (its --label, else its file name), ordered by when it was recorded.")
        .positional("logs", { type: "string", array: true, describe: "Recordings (.ndjson, .ndjson.gz)" })
        .option("parquet", { type: "string", describe: "Instead of recordings: a Parquet export (comfyprof export), one point per recording in it" })
        .epilog(`- reads a recording from stdin. ${REGRESSION_EXIT_CODE}: the latest recording of a workflow is slower than the one before.\n\n${exitCodeEpilog("trend")}`),
    handler: async (a) => (await import("./compare-handler.js")).runTrend(a, setExitCode),
  };
}
