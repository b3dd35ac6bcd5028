import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createLogParser, LogFormatError, parseLogLine } from "../../src/ingest/index.js";
import type { LogEvent } from "../../src/model/server-events.js";

const sample = (name: string): string => readFileSync(new URL(`../../samples/${name}`, import.meta.url), "utf8");

/** Feeds text to the parser as the reader would: split on "\n", noting whether the last line had one. */
function parseText(text: string, lenient = false) {
  const parser = createLogParser({ fileName: "run.ndjson", lenient });
  const lines = text.split("\n");
  const lastLineHadNewline = text.endsWith("\n") || text === "";
  if (lastLineHadNewline) lines.pop();
  const events: LogEvent[] = [];
  lines.forEach((line, i) => {
    const event = parser.push(line, i + 1);
    if (event !== null) events.push(event);
  });
  return { events, ...parser.finish({ lastLineHadNewline }) };
}

function refusal(run: () => unknown): LogFormatError {
  try {
    run();
  } catch (error) {
    if (error instanceof LogFormatError) return error;
    throw error;
  }
  throw new Error("expected a LogFormatError");
}

const codes = (result: { diagnostics: { code: string }[] }) => result.diagnostics.map((d) => d.code);
const GOOD = sample("v1/minimal-run.ndjson");
const GOOD_LINES = 25;

describe("ingest/index", () => {
  it("reads a good log into one event per line, header first and end last, without diagnostics", () => {
    const result = parseText(GOOD);
    expect(result.diagnostics).toEqual([]);
    expect(result.events).toHaveLength(GOOD_LINES);
    expect(result.lineCount).toBe(GOOD_LINES);
    expect(result.eventCount).toBe(GOOD_LINES);
    expect(result.events[0]).toMatchObject({ kind: "header", lineNo: 1, version: "1.0" });
    expect(result.events.at(-1)).toMatchObject({ kind: "end", lineNo: 25, reason: "done", runsCompleted: 1 });
    expect(result.events.map((e) => e.lineNo)).toEqual(Array.from({ length: GOOD_LINES }, (_, i) => i + 1));
  });

  it("hands on ws lines as typed server events with their receipt times", () => {
    const { events } = parseText(GOOD);
    const start = events.find((e) => e.kind === "ws" && e.event.type === "execution_start");
    expect(start).toEqual({
      kind: "ws",
      lineNo: 8,
      wallMs: 1767225600017.8,
      monoMs: 17.8,
      event: { type: "execution_start", promptId: "5f0c6e2a-0000-4000-8000-000000000001", serverWallMs: 1767225600016 },
      // The message as recorded, for replay to send again.
      raw: { type: "execution_start", data: { prompt_id: "5f0c6e2a-0000-4000-8000-000000000001", timestamp: 1767225600016 } },
    });
  });

  it("warns about a truncated last line and keeps every line before it", () => {
    const result = parseText(sample("invalid/truncated-last-line.ndjson"));
    // 19 whole lines, then the `executed` line cut after 70 characters.
    expect(result.events).toHaveLength(19);
    expect(codes(result)).toEqual(["truncated-last-line", "no-end-record"]);
    expect(result.diagnostics[0]).toMatchObject({ severity: "warning", file: "run.ndjson", line: 20 });
    expect(result.diagnostics[1]).toMatchObject({ severity: "warning", line: 20 });
  });

  it("warns the same about a truncated last line in lenient mode", () => {
    expect(codes(parseText(sample("invalid/truncated-last-line.ndjson"), true))).toEqual(["truncated-last-line", "no-end-record"]);
  });

  it("refuses a corrupt line in the middle, naming the line and the way out", () => {
    const error = refusal(() => parseText(sample("invalid/corrupt-middle-line.ndjson")));
    expect(error).toMatchObject({ code: "corrupt-line", file: "run.ndjson", line: 7 });
    expect(error.message).toMatch(/^run\.ndjson: line 7: .*--lenient/);
  });

  it("skips a corrupt line in the middle with a warning when lenient", () => {
    const result = parseText(sample("invalid/corrupt-middle-line.ndjson"), true);
    expect(result.events).toHaveLength(GOOD_LINES);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: "corrupt-line", severity: "warning", line: 7 });
  });

  it("takes a corrupt last line that ends with a line break for corruption, not a cut", () => {
    const text = `${GOOD}{"kind":"note",\n`;
    expect(refusal(() => parseText(text))).toMatchObject({ code: "corrupt-line", line: 26 });
  });

  it("accepts a last line without a line break when it is complete JSON", () => {
    const result = parseText(GOOD.slice(0, -1));
    expect(result.diagnostics).toEqual([]);
    expect(result.events).toHaveLength(GOOD_LINES);
  });

  it("reads lines ending in \\r (CRLF files) like plain ones", () => {
    const crlf = parseText(GOOD.replaceAll("\n", "\r\n"));
    expect(crlf.diagnostics).toEqual([]);
    expect(crlf.events).toEqual(parseText(GOOD).events);
  });

  it("skips blank lines silently", () => {
    const result = parseText(GOOD.replace("\n", "\n\n  \n") + "\n");
    expect(result.diagnostics).toEqual([]);
    expect(result.events).toHaveLength(GOOD_LINES);
  });

  it("refuses an unknown major version, even when lenient", () => {
    const text = sample("invalid/unknown-major-version.ndjson");
    for (const lenient of [false, true]) {
      const error = refusal(() => parseText(text, lenient));
      expect(error).toMatchObject({ code: "unknown-major-version", line: 1 });
      expect(error.message).toContain("2.0");
    }
  });

  it("refuses a header of another format", () => {
    const text = GOOD.replace('"format":"comfyprof-events"', '"format":"chrome-trace"');
    expect(refusal(() => parseText(text, true))).toMatchObject({ code: "unknown-format", line: 1 });
  });

  it("reads a newer minor version with a warning, counting the line kinds and notes it does not know", () => {
    const result = parseText(sample("invalid/newer-minor-version.ndjson"));
    expect(result.events).toHaveLength(GOOD_LINES);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: "newer-minor-version", severity: "warning", line: 1 }),
      expect.objectContaining({ code: "unknown-line-kind", severity: "info", line: 11, count: 3 }),
      expect.objectContaining({ code: "unknown-note-kind", severity: "info", line: 12, count: 1 }),
    ]);
    expect(result.diagnostics[1]!.message).toContain('"gpu-sample"');
  });

  it("reads an older minor version silently", () => {
    const older = parseText(GOOD.replace('"version":"1.0"', '"version":"1.00"'));
    expect(older.diagnostics).toEqual([]);
  });

  it("warns about an unknown line kind in a log of this minor version", () => {
    const text = GOOD.replace("\n", '\n{"kind":"mystery","wallMs":1,"monoMs":1}\n');
    const result = parseText(text);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "unknown-line-kind", severity: "warning", line: 2, count: 1 })]);
  });

  it("refuses a log without a header, or reads it as v1 with a warning when lenient", () => {
    const text = sample("invalid/missing-header.ndjson");
    expect(refusal(() => parseText(text))).toMatchObject({ code: "missing-header", line: 1 });
    const result = parseText(text, true);
    expect(result.events).toHaveLength(GOOD_LINES - 1);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "missing-header", severity: "warning", line: 1 })]);
  });

  it("refuses a second header (two logs concatenated), or skips it when lenient", () => {
    const text = sample("invalid/concatenated-logs.ndjson");
    expect(refusal(() => parseText(text))).toMatchObject({ code: "header-not-first", line: 26 });
    const result = parseText(text, true);
    expect(result.events).toHaveLength(2 * GOOD_LINES - 1);
    expect(codes(result)).toEqual(["header-not-first"]);
  });

  it("refuses a known line kind missing a required field, naming the field, or skips it when lenient", () => {
    const text = sample("invalid/malformed-http-line.ndjson");
    const error = refusal(() => parseText(text));
    expect(error).toMatchObject({ code: "invalid-line-shape", line: 9 });
    expect(error.message).toContain('"request" is missing');
    const result = parseText(text, true);
    expect(result.events).toHaveLength(GOOD_LINES);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "invalid-line-shape", severity: "warning", line: 9 })]);
  });

  it("refuses a header missing a v1 field", () => {
    const text = GOOD.replace('"label":null', '"labelle":null');
    const error = refusal(() => parseText(text));
    expect(error).toMatchObject({ code: "invalid-line-shape", line: 1 });
    expect(error.message).toContain('"label" is missing');
  });

  it("refuses JSON that is not an object, or skips it when lenient", () => {
    const text = GOOD.replace("\n", "\n[1,2]\n");
    expect(refusal(() => parseText(text))).toMatchObject({ code: "not-json-object", line: 2 });
    expect(parseText(text, true).diagnostics).toEqual([expect.objectContaining({ code: "not-json-object", line: 2 })]);
  });

  it("passes unknown ws message types on as `unknown` and counts them, one info per type", () => {
    const result = parseText(sample("v1/extension-messages.ndjson"));
    expect(result.events).toHaveLength(31);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: "unknown-ws-message-type", severity: "info", line: 13, count: 3 }),
      expect.objectContaining({ code: "unknown-ws-message-type", severity: "info", line: 15, count: 1 }),
    ]);
    expect(result.diagnostics[0]!.message).toContain('"my_ext.heartbeat"');
    const monitor = result.events.find((e) => e.kind === "ws" && e.event.type === "crystools.monitor");
    expect(monitor).toMatchObject({ lineNo: 12, event: { cpuPercent: 12.5, hddTotalBytes: null, deviceType: "cpu" } });
  });

  it("skips a known ws message missing what it needs and counts it per type", () => {
    const bad = '{"kind":"ws","wallMs":1,"monoMs":1,"msg":{"type":"execution_start","data":{"timestamp":5}}}';
    const result = parseText(GOOD.replace("\n", `\n${bad}\n${bad}\n`));
    expect(result.events).toHaveLength(GOOD_LINES);
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "invalid-ws-message", severity: "warning", line: 2, count: 2 })]);
    expect(result.diagnostics[0]!.message).toContain('"prompt_id" is missing');
  });

  it("refuses an empty log, with or without --lenient", () => {
    for (const text of ["", "\n\n"]) {
      for (const lenient of [false, true]) expect(refusal(() => parseText(text, lenient)).code).toBe("empty-log");
    }
  });

  it("refuses a log cut inside its header: nothing is left to read", () => {
    expect(refusal(() => parseText(GOOD.slice(0, 50))).message).toContain("cut inside its first line");
  });

  it("refuses with --lenient a file whose every line is skipped, saying it is not a log", () => {
    const error = refusal(() => parseText("not json\nnor this\n", true));
    expect(error.code).toBe("empty-log");
    expect(error.message).toContain("none of its 2 lines is a comfyprof record (2 skipped with --lenient)");
  });

  it("says a JSON document, a workflow or binary data is not an event log, even with --lenient", () => {
    const cases: [string, string][] = [
      ['[{"kind":"header"}]\n', "a JSON document"],
      ['{\n  "3": {"class_type": "KSampler"}\n}\n', "a JSON document"],
      ['{"3":{"class_type":"KSampler","inputs":{}}}\n', "a ComfyUI workflow (API format)"],
      ['{"nodes":[],"links":[]}\n', "a ComfyUI workflow (editor format)"],
      ["\u0000\u0001\ufffd\n", "binary data"],
    ];
    for (const [text, what] of cases) {
      for (const lenient of [false, true]) {
        const error = refusal(() => parseText(text, lenient));
        expect(error).toMatchObject({ code: "not-an-event-log", line: 1 });
        expect(error.message).toContain(`line 1: this is ${what}`);
      }
    }
    expect(refusal(() => parseText('{"3":{"class_type":"KSampler"}}\n')).message).toContain("comfyprof record --workflow");
  });
});

describe("ingest/index parseLogLine", () => {
  it("tells blank, corrupt and unknown-kind lines apart", () => {
    expect(parseLogLine("   ", 3)).toEqual({ status: "blank" });
    expect(parseLogLine('{"kind":', 3)).toMatchObject({ status: "problem", problem: { code: "corrupt-line" } });
    expect(parseLogLine('{"kind":"later"}', 3)).toEqual({ status: "unknown-kind", lineKind: "later" });
    expect(parseLogLine('{"wallMs":1}', 3)).toMatchObject({ status: "problem", problem: { code: "invalid-line-shape", lineKind: "" } });
  });
});
