// `comfyprof analyze`: read → parse → build → analyze, one log at a time,
// streaming (memory bounded by the prompts and samples kept, not file size).
// Rendering is the caller's (the CLI, or a library user).

import type { Diagnostic } from "../src/model/diagnostic.js";
import type { Analysis } from "../src/model/profile.js";
import { SessionBuilder } from "../src/build/session.js";
import { analyzeTimelines, type AnalyzeOptions } from "../src/analysis/index.js";
import { displayName, readLog } from "./read-log.js";

export interface AnalyzeFilesOptions extends AnalyzeOptions {
  /** Skip corrupt lines with a warning instead of refusing the log. */
  lenient?: boolean;
  /** Where "-" reads from (tests); process.stdin by default. */
  stdin?: NodeJS.ReadableStream;
}

/** Analyzes logs (paths, .gz, or "-" for stdin). Throws LogFormatError when a log is refused. */
export async function analyzeFiles(paths: readonly string[], options: AnalyzeFilesOptions = {}): Promise<Analysis> {
  const logs = [];
  for (const path of paths) {
    const session = new SessionBuilder(displayName(path));
    const reader = readLog(path, { lenient: options.lenient ?? false, stdin: options.stdin });
    let diagnostics: Diagnostic[] = [];
    for (;;) {
      const next = await reader.next();
      if (next.done) {
        diagnostics = next.value.diagnostics;
        break;
      }
      session.apply(next.value);
    }
    const { input, runs } = session.finish();
    logs.push({ input, runs, diagnostics });
  }
  return analyzeTimelines(logs, options);
}
