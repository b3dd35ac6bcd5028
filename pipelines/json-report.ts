// `comfyprof analyze --format json`: the JSON report of logs of any size in
// bounded memory. The report lists `inputs` before `runs`, and the inputs are
// known only once every log is read, so each run, rendered as soon as its
// prompt finishes, is held until then: as text, in memory up to SPILL_BYTES,
// beyond that in a temporary file. The bytes are renderJsonReport's.

import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { renderJsonFrame, renderJsonRun } from "../reports/json.js";
import type { RunProfile } from "../src/model/profile.js";
import { analyzeFilesStreaming, withRuns, type AnalysisRest, type AnalyzeFilesOptions, type LogRefusal } from "./analyze.js";

/**
 * Rendered runs held in memory up to this many bytes (UTF-8), then in a
 * temporary file. Small on purpose: with 16 MiB here (held as strings, then
 * promoted to V8's old generation) a 1 GB log peaked at 330 MB RSS, with 1 MiB
 * at 170 MB.
 */
export const SPILL_BYTES = 1024 * 1024;
const READ_BACK_BYTES = 1 << 20;

/** Text appended in order and read back in order: at most `limit` bytes of it in memory, the rest on disk. */
class TextSpill {
  /** Each text as UTF-8, encoded once when added: its length is then known and a flush only concatenates. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private file: { dir: string; fd: number; bytes: number } | null = null;
  /** Where each text added starts, in bytes from the first: to take the last ones back. */
  private starts: number[] = [];
  private bytes = 0;

  constructor(private readonly limit: number) {}

  add(text: string): void {
    const encoded = Buffer.from(text, "utf8");
    this.starts.push(this.bytes);
    this.bytes += encoded.length;
    this.held.push(encoded);
    this.heldBytes += encoded.length;
    if (this.heldBytes > this.limit) this.flush();
  }

  /** Takes back the last `count` texts added (those of a log refused after its first runs). */
  dropLast(count: number): void {
    if (count === 0) return;
    const cut = this.starts[this.starts.length - count]!;
    this.starts.length -= count;
    this.bytes = cut;
    const fileBytes = this.file?.bytes ?? 0;
    if (cut >= fileBytes) {
      // All dropped texts are still in memory, the last ones added.
      this.held.length -= count;
    } else {
      ftruncateSync(this.file!.fd, cut);
      this.file!.bytes = cut;
      this.held = [];
    }
    this.heldBytes = this.held.reduce((n, b) => n + b.length, 0);
  }

  /** What was added, in order: the file in pieces of READ_BACK_BYTES, then what is still in memory. */
  *pieces(): Generator<Buffer> {
    if (this.file !== null) {
      for (let position = 0; position < this.file.bytes; ) {
        // A buffer of its own per piece, as the consumer may still hold the last: copying each piece out of one buffer was ~20 ms of a 100 MB log.
        const buffer = Buffer.allocUnsafe(Math.min(READ_BACK_BYTES, this.file.bytes - position));
        const n = readSync(this.file.fd, buffer, 0, buffer.length, position);
        if (n === 0) throw new Error("temporary file shorter than written");
        yield n === buffer.length ? buffer : buffer.subarray(0, n);
        position += n;
      }
    }
    yield* this.held;
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
    const bytes = Buffer.concat(this.held, this.heldBytes);
    this.held = [];
    this.heldBytes = 0;
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
  /** The whole report's text, in pieces (each call starts again). */
  pieces(): Iterable<string | Buffer>;
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
    const onLogRefused = options.onLogRefused;
    const dropping = onLogRefused && {
      ...options,
      onLogRefused: (refusal: LogRefusal) => {
        spill.dropLast(refusal.runsHandedOut);
        runCount -= refusal.runsHandedOut;
        onLogRefused(refusal);
      },
    };
    rest = await analyzeFilesStreaming(paths, dropping || options, (run) => {
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
    pieces: text,
    // pipeline(): backpressure, and an error on either side rejects instead of being thrown unheard.
    writeTo: (out, end) => pipeline(Readable.from(text()), out, { end }),
    dispose: () => spill.dispose(),
  };
}
