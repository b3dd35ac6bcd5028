// A progress line on stderr for long reads: "reading 412 MB of 1,000 MB (41 %) ·
// 520 runs · 3.1 s", redrawn in place. Shown only on a terminal, and only once
// the work has taken PROGRESS_AFTER_MS, so short runs, pipes, files and tests
// print nothing; erased when done so the report starts on a clean line.

import { statSync } from "node:fs";
import { STDIN_PATH } from "./read-log.js";

/** No line for work that ends sooner: a flash of text is noise. */
export const PROGRESS_AFTER_MS = 1000;
/** Redrawn at most this often: a terminal write per chunk would cost more than the reading. */
const REDRAW_MS = 200;
const MB = 2 ** 20;

export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** Where the line goes; process.stderr by default. */
  out?: ProgressOutput;
  /** Draw even when `out` is not a terminal (tests). */
  force?: boolean;
  /** The clock, ms (tests pass their own). */
  now?: () => number;
}

/** The total bytes of the logs, or null when one is stdin or cannot be read (then no percentage). */
export function totalBytes(paths: readonly string[]): number | null {
  let total = 0;
  for (const path of paths) {
    if (path === STDIN_PATH) return null;
    try {
      total += statSync(path).size;
    } catch {
      return null;
    }
  }
  return total;
}

export class ProgressLine {
  private readonly out: ProgressOutput;
  private readonly enabled: boolean;
  private readonly now: () => number;
  private readonly started: number;
  private bytes = 0;
  private runs = 0;
  private lastDrawn = -Infinity;
  private drawn = false;

  constructor(private readonly total: number | null, options: ProgressOptions = {}) {
    this.out = options.out ?? process.stderr;
    this.enabled = options.force === true || this.out.isTTY === true;
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
  }

  /** For AnalyzeFilesOptions.onBytesRead. */
  readonly bytesRead = (bytes: number): void => {
    this.bytes += bytes;
    this.tick();
  };

  /** One more run folded. */
  runFolded(): void {
    this.runs++;
  }

  /** Erases the line, if one was drawn. */
  done(): void {
    if (this.drawn) this.out.write("\r\x1b[K");
    this.drawn = false;
  }

  /** The line's text at this moment. */
  text(): string {
    const elapsed = (this.now() - this.started) / 1000;
    const read = `${(this.bytes / MB).toFixed(0)} MB`;
    const of = this.total === null ? "" : ` of ${(this.total / MB).toFixed(0)} MB (${Math.min(100, Math.floor((this.bytes / Math.max(this.total, 1)) * 100))} %)`;
    return `comfyprof: reading ${read}${of} · ${this.runs.toLocaleString("en")} runs · ${elapsed.toFixed(1)} s`;
  }

  private tick(): void {
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.started < PROGRESS_AFTER_MS || now - this.lastDrawn < REDRAW_MS) return;
    this.lastDrawn = now;
    this.drawn = true;
    this.out.write(`\r\x1b[K${this.text()}`);
  }
}
