// `comfyprof export --parquet DIR logs…`: the profiles as Parquet tables (runs,
// nodes, samples, diagnostics; docs/parquet.md), partitioned by day and
// workflow, for DuckDB (`comfyprof query`, `trend --parquet`), Spark or
// BigQuery. Streams: each log is read by the analyze pipeline and each run's
// rows appended as its prompt finishes (pipelines/parquet/writer.ts).


import { randomUUID } from "node:crypto";
import type { RunProfile } from "../src/model/profile.js";
import type { ApiWorkflow } from "../src/model/events.js";
import { escapeTerminal } from "../src/text/escape.js";
import { analyzeFilesStreaming, type LogRefusal } from "./analyze.js";
import { describeInputFailure, InputError, UsageError } from "./cli-errors.js";
import { STDIO } from "./output-paths.js";
import { ProgressLine, totalBytes } from "./progress.js";
import { displayName } from "./read-log.js";
import { prepareExportDir } from "./parquet/layout.js";
import * as sayParquet from "./parquet/messages.js";
import * as say from "./messages.js";
import type { ExportArgs } from "./export-command.js";

export async function runExport(a: ExportArgs): Promise<void> {
  if (a.logs.filter((p) => p === STDIO).length > 1) throw new UsageError(say.stdinTwice());
  if (a.parquet.trim() === "") throw new UsageError("--parquet needs a folder name");
  prepareExportDir(a.parquet, a.append);
  const { ParquetWriter } = await import("./parquet/writer.js");
  const exportId = randomUUID();
  const writer = new ParquetWriter(a.parquet, exportId);
  const progress = new ProgressLine(totalBytes(a.logs));
  // Each workflow's prompt once per export (compare --parquet pairs variants by them).
  const prompts = new Map<string, ApiWorkflow>();
  const promptsWritten = new Set<string>();
  const failures: string[] = [];
  let written: number;
  try {
    for (const [logIndex, path] of a.logs.entries()) {
      const recording = displayName(path);
      let runIndex = 0;
      let refusal: LogRefusal | null = null;
      const mark = writer.mark();
      const newPrompts: string[] = [];
      const onRun = (run: RunProfile) => {
        progress.runFolded();
        const place = { exportId, recording, logIndex, runIndex: runIndex++ };
        writer.addRun(run, place);
        const prompt = prompts.get(run.workflow.fingerprint);
        if (prompt === undefined || promptsWritten.has(run.workflow.fingerprint)) return;
        writer.addWorkflow(run, prompt, place);
        promptsWritten.add(run.workflow.fingerprint);
        newPrompts.push(run.workflow.fingerprint);
      };
      // The node_types view computes its own statistics: no durations kept for analyze's.
      const options = { lenient: a.lenient, workflows: prompts, nodeTypes: false, onBytesRead: progress.bytesRead, onLogRefused: (r: LogRefusal) => void (refusal = r) };
      const rest = await analyzeFilesStreaming([path], options, onRun);
      if (refusal === null) writer.addLogDiagnostics(rest.diagnostics, exportId, recording);
      else {
        writer.dropSince(mark);
        for (const fingerprint of newPrompts) promptsWritten.delete(fingerprint);
        failures.push(describeInputFailure(recording, (refusal as LogRefusal).error));
      }
      await writer.flush();
    }
    written = await writer.finish();
  } catch (err) {
    writer.close();
    throw err;
  } finally {
    progress.done();
  }
  const logs = a.logs.length - failures.length;
  process.stderr.write(`comfyprof: ${escapeTerminal(sayParquet.exported(a.parquet, written, logs, a.append))}\n`);
  if (failures.length > 0) throw new InputError(say.logsNotRead(failures, a.logs.length));
}
