// `comfyprof analyze`: logs → profiles → terminal report, JSON.

import { createWriteStream, writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { CommandModule } from "yargs";
import { renderJsonReport } from "../reports/json.js";
import { renderChromeTrace } from "../reports/chrome-trace.js";
import { TerminalReport } from "../reports/terminal.js";
import type { Analysis } from "../src/model/profile.js";
import { analyzeFiles, analyzeFilesStreaming } from "./analyze.js";
import { analyzeToJson } from "./json-report.js";
import { readingLogs, UsageError } from "./usage-error.js";
import { checkWritable } from "./output-paths.js";
import { stdoutWantsColor } from "./stdout-color.js";
import { STDIN_NAME, STDIN_PATH } from "./read-log.js";

interface AnalyzeArgs {
  logs: string[];
  json?: string;
  html?: string;
  trace?: string;
  format: "text" | "json";
  detail: boolean;
  lenient: boolean;
  top: number;
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
        .option("json", { type: "string", describe: "Also write the full profiles as JSON to this file (schemas/profile.v1.schema.json)" })
        .option("html", { type: "string", describe: "Also write a self-contained HTML report (charts; opens offline) to this file" })
        .option("trace", { type: "string", describe: "Also write a Chrome/Perfetto trace (open in ui.perfetto.dev) to this file" })
        .option("format", { choices: ["text", "json"] as const, default: "text" as const, describe: "What goes to stdout: the terminal report or the JSON" })
        .option("detail", { alias: "d", type: "boolean", default: false, describe: "The advanced report for every run" })
        .option("lenient", { type: "boolean", default: false, describe: "Skip corrupt lines with a warning instead of refusing the log" })
        .option("top", { type: "number", default: 5, describe: "Slowest nodes listed per run" })
        .option("what-if-factor", { type: "number", default: 2, describe: "What-if: critical path if a node were this many times faster" })
        .example("$0 analyze samples/recordings/*/run.ndjson", "the bundled real recordings")
        .example("$0 analyze run.ndjson --json profile.json && jq '.runs[0].criticalPath' profile.json", "the critical path as JSON")
        .example("$0 analyze run.ndjson --html report.html --trace trace.json", "charts in a browser; a timeline in Perfetto")
        .epilog("Diagnostics about the data (cut recordings, stalls, reconnects) are printed with the report and kept in the JSON."),
    handler: async (args) => {
      if (!(args["what-if-factor"] > 0)) throw new UsageError(`--what-if-factor must be a positive number, got ${args["what-if-factor"]}`);
      if (!Number.isInteger(args.top) || args.top < 0) throw new UsageError(`--top must be a whole number ≥ 0, got ${args.top}`);
      checkWritable("--json", args.json);
      checkWritable("--html", args.html);
      checkWritable("--trace", args.trace);
      const paths = args.logs.map((p) => (p === STDIN_NAME ? STDIN_PATH : p));
      const options = { lenient: args.lenient, whatIfFactor: args["what-if-factor"] };
      const terminal = new TerminalReport({ detail: args.detail, color: stdoutWantsColor(), top: args.top });
      if (args.html || args.trace) {
        // The HTML and trace reports draw every run: they hold the whole analysis.
        const analysis = await readingLogs(() => analyzeFiles(paths, options));
        if (args.json) writeFileSync(args.json, renderJsonReport(analysis));
        if (args.trace) writeFileSync(args.trace, renderChromeTrace(analysis));
        if (args.html) await writeHtml(args.html, analysis, paths);
        if (args.format === "json") await toStdout(renderJsonReport(analysis));
        else {
          for (const run of analysis.runs) terminal.addRun(run);
          await toStdout(terminal.finish(analysis));
        }
        return;
      }
      if (args.format === "json" || args.json) {
        // Memory bounded whatever the logs' size: the runs are held as rendered text, not profiles (docs/performance.md).
        const text = args.format === "text";
        const report = await readingLogs(() => analyzeToJson(paths, options, undefined, text ? (run) => terminal.addRun(run) : undefined));
        try {
          if (args.json) await report.writeTo(createWriteStream(args.json), true);
          if (text) await toStdout(terminal.finish(report.rest));
          else await report.writeTo(process.stdout, false);
        } catch (err) {
          // The reader went away (`… | head`): nothing left to say to it.
          if ((err as NodeJS.ErrnoException).code !== "EPIPE") throw err;
        } finally {
          report.dispose();
        }
        return;
      }
      const rest = await readingLogs(() => analyzeFilesStreaming(paths, options, (run) => terminal.addRun(run)));
      await toStdout(terminal.finish(rest));
    },
  };
}

/** vega-lite is loaded only when an HTML report is asked for (~0.5 s). */
async function writeHtml(path: string, analysis: Analysis, paths: string[]): Promise<void> {
  const { renderHtmlReport } = await import("../reports/html.js");
  writeFileSync(path, renderHtmlReport(analysis, { title: `comfyprof — ${paths.map((p) => basename(p)).join(", ")}` }));
}

/** Writes to stdout; a reader that went away (`… | head`) is not an error. */
function toStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => {
      if (err && (err as NodeJS.ErrnoException).code !== "EPIPE") reject(err);
      else resolve();
    });
  });
}
