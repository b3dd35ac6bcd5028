// The edge of ingest: bytes from a file or stdin → lines → LogEvents. Plain or
// gzip (told by the magic bytes, not the name), streamed, so memory stays
// bounded by the longest line however large the file.
//
// Whether the last line ended with a line break is how a cut recording shows;
// the byte stream below remembers the last byte.

import { createReadStream, readFileSync, statSync } from "node:fs";
import { pipeline, Readable } from "node:stream";
import { constants as zlibConstants, createGunzip } from "node:zlib";
import type { Diagnostic } from "../src/model/diagnostic.js";
import type { LogEvent } from "../src/model/server-events.js";
import { createLogParser, type LogEnd, type LogParseSummary } from "../src/ingest/index.js";

/** What the user names to read stdin. */
export const STDIN_PATH = "-";
/** How stdin is named in diagnostics. */
export const STDIN_NAME = "<stdin>";

/** 1 MiB reads: fewer, larger chunks mean fewer lines cut in two at a chunk's end (64 KiB default). */
const READ_CHUNK_BYTES = 1 << 20;
/**
 * A regular file up to this size is read in one synchronous call instead of streamed: each
 * asynchronous read is a round trip through libuv's thread pool, ~0.7 ms a file, a quarter of
 * `trend`'s time over a thousand small recordings (docs/performance.md). Larger files stream
 * (memory stays bounded); nothing else runs meanwhile in the CLI but a progress line.
 */
const READ_WHOLE_MAX_BYTES = 8 << 20;
/** Gunzip output chunks: 256 KiB instead of zlib's 16 KiB made reading a .gz log ~20 % faster (fewer lines cut in two). */
const GUNZIP_CHUNK_BYTES = 256 * 1024;
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
  /** Called with the size of each chunk read from the file or stdin, before any gunzip (a progress line's "bytes read"). */
  onBytesRead?: (bytes: number) => void;
}

/** The name diagnostics use for a path. */
export function displayName(path: string): string {
  return path === STDIN_PATH ? STDIN_NAME : path;
}

function openBytes(path: string, options: ReadOptions): AsyncIterable<Buffer> {
  if (path === STDIN_PATH) return (options.stdin ?? process.stdin) as AsyncIterable<Buffer>;
  if (isSmallFile(path)) return wholeFile(path);
  return createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
}

/** A regular file of at most READ_WHOLE_MAX_BYTES; anything else (a folder, a FIFO, a missing file) streams, and says why it cannot. */
function isSmallFile(path: string): boolean {
  try {
    const stats = statSync(path);
    return stats.isFile() && stats.size <= READ_WHOLE_MAX_BYTES;
  } catch {
    return false;
  }
}

async function* wholeFile(path: string): AsyncGenerator<Buffer> {
  yield readFileSync(path);
}

/**
 * The decoded bytes of `source`, gunzipped if they start with the gzip magic.
 * A cut .gz yields what it holds (Z_SYNC_FLUSH instead of an "unexpected end
 * of file" error), so its last line shows as truncated like a plain file's.
 * `end.lastByte` is the last byte yielded, once the generator is done.
 */
async function* decodedBytes(source: AsyncIterable<Buffer>, end: { lastByte: number | null }, onBytesRead?: (bytes: number) => void): AsyncGenerator<Buffer> {
  const input = source[Symbol.asyncIterator]();
  try {
    let head: Buffer = Buffer.alloc(0);
    while (head.length < GZIP_MAGIC.length) {
      const next = await input.next();
      if (next.done) break;
      onBytesRead?.(next.value.length);
      head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
    }
    async function* raw(): AsyncGenerator<Buffer> {
      if (head.length > 0) yield head;
      for (let next = await input.next(); !next.done; next = await input.next()) {
        onBytesRead?.(next.value.length);
        yield next.value;
      }
    }
    const isGzip = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
    // pipeline(), unlike pipe(), passes a read error on to the gunzip stream, so it ends the loop below.
    const bytes: AsyncIterable<Buffer> = isGzip
      ? pipeline(Readable.from(raw()), createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH, chunkSize: GUNZIP_CHUNK_BYTES }), () => {})
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
 * Splits bytes into lines as node:readline does with `crlfDelay: Infinity`:
 * "\n", "\r\n" and a lone "\r" end a line, and a last line without a line
 * break is a line too. Hand-made because readline decodes each chunk whole,
 * splits it with a regex and emits each line as an event: that was ~30 % of
 * the time `analyze` took (docs/performance.md); memchr for "\n" plus one
 * decode per line is 2–3× faster.
 */
export class LineSplitter {
  /** The start of a line not ended yet, in pieces (a long line spans many chunks: concatenated once). */
  private carry: Buffer[] = [];

  /**
   * Calls `onLine` with each line that `chunk` completes. Each line is decoded
   * just before its call, so only one line's string is alive at a time (a
   * garbage collection mid-chunk then copies one line, not the rest of the chunk).
   */
  push(chunk: Buffer, onLine: (text: string) => void): void {
    // One scan per chunk, so the common case (no "\r" at all) pays nothing per line.
    const hasCr = chunk.includes(CR);
    let start = 0;
    for (let nl = chunk.indexOf(LF); nl !== -1; nl = chunk.indexOf(LF, start)) {
      if (this.carry.length > 0) {
        this.carry.push(chunk.subarray(start, nl));
        const joined = Buffer.concat(this.carry);
        this.carry = [];
        emitLine(joined.toString("utf8"), joined.includes(CR), onLine);
      } else {
        emitLine(chunk.toString("utf8", start, nl), hasCr, onLine);
      }
      start = nl + 1;
    }
    // Copied: a stream may reuse the memory of a chunk it has handed out.
    if (start < chunk.length) this.carry.push(Buffer.from(chunk.subarray(start)));
  }

  /** The last line, when the bytes did not end with a line break. */
  end(onLine: (text: string) => void): void {
    if (this.carry.length === 0) return;
    const joined = Buffer.concat(this.carry);
    this.carry = [];
    emitLine(joined.toString("utf8"), true, onLine);
  }
}

/** `text` (up to a "\n") as readline sees it: "\r\n" is one break, a lone "\r" another. */
function emitLine(text: string, mayHaveCr: boolean, onLine: (text: string) => void): void {
  if (!mayHaveCr) return onLine(text);
  const body = text.endsWith("\r") ? text.slice(0, -1) : text;
  if (body.includes("\r")) body.split("\r").forEach((part) => onLine(part));
  else onLine(body);
}

function logEnd(lastByte: number | null): LogEnd {
  // An empty input has no last line to be cut.
  return { lastLineHadNewline: lastByte === null || lastByte === LF || lastByte === CR };
}

/**
 * Calls `onLine` with each line of a log, in order (no promise per line);
 * resolves when done with whether the last line had a line break. Errors (a
 * missing file, bad gzip data, an `onLine` that throws) reject; the file is
 * closed either way.
 */
async function forEachLine(path: string, options: ReadOptions, onLine: (text: string) => void): Promise<LogEnd> {
  const end: { lastByte: number | null } = { lastByte: null };
  const splitter = new LineSplitter();
  for await (const chunk of decodedBytes(openBytes(path, options), end, options.onBytesRead)) splitter.push(chunk, onLine);
  splitter.end(onLine);
  return logEnd(end.lastByte);
}

/**
 * The lines of a log file (or of stdin for "-"), plain or gzip. Returns, when
 * done, whether the last line had a line break. "\r\n" endings are taken as
 * line breaks. Errors (a missing file, bad gzip data) are thrown as they come.
 */
export async function* readLogLines(path: string, options: ReadOptions = {}): AsyncGenerator<LogLineText, LogEnd> {
  const end: { lastByte: number | null } = { lastByte: null };
  const splitter = new LineSplitter();
  let lines: string[] = [];
  const collect = (text: string): void => void lines.push(text);
  let lineNo = 0;
  for await (const chunk of decodedBytes(openBytes(path, options), end)) {
    splitter.push(chunk, collect);
    const chunkLines = lines;
    lines = [];
    for (const text of chunkLines) yield { text, lineNo: ++lineNo };
  }
  splitter.end(collect);
  for (const text of lines) yield { text, lineNo: ++lineNo };
  return logEnd(end.lastByte);
}

export interface ReadLogOptions extends ReadOptions {
  lenient: boolean;
}

export interface ReadLogResult extends LogParseSummary {
  /** The name the diagnostics use. */
  fileName: string;
}

/**
 * Folds a log: `onEvent` gets each LogEvent, in order, as soon as its line is
 * parsed; resolves with the summary (diagnostics) when done. Throws
 * LogFormatError when the log is refused. What `analyze` uses: a callback
 * instead of an async iterator means no promise per event, and each event is
 * used and dropped before the next line is parsed.
 */
export async function foldLog(path: string, options: ReadLogOptions, onEvent: (event: LogEvent) => void): Promise<ReadLogResult> {
  const fileName = displayName(path);
  // Folding reads only the typed events: no raw messages, so progress_state is read by what it adds.
  const parser = createLogParser({ fileName, lenient: options.lenient, rawMessages: false });
  let lineNo = 0;
  const end = await forEachLine(path, options, (text) => {
    const event = parser.push(text, ++lineNo);
    if (event !== null) onEvent(event);
  });
  return { fileName, ...parser.finish(end) };
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

/** Reads a whole log into memory: for tests and small logs; `analyze` folds the stream instead (foldLog). */
export async function collectLog(path: string, options: ReadLogOptions): Promise<{ events: LogEvent[]; diagnostics: Diagnostic[] }> {
  const events: LogEvent[] = [];
  const reader = readLog(path, options);
  for (;;) {
    const next = await reader.next();
    if (next.done) return { events, diagnostics: next.value.diagnostics };
    events.push(next.value);
  }
}
