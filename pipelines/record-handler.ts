// `comfyprof record`: options → RecordOptions, files and signals → the recorder.

import { readFileSync, renameSync, statSync } from "node:fs";
import { basename } from "node:path";
import { DEFAULT_RECORD_OPTIONS, record, type RecordOptions } from "../recorder/record.js";
import { openSink } from "../recorder/log-writer.js";
import { parseWorkflow, WorkflowError } from "../recorder/workflow.js";
import { convertWithServer, ObjectInfoUnavailableError } from "../recorder/editor-workflow.js";
import { readWorkflowSource, WorkflowSourceError, type WorkflowContainer } from "../src/convert/index.js";
import { inflateSync } from "node:zlib";
import { CliError } from "./cli-errors.js";
import { parseServerUrl } from "../recorder/server-url.js";
import { escapeTerminal } from "../src/text/escape.js";
import { OutputError, UsageError } from "./cli-errors.js";
import { isSpecialFile, planOutputs, STDIO, temporaryPath, type PlannedOutput } from "./output-paths.js";
import { EXIT } from "./exit-codes.js";
import type { RecordArgs } from "./record-command.js";
import * as say from "./messages.js";

export async function runRecord(args: RecordArgs, setExitCode: (code: number) => void): Promise<void> {
  const { options, pendingEditor } = toRecordOptions(args);
  const [output] = planOutputs([{ flag: "-o", value: args.output, what: "event log", suffix: ".ndjson" }], [args.workflow], { refuseLogNames: false });
  // A device (-o /dev/null) is written in place: no temporary file renamed over it, nothing to lose.
  const toFile = output !== undefined && output.path !== STDIO && !isSpecialFile(output.path) ? output : null;
  const device = output !== undefined && output.path !== STDIO && toFile === null ? output.path : null;
  if (!output && process.stdout.isTTY) {
    throw new UsageError("the log is NDJSON for `comfyprof analyze`, not for a terminal: add -o run.ndjson or redirect stdout (> run.ndjson)");
  }
  if (toFile && exists(toFile.path) && !args.force) throw new OutputError(say.recordingExists(toFile.path));
  if (pendingEditor) await convertBeforeRecording(options, pendingEditor);
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppedBy === null) {
      stoppedBy = signal;
      controller.abort(signal);
    } else process.exit(signalExitCode(signal));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const temp = toFile ? temporaryPath(toFile.path) : null;
  try {
    const sink = openSink(temp ?? device);
    const result = await record(options, {
      sink,
      progress: args.quiet ? null : { write: (t) => process.stderr.write(t), isTTY: Boolean(process.stderr.isTTY) },
      signal: controller.signal,
    });
    if (toFile && temp) keep(temp, toFile, args.quiet);
    setExitCode(stoppedBy !== null && result.reason === "interrupted" ? signalExitCode(stoppedBy) : result.exitCode);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function signalExitCode(signal: NodeJS.Signals): number {
  return signal === "SIGTERM" ? EXIT.sigterm : EXIT.sigint;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The finished log takes the target's name; if it cannot, it stays where it is and says so. */
function keep(temp: string, out: PlannedOutput, quiet: boolean): void {
  try {
    renameSync(temp, out.path);
  } catch {
    throw new OutputError(say.recordKeptBeside(temp, out.path));
  }
  if (!quiet) process.stderr.write(`comfyprof: ${escapeTerminal(say.wrote(out.path, out.what, out.derivedFrom))}\n`);
}

/** An editor workflow read from --workflow, converted once the other options have been checked. */
interface PendingEditor {
  workflow: unknown;
  container: WorkflowContainer;
  sourceName: string;
}

async function convertBeforeRecording(options: RecordOptions, pending: PendingEditor): Promise<void> {
  try {
    const converted = await convertWithServer(pending.workflow, pending.container, pending.sourceName, options.url, options.headers);
    options.workflow = converted.prompt;
    options.editor = converted.editor;
  } catch (err) {
    if (err instanceof WorkflowError) throw new UsageError(err.message);
    if (err instanceof ObjectInfoUnavailableError) throw new CliError(EXIT.serverLost, err.message);
    throw err;
  }
}

export function toRecordOptions(args: RecordArgs): { options: RecordOptions; pendingEditor: PendingEditor | null } {
  const positiveInt = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new UsageError(`--${name} must be a whole number ≥ ${min}, got ${v}`);
    return v;
  };
  if (!(args["poll-ms"] >= 10)) throw new UsageError(`--poll-ms must be at least 10, got ${args["poll-ms"]}`);
  if (args.timeout !== undefined && !(args.timeout > 0)) throw new UsageError(`--timeout must be a positive number of seconds, got ${args.timeout}`);
  let bytes: Buffer;
  try {
    // fd 0: `-w -` reads the workflow from stdin.
    bytes = readFileSync(args.workflow === STDIO ? 0 : args.workflow);
  } catch (err) {
    throw new UsageError(`cannot read --workflow ${args.workflow}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    parseServerUrl(args.url);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const sourceName = args.workflow === STDIO ? "<stdin>" : basename(args.workflow);
  let workflow = {};
  let pendingEditor: PendingEditor | null = null;
  try {
    const source = readWorkflowSource(bytes, sourceName, inflateSync);
    if (source.format === "api") workflow = parseWorkflow(source.text, sourceName);
    else pendingEditor = { workflow: source.workflow, container: source.container, sourceName };
  } catch (err) {
    if (err instanceof WorkflowError || err instanceof WorkflowSourceError) throw new UsageError(err.message);
    throw err;
  }
  const options: RecordOptions = {
    ...DEFAULT_RECORD_OPTIONS,
    url: args.url,
    workflow,
    workflowSourceName: args.workflow === STDIO ? null : basename(args.workflow),
    runs: positiveInt("runs", args.runs, 1),
    warmup: positiveInt("warmup", args.warmup, 0),
    cacheState: args.cold ? "cold" : args["cache-warm"] ? "cache-warm" : "model-warm",
    pollMs: args["poll-ms"],
    timeoutMs: args.timeout === undefined ? null : args.timeout * 1000,
    keepPreviews: args["keep-previews"],
    interruptOnExit: args["interrupt-on-exit"],
    headers: parseHeaders(args.header),
    label: args.label ?? null,
    reconnectTimeoutMs: args["reconnect-timeout"] * 1000,
  };
  return { options, pendingEditor };
}

export function parseHeaders(values: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(":");
    const name = colon > 0 ? value.slice(0, colon).trim() : "";
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new UsageError(`--header must look like 'Name: value' (got a header with no valid name)`);
    }
    headers[name] = value.slice(colon + 1).trim();
  }
  return headers;
}
