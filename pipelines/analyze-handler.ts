// `comfyprof analyze`: logs → profiles → terminal report, JSON, HTML, trace.

import { basename } from "node:path";
import { renderJsonReport } from "../reports/json.js";
import { renderChromeTrace } from "../reports/chrome-trace.js";
import { TerminalReport } from "../reports/terminal.js";
import type { RunProfile } from "../src/model/profile.js";
import type { RunRequest } from "../src/model/run-overview.js";
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
import type { AnalyzeArgs } from "./analyze-command.js";
import * as say from "./messages.js";

export async function runAnalyze(args: AnalyzeArgs): Promise<void> {
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
