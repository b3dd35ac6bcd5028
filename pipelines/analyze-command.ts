// `comfyprof analyze`: its options. The work is in analyze-handler.ts, imported when the command runs
// (start-up loads no command's code: docs/performance.md "Start-up").

import type { CommandModule } from "yargs";
import { ALL_RUNS_IN_DETAIL_UP_TO } from "../src/analysis/run-selection.js";
import { exitCodeEpilog } from "./exit-codes.js";
import { ANALYZE_DEFAULTS } from "../src/model/option-defaults.js";

export interface AnalyzeArgs {
  logs: string[];
  json?: string;
  html?: string;
  trace?: string;
  format: "text" | "json";
  detail: boolean;
  lenient: boolean;
  top: number;
  run?: string[];
  "what-if-factor": number;
}

export function analyzeCommand(): CommandModule<object, AnalyzeArgs> {
  return {
    command: "analyze <logs..>",
    describe: "Turn event logs into profiles: per-node timing, critical path, memory, bottlenecks",
    builder: (y) =>
      y
        .usage(
          "$0 analyze run.ndjson [more.ndjson.gz …] [options]\n\n" +
            "Reads logs written by `comfyprof record` (plain or gzip; - for stdin), one profile per prompt.\n" +
            "Prints the basic report (summary, slowest nodes, node types); --detail adds each run's\n" +
            "timeline, critical path, slack, bottlenecks, memory, devices and recommendations.",
        )
        .positional("logs", { type: "string", array: true, demandOption: true, describe: "Event logs (.ndjson, .ndjson.gz, - for stdin)" })
        .option("json", { type: "string", describe: "Also write the full profiles as JSON (schemas/profile.v1.schema.json) to this file; alone: <first log>.profile.json; -: stdout" })
        .option("html", { type: "string", describe: "Also write a self-contained HTML report (charts; opens offline) to this file; alone: <first log>.html; -: stdout" })
        .option("trace", { type: "string", describe: "Also write a Chrome/Perfetto trace (ui.perfetto.dev) to this file; alone: <first log>.trace.json; -: stdout" })
        .option("run", {
          type: "string",
          array: true,
          describe: "With --html: also show this run in detail (repeatable): N = the N-th measured run, counted from 1 over the logs in order, or a prompt id",
        })
        .option("format", { choices: ["text", "json"] as const, default: "text" as const, describe: "What goes to stdout: the terminal report or the JSON" })
        .option("detail", { alias: "d", type: "boolean", default: false, describe: "The advanced report for every run" })
        .option("lenient", { type: "boolean", default: false, describe: "Skip corrupt lines with a warning instead of refusing the log" })
        .option("top", { type: "number", default: ANALYZE_DEFAULTS.top, describe: "Slowest nodes listed per run" })
        .option("what-if-factor", { type: "number", default: ANALYZE_DEFAULTS.whatIfFactor, describe: "What-if: critical path if a node were this many times faster" })
        .example("$0 analyze samples/recordings/*/run.ndjson", "the bundled real recordings")
        .example("$0 analyze run.ndjson --json profile.json && jq '.runs[0].criticalPath' profile.json", "the critical path as JSON")
        .example("$0 analyze run.ndjson --html report.html --trace trace.json", "charts in a browser; a timeline in Perfetto")
        .example("$0 analyze run*.ndjson --html", "the HTML report beside the first log: run1.html")
        .example("$0 analyze long.ndjson --html --run 12 --run 4b1f…", "a long log: the overview, and runs 12 and prompt 4b1f… in detail")
        .epilog(
          "Outputs: --json, --html and --trace given without a file name write beside the first log (run.ndjson →\n" +
            "run.profile.json, run.html, run.trace.json). A log right after one of them is read as a log, not as the\n" +
            "output's name (--html a.ndjson b.ndjson analyzes both and writes a.html). An output is never written\n" +
            "over an input or another output, nor to a name ending in .ndjson or .ndjson.gz: refused before any work.\n" +
            "An output named - goes to stdout instead of the report. Each file written is named on stderr.\n" +
            // One line each: yargs wraps them to the terminal's width.
            `HTML for many runs: up to ${ALL_RUNS_IN_DETAIL_UP_TO} runs, each has its section. Beyond, the page opens with an overview (run-time histograms, node-type box plots, the slowest and failed runs) and shows in detail the slowest, the median and the fastest measured run, the first failed ones and those named with --run; it says why each is shown.\n` +
            "On a terminal, a progress line (MB read, runs) shows on stderr once the work takes more than a second.\n" +
            "A log that is refused (the message names the line) is left out; the others are still reported.\n" +
            "Diagnostics about the data (cut recordings, stalls, reconnects) are printed with the report and kept in the JSON.\n\n" +
            exitCodeEpilog("analyze"),
        ),
    handler: async (args) => (await import("./analyze-handler.js")).runAnalyze(args),
  };
}
