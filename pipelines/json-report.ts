// `comfyprof analyze --format json`: the JSON report of logs of any size in
// bounded memory. The report lists `inputs` before `runs`, and the inputs are
// known only once every log is read, so each run, rendered as soon as its
// prompt finishes, is held until then: as text, in memory up to SPILL_BYTES,
// beyond that in a temporary file. The bytes are renderJsonReport's.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { renderJsonFrame, renderJsonRun } from "../reports/json.js";
import type { RunProfile } from "../src/model/profile.js";
import { analyzeFilesStreaming, withRuns, type AnalysisRest, type AnalyzeFilesOptions } from "./analyze.js";

/**
 * Rendered runs held in memory up to this many characters, then in a temporary
 * file. Small on purpose: text held longer is promoted to V8's old generation,
 * which then grows its heap; with 16 MiB here a 1 GB log peaked at 330 MB RSS,
 * with 1 MiB at 170 MB.
 */
export const SPILL_BYTES = 1024 * 1024;
const READ_BACK_BYTES = 1 << 20;

/** Text appended in order and read back in order: at most `limit` characters of it in memory, the rest on disk. */
class TextSpill {
  private texts: string[] = [];
  private chars = 0;
  private file: { dir: string; fd: number; bytes: number } | null = null;

  constructor(private readonly limit: number) {}

  add(text: string): void {
    this.texts.push(text);
    this.chars += text.length;
    if (this.chars > this.limit) this.flush();
  }

  /** What was added, in order: the file in pieces of READ_BACK_BYTES, then what is still in memory. */
  *pieces(): Generator<string | Buffer> {
    if (this.file !== null) {
      const buffer = Buffer.allocUnsafe(READ_BACK_BYTES);
      for (let position = 0; position < this.file.bytes; ) {
        const n = readSync(this.file.fd, buffer, 0, buffer.length, position);
        if (n === 0) throw new Error("temporary file shorter than written");
        yield Buffer.from(buffer.subarray(0, n));
        position += n;
      }
    }
    yield* this.texts;
  }

  dispose(): void {
    if (this.file === null) return;
    closeSync(this.file.fd);
    rmSync(this.file.dir, { recursive: true, force: true });
    this.file = null;
  }

  /** Moves the text in memory to the file: one write per `limit` of text, not one per run. */
  private flush(): void {
    const file = this.file ?? this.openFile();
    const bytes = Buffer.from(this.texts.join(""), "utf8");
    this.texts = [];
    this.chars = 0;
    for (let off = 0; off < bytes.length; ) off += writeSync(file.fd, bytes, off, bytes.length - off, file.bytes + off);
    file.bytes += bytes.length;
  }

  private openFile(): { dir: string; fd: number; bytes: number } {
    const dir = mkdtempSync(join(tmpdir(), "comfyprof-runs-"));
    this.file = { dir, fd: openSync(join(dir, "runs.json"), "w+"), bytes: 0 };
    return this.file;
  }
}

/** A finished analysis, ready to be written as the JSON report (as often as needed); dispose() when done. */
export interface JsonReport {
  runCount: number;
  /** Writes the whole report to `out`; ends `out` when `end` is set (not for stdout). */
  writeTo(out: NodeJS.WritableStream, end: boolean): Promise<void>;
  /** Removes the temporary file, if any. */
  dispose(): void;
}

/** Analyzes logs like analyzeFiles, keeping the rendered runs rather than the profiles. Throws as analyzeFiles does. */
export async function analyzeToJson(
  paths: readonly string[],
  options: AnalyzeFilesOptions = {},
  spillBytes = SPILL_BYTES,
  alsoOnRun: (run: RunProfile) => void = () => undefined,
): Promise<JsonReport & { rest: AnalysisRest }> {
  const spill = new TextSpill(spillBytes);
  let runCount = 0;
  let rest: AnalysisRest;
  try {
    rest = await analyzeFilesStreaming(paths, options, (run) => {
      spill.add(renderJsonRun(run, runCount++));
      alsoOnRun(run);
    });
  } catch (error) {
    spill.dispose();
    throw error;
  }
  const frame = renderJsonFrame(withRuns(rest, []), runCount);
  function* text(): Generator<string | Buffer> {
    yield frame.before;
    yield* spill.pieces();
    yield frame.after;
  }
  return {
    rest,
    runCount,
    // pipeline(): backpressure, and an error on either side rejects instead of being thrown unheard.
    writeTo: (out, end) => pipeline(Readable.from(text()), out, { end }),
    dispose: () => spill.dispose(),
  };
}
