// The edge of ingest: bytes from a file or stdin → lines → LogEvents. Plain or
// gzip (told by the magic bytes, not the name), streamed, so memory stays
// bounded by the longest line however large the file.
//
// node:readline hides whether the last line ended with a line break, which is
// how a cut recording shows; the byte stream below remembers the last byte.

import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { pipeline, Readable } from "node:stream";
import { constants as zlibConstants, createGunzip } from "node:zlib";
import type { Diagnostic } from "../src/model/diagnostic.js";
import type { LogEvent } from "../src/model/server-events.js";
import { createLogParser, type LogEnd, type LogParseSummary } from "../src/ingest/index.js";

/** What the user names to read stdin. */
export const STDIN_PATH = "-";
/** How stdin is named in diagnostics. */
export const STDIN_NAME = "<stdin>";

/** 1 MiB reads: fewer, larger chunks are what makes readline fast here (64 KiB default). */
const READ_CHUNK_BYTES = 1 << 20;
const GZIP_MAGIC = [0x1f, 0x8b] as const;
const LF = 0x0a;
const CR = 0x0d;

export interface LogLineText {
  text: string;
  /** 1-based. */
  lineNo: number;
}

export interface ReadOptions {
  /** The stream "-" reads; process.stdin when not given (tests pass their own). */
  stdin?: NodeJS.ReadableStream;
}

/** The name diagnostics use for a path. */
export function displayName(path: string): string {
  return path === STDIN_PATH ? STDIN_NAME : path;
}

function openBytes(path: string, options: ReadOptions): AsyncIterable<Buffer> {
  if (path === STDIN_PATH) return (options.stdin ?? process.stdin) as AsyncIterable<Buffer>;
  return createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
}

/**
 * The decoded bytes of `source`, gunzipped if they start with the gzip magic.
 * A cut .gz yields what it holds (Z_SYNC_FLUSH instead of an "unexpected end
 * of file" error), so its last line shows as truncated like a plain file's.
 * `end.lastByte` is the last byte yielded, once the generator is done.
 */
async function* decodedBytes(source: AsyncIterable<Buffer>, end: { lastByte: number | null }): AsyncGenerator<Buffer> {
  const input = source[Symbol.asyncIterator]();
  try {
    let head: Buffer = Buffer.alloc(0);
    while (head.length < GZIP_MAGIC.length) {
      const next = await input.next();
      if (next.done) break;
      head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
    }
    async function* raw(): AsyncGenerator<Buffer> {
      if (head.length > 0) yield head;
      for (let next = await input.next(); !next.done; next = await input.next()) yield next.value;
    }
    const isGzip = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
    // pipeline(), unlike pipe(), passes a read error on to the gunzip stream, so it ends the loop below.
    const bytes: AsyncIterable<Buffer> = isGzip
      ? pipeline(Readable.from(raw()), createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH }), () => {})
      : raw();
    for await (const chunk of bytes) {
      if (chunk.length === 0) continue;
      end.lastByte = chunk[chunk.length - 1]!;
      yield chunk;
    }
  } finally {
    // Closes the file when the consumer stops early (a refused log, a break).
    await input.return?.();
  }
}

/**
 * The lines of a log file (or of stdin for "-"), plain or gzip. Returns, when
 * done, whether the last line had a line break. "\r\n" endings are taken as
 * line breaks. Errors (a missing file, bad gzip data) are thrown as they come.
 */
export async function* readLogLines(path: string, options: ReadOptions = {}): AsyncGenerator<LogLineText, LogEnd> {
  const end: { lastByte: number | null } = { lastByte: null };
  const bytes = Readable.from(decodedBytes(openBytes(path, options), end), { objectMode: false });
  const lines = createInterface({ input: bytes, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const text of lines) {
      lineNo += 1;
      yield { text, lineNo };
    }
  } finally {
    lines.close();
    bytes.destroy();
  }
  // An empty input has no last line to be cut.
  return { lastLineHadNewline: end.lastByte === null || end.lastByte === LF || end.lastByte === CR };
}

export interface ReadLogOptions extends ReadOptions {
  lenient: boolean;
}

export interface ReadLogResult extends LogParseSummary {
  /** The name the diagnostics use. */
  fileName: string;
}

/**
 * The LogEvents of one log, in order; returns the summary (diagnostics) when
 * done. Throws LogFormatError when the log is refused.
 */
export async function* readLog(path: string, options: ReadLogOptions): AsyncGenerator<LogEvent, ReadLogResult> {
  const fileName = displayName(path);
  const parser = createLogParser({ fileName, lenient: options.lenient });
  const lines = readLogLines(path, options);
  try {
    for (;;) {
      const next = await lines.next();
      if (next.done) return { fileName, ...parser.finish(next.value) };
      const event = parser.push(next.value.text, next.value.lineNo);
      if (event !== null) yield event;
    }
  } finally {
    await lines.return({ lastLineHadNewline: true });
  }
}

/** Reads a whole log into memory: for tests and small logs; `analyze` folds readLog's stream instead. */
export async function collectLog(path: string, options: ReadLogOptions): Promise<{ events: LogEvent[]; diagnostics: Diagnostic[] }> {
  const events: LogEvent[] = [];
  const reader = readLog(path, options);
  for (;;) {
    const next = await reader.next();
    if (next.done) return { events, diagnostics: next.value.diagnostics };
    events.push(next.value);
  }
}
