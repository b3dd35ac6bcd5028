import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { LogFormatError } from "../../src/ingest/index.js";
import { collectLog, readLog, readLogLines, type LogLineText } from "../../pipelines/read-log.js";

const samplePath = (name: string): string => new URL(`../../samples/${name}`, import.meta.url).pathname;
const GOOD_PATH = samplePath("v1/minimal-run.ndjson");
const GOOD = readFileSync(GOOD_PATH);
const GOOD_LINES = 25;

const dir = mkdtempSync(join(tmpdir(), "comfyprof-read-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tempFile = (name: string, bytes: Buffer | string): string => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

/** A stdin stand-in that hands out `bytes` in chunks of `chunkBytes` (as speedscope's chunked re-read). */
const chunked = (bytes: Buffer, chunkBytes = 64): Readable =>
  Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += chunkBytes) yield bytes.subarray(i, i + chunkBytes);
    })(),
  );

async function allLines(path: string, stdin?: Readable) {
  const lines: LogLineText[] = [];
  const reader = readLogLines(path, stdin ? { stdin } : {});
  for (;;) {
    const next = await reader.next();
    if (next.done) return { lines, end: next.value };
    lines.push(next.value);
  }
}

describe("pipelines/read-log", () => {
  it("reads a file line by line, numbering from 1, and sees its final line break", async () => {
    const { lines, end } = await allLines(GOOD_PATH);
    expect(lines).toHaveLength(GOOD_LINES);
    expect(lines[0]).toMatchObject({ lineNo: 1 });
    expect(lines[0]!.text.startsWith('{"kind":"header"')).toBe(true);
    expect(lines.at(-1)!.text.startsWith('{"kind":"end"')).toBe(true);
    expect(end).toEqual({ lastLineHadNewline: true });
  });

  it("sees a missing final line break", async () => {
    const { lines, end } = await allLines(tempFile("no-final-newline.ndjson", GOOD.subarray(0, -1)));
    expect(lines).toHaveLength(GOOD_LINES);
    expect(end).toEqual({ lastLineHadNewline: false });
  });

  it("reads a good log into events without diagnostics", async () => {
    const { events, diagnostics } = await collectLog(GOOD_PATH, { lenient: false });
    expect(diagnostics).toEqual([]);
    expect(events).toHaveLength(GOOD_LINES);
    // The POST /prompt reply and the /history entry come out typed (ingest/http-exchange.ts).
    expect(events.map((e) => e.kind)).toEqual(["header", "note", "ws", "note", "prompt-reply", "note", "ws", "ws", "ws", "ws", "ws", "ws", "ws", "ws", "stats", "ws", "ws", "ws-binary", "ws", "ws", "ws", "ws", "history", "note", "end"]);
  });

  it("accepts a complete last line without a line break, without a warning", async () => {
    const { events, diagnostics } = await collectLog(tempFile("complete-no-newline.ndjson", GOOD.subarray(0, -1)), { lenient: false });
    expect(diagnostics).toEqual([]);
    expect(events).toHaveLength(GOOD_LINES);
  });

  it("reads a gzip file (told by its bytes, whatever its name) the same as the plain one", async () => {
    const plain = await collectLog(GOOD_PATH, { lenient: false });
    for (const name of ["run.ndjson.gz", "run-gzipped.ndjson"]) {
      const gzipped = await collectLog(tempFile(name, gzipSync(GOOD)), { lenient: false });
      expect(gzipped).toEqual(plain);
    }
  });

  it("reads CRLF line endings the same as LF", async () => {
    const crlf = Buffer.from(GOOD.toString("utf8").replaceAll("\n", "\r\n"));
    expect(await collectLog(tempFile("crlf.ndjson", crlf), { lenient: false })).toEqual(await collectLog(GOOD_PATH, { lenient: false }));
  });

  it("warns about a truncated last line, naming the file, and yields the lines before it", async () => {
    const path = samplePath("invalid/truncated-last-line.ndjson");
    const { events, diagnostics } = await collectLog(path, { lenient: false });
    expect(events).toHaveLength(19);
    expect(diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([
      ["truncated-last-line", path, 20],
      ["no-end-record", path, 20],
    ]);
  });

  it("reads a cut gzip file up to the cut, as a truncated log", async () => {
    const gz = gzipSync(readFileSync(GOOD_PATH));
    const cut = tempFile("cut.ndjson.gz", gz.subarray(0, Math.floor(gz.length * 0.8)));
    const { events, diagnostics } = await collectLog(cut, { lenient: false });
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(GOOD_LINES);
    expect(diagnostics.map((d) => d.code)).toEqual(["truncated-last-line", "no-end-record"]);
  });

  it("refuses a corrupt middle line naming file and line, and skips it when lenient", async () => {
    const path = samplePath("invalid/corrupt-middle-line.ndjson");
    const error = await collectLog(path, { lenient: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogFormatError);
    expect(error).toMatchObject({ code: "corrupt-line", file: path, line: 7 });
    const lenient = await collectLog(path, { lenient: true });
    expect(lenient.events).toHaveLength(GOOD_LINES);
    expect(lenient.diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([["corrupt-line", "warning", 7]]);
  });

  it("refuses an unknown major version", async () => {
    const error = await collectLog(samplePath("invalid/unknown-major-version.ndjson"), { lenient: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "unknown-major-version", line: 1 });
  });

  it("reads stdin for -, plain or gzip, in small chunks, naming it <stdin>", async () => {
    const plain = await collectLog(GOOD_PATH, { lenient: false });
    for (const bytes of [GOOD, gzipSync(GOOD)]) {
      const fromStdin = await collectLog("-", { lenient: false, stdin: chunked(bytes) });
      expect(fromStdin).toEqual(plain);
    }
    const cut = await collectLog("-", { lenient: false, stdin: chunked(GOOD.subarray(0, 100), 1) }).catch((e: unknown) => e);
    expect(cut).toMatchObject({ code: "empty-log", file: "<stdin>" });
  });

  it("refuses an empty file, saying it is empty", async () => {
    const { lines, end } = await allLines(tempFile("empty.ndjson", ""));
    expect(lines).toEqual([]);
    expect(end).toEqual({ lastLineHadNewline: true });
    const error = await collectLog(join(dir, "empty.ndjson"), { lenient: false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "empty-log", message: expect.stringContaining("the file is empty") });
  });

  it("rejects a missing file with the system's error", async () => {
    await expect(collectLog(join(dir, "nope.ndjson"), { lenient: false })).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("passes on a read error in mid-stream, plain or gzip, instead of hanging", async () => {
    for (const bytes of [GOOD, gzipSync(GOOD)]) {
      const failing = new Readable({ read() {} });
      failing.push(bytes.subarray(0, 300));
      setTimeout(() => failing.destroy(new Error("simulated EIO")), 10);
      await expect(collectLog("-", { lenient: false, stdin: failing })).rejects.toThrow("simulated EIO");
    }
  });

  it("stops cleanly when the consumer stops early", async () => {
    const seen: string[] = [];
    for await (const event of readLog(GOOD_PATH, { lenient: false })) {
      seen.push(event.kind);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(["header", "note"]);
  });
});
