// Writes the event log: one JSON object per line, each written with one
// synchronous write so that what was received is on disk (or in the pipe)
// before the next event, and a Ctrl-C or crash loses nothing already seen.

import { closeSync, openSync, writeSync } from "node:fs";
import type { Clock } from "./clock.js";
import type { EndLine, LogLine } from "../src/model/events.js";

export interface LogSink {
  write(text: string): void;
  close(): void;
}

/** Stdout (fd 1) or a file opened for writing; writes are synchronous. */
export function openSink(path: string | null): LogSink {
  const fd = path === null ? 1 : openSync(path, "w");
  return {
    write(text) {
      writeAll(fd, text);
    },
    close() {
      if (fd !== 1) closeSync(fd);
    },
  };
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, "utf8");
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (err) {
      // A non-blocking pipe whose reader is slow answers EAGAIN; wait and retry.
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

type Unstamped<T> = T extends LogLine ? Omit<T, "wallMs" | "monoMs"> : never;

export class LogWriter {
  private ended = false;

  constructor(
    private readonly sink: LogSink,
    readonly clock: Clock,
  ) {}

  get isEnded(): boolean {
    return this.ended;
  }

  /** Stamps the line now and writes it. */
  write(line: Unstamped<LogLine>): void {
    this.writeStamped(line, this.clock.wallMs(), this.clock.monoMs());
  }

  /** Writes a line stamped earlier (e.g. at receipt, before any parsing). */
  writeStamped(line: Unstamped<LogLine>, wallMs: number, monoMs: number): void {
    if (this.ended) return;
    const { kind, ...rest } = line;
    const body = JSON.stringify(rest);
    this.sink.write(`{"kind":${JSON.stringify(kind)},"wallMs":${wallMs},"monoMs":${monoMs}${body === "{}" ? "" : "," + body.slice(1, -1)}}\n`);
  }

  /**
   * A WebSocket text frame whose text is known to be one line of valid JSON:
   * it is written byte for byte as the server sent it, not re-serialized.
   */
  writeWsText(rawJson: string, wallMs: number, monoMs: number): void {
    if (this.ended) return;
    this.sink.write(`{"kind":"ws","wallMs":${wallMs},"monoMs":${monoMs},"msg":${rawJson}}\n`);
  }

  /** The last line. Nothing is written after it. */
  end(reason: EndLine["reason"], message: string | null, runsCompleted: number): void {
    if (this.ended) return;
    this.write({ kind: "end", reason, message, runsCompleted });
    this.ended = true;
    this.sink.close();
  }
}
