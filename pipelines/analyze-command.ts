// `comfyprof analyze`: logs → profiles → terminal report, JSON, HTML, trace.

import { basename } from "node:path";
import type { CommandModule } from "yargs";
import { renderJsonReport } from "../reports/json.js";
import { renderChromeTrace } from "../reports/chrome-trace.js";
import { TerminalReport } from "../reports/terminal.js";
import type { RunProfile } from "../src/model/profile.js";
import type { RunRequest } from "../src/model/run-overview.js";
import { ALL_RUNS_IN_DETAIL_UP_TO } from "../src/analysis/run-selection.js";
import { analyzeFilesStreaming, withRuns, type AnalyzeFilesOptions } from "./analyze.js";
import { ManyRunsCollector, renderRunsHtml, type ManyRuns } from "./html-runs.js";
import { ProgressLine, totalBytes } from "./progress.js";
import { analyzeToJson } from "./json-report.js";
import type { AnalysisRest, LogRefusal } from "./analyze.js";
import { escapeTerminal } from "../src/text/escape.js";
import { describeInputFailure, InputError, UsageError } from "./cli-errors.js";
import { planOutputs, STDIO, type PlannedOutput } from "./output-paths.js";
import { toStdout, writeOutput } from "./output-files.js";
import { stdoutWantsColor } from "./stdout-color.js";
import { displayName } from "./read-log.js";
import { exitCodeEpilog } from "./exit-codes.js";
import { ANALYZE_DEFAULTS } from "../src/model/option-defaults.js";
import * as say from "./messages.js";

interface AnalyzeArgs {
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
    handler: async (args) => {
      if (!(args["what-if-factor"] > 0)) throw new UsageError(`--what-if-factor must be a positive number, got ${args["what-if-factor"]}`);
      if (!Number.isInteger(args.top) || args.top < 0) throw new UsageError(`--top must be a whole number ≥ 0, got ${args.top}`);
      const paths = args.logs;
      if (paths.filter((p) => p === STDIO).length > 1) throw new UsageError(say.stdinTwice());
      const requests = runRequests(args.run ?? [], args.html !== undefined);
      const outputs = planOutputs(
        [
          { flag: "--json", value: args.json, what: "JSON profiles", suffix: ".profile.json" },
          { flag: "--html", value: args.html, what: "HTML report", suffix: ".html" },
          { flag: "--trace", value: args.trace, what: "Chrome/Perfetto trace", suffix: ".trace.json" },
        ],
        paths,
        { refuseLogNames: true },
      );
      const find = (flag: string) => outputs.find((o) => o.flag === flag);
      const toStdoutAlready = outputs.find((o) => o.path === STDIO);
      const jsonOutputs = jsonTargets(find("--json"), args.format, toStdoutAlready);
      const text = args.format === "text" && toStdoutAlready === undefined;
      const terminal = new TerminalReport({ detail: args.detail, color: stdoutWantsColor(), top: args.top });
      const html = find("--html");
      const trace = find("--trace");
      // The HTML report keeps a summary per run and the profiles of the runs it may show in detail (pipelines/html-runs.ts).
      const collector = html ? new ManyRunsCollector(requests) : null;
      const progress = new ProgressLine(totalBytes(paths));
      const failures: string[] = [];
      const onRun = (run: RunProfile) => {
        progress.runFolded();
        if (text) terminal.addRun(run);
        collector?.add(run);
      };
      const options: AnalyzeFilesOptions = {
        lenient: args.lenient,
        whatIfFactor: args["what-if-factor"],
        onBytesRead: progress.bytesRead,
        onLogRead: () => collector?.logRead(),
        onLogRefused: ({ path, error, runsHandedOut }) => {
          collector?.dropLast(runsHandedOut);
          terminal.dropLog(displayName(path));
          failures.push(describeInputFailure(displayName(path), error));
        },
      };
      const noneRead = () => {
        progress.done();
        if (failures.length === paths.length) throw new InputError(say.logsNotRead(failures, paths.length));
      };
      const writeHtml = async (rest: AnalysisRest) => {
        if (html) await writeOutput(html, await renderHtml(collector!.finish(rest), paths));
      };
      try {
        if (trace) {
          // The trace draws every run: it holds the whole analysis.
          const runs: RunProfile[] = [];
          const onLogRefused = (refusal: LogRefusal) => {
            runs.length -= refusal.runsHandedOut;
            options.onLogRefused!(refusal);
          };
          const rest = await analyzeFilesStreaming(paths, { ...options, onLogRefused }, (run) => {
            runs.push(run);
            onRun(run);
          });
          noneRead();
          const analysis = withRuns(rest, runs);
          for (const out of jsonOutputs) await writeOutput(out, renderJsonReport(analysis));
          await writeOutput(trace, renderChromeTrace(analysis));
          await writeHtml(rest);
          if (text) await toStdout([terminal.finish(rest)]);
        } else if (jsonOutputs.length > 0) {
          // Memory bounded whatever the logs' size: the runs are held as rendered text, not profiles (docs/performance.md).
          const report = await analyzeToJson(paths, options, undefined, onRun);
          try {
            noneRead();
            for (const out of jsonOutputs) await writeOutput(out, report.pieces());
            await writeHtml(report.rest);
            if (text) await toStdout([terminal.finish(report.rest)]);
          } finally {
            report.dispose();
          }
        } else {
          const rest = await analyzeFilesStreaming(paths, options, onRun);
          noneRead();
          await writeHtml(rest);
          if (text) await toStdout([terminal.finish(rest)]);
        }
      } finally {
        progress.done();
      }
      if (failures.length > 0) throw new InputError(say.logsNotRead(failures, paths.length));
    },
  };
}

/** Where the JSON goes: the --json file, and stdout for --format json (unless another output already has stdout). */
function jsonTargets(json: PlannedOutput | undefined, format: "text" | "json", onStdout: PlannedOutput | undefined): PlannedOutput[] {
  const targets = json ? [json] : [];
  if (format !== "json" || onStdout?.flag === "--json") return targets;
  if (onStdout) throw new UsageError(say.twoToStdout("--format json", onStdout.flag));
  return [...targets, { flag: "--format json", path: STDIO, what: "JSON profiles", derivedFrom: null }];
}

/** `--run` values: a whole number ≥ 1 is the N-th measured run, anything else a prompt id. */
function runRequests(values: readonly string[], withHtml: boolean): RunRequest[] {
  if (values.length > 0 && !withHtml) throw new UsageError(say.runNeedsHtml());
  return values.map((text) => {
    if (/^\d+$/.test(text)) {
      const measuredNo = Number(text);
      if (measuredNo < 1 || !Number.isSafeInteger(measuredNo)) throw new UsageError(say.badRunRequest(text));
      return { text, measuredNo };
    }
    if (text.trim() === "") throw new UsageError(say.badRunRequest(text));
    return { text, promptId: text };
  });
}

/** The many-runs report, after naming on stderr the --run values that matched nothing. */
async function renderHtml(many: ManyRuns, paths: string[]): Promise<string> {
  for (const request of many.selection.unmatched) process.stderr.write(`comfyprof: ${escapeTerminal(say.runNotFound(request))}\n`);
  return renderRunsHtml(many, { title: `comfyprof — ${paths.map((p) => basename(displayName(p))).join(", ")}` });
}
