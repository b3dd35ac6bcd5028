// The probe's line kinds (format 1.2) through the one dispatcher: what each becomes.

import { describe, expect, it } from "vitest";
import { parseLogLine } from "../../src/ingest/parse-line.js";
import { createLogParser } from "../../src/ingest/index.js";
import { ProbeLog, probeHeader } from "../support/probe-log.js";

const stamp = { wallMs: 1_767_225_600_010.5, monoMs: 10.25 };
const line = (fields: Record<string, unknown>) => JSON.stringify({ ...stamp, ...fields });

describe("ingest/log-line: probe lines", () => {
  it("reads a sent message as the server event a recorder's ws line gives, with the client it went to", () => {
    const msg = { type: "executing", data: { node: "4", display_node: "4", prompt_id: "p1" } };
    expect(parseLogLine(line({ kind: "sent", sid: "gateway-1", msg }), 7)).toEqual({
      status: "event",
      event: { kind: "ws", lineNo: 7, ...stamp, sid: "gateway-1", raw: msg, event: { type: "executing", promptId: "p1", nodeId: "4", displayNodeId: "4" } },
    });
    const broadcast = parseLogLine(line({ kind: "sent", sid: null, msg: { type: "status", data: { status: { exec_info: { queue_remaining: 2 } } } } }), 8);
    expect(broadcast).toMatchObject({ status: "event", event: { sid: null, event: { type: "status", queueRemaining: 2 } } });
  });

  it("hands on the prompt line and a binary frame's summary as written", () => {
    const prompt = { kind: "prompt", promptId: "p1", number: 3, clientId: "c", prompt: { "1": { class_type: "EmptyImage", inputs: {} } }, outputsToExecute: ["1"], createTimeMs: 1_767_225_600_000 };
    expect(parseLogLine(line(prompt), 2)).toEqual({ status: "event", event: { ...prompt, ...stamp, lineNo: 2 } });
    const binary = { kind: "sent-binary", sid: "c", eventType: 1, bytes: null, imageFormat: 1, nodeId: null, meta: null };
    expect(parseLogLine(line(binary), 3)).toEqual({ status: "event", event: { ...binary, ...stamp, lineNo: 3 } });
  });

  it("reads the server's own output as log entries", () => {
    const entries = [{ t: "2026-11-30T12:00:00.000123", m: "got prompt\n" }, { t: 5, m: "no time" }];
    expect(parseLogLine(line({ kind: "server-log", entries }), 6)).toEqual({
      status: "event",
      event: { kind: "server-log", lineNo: 6, ...stamp, entries: [{ localTime: "2026-11-30T12:00:00.000123", text: "got prompt\n" }, { localTime: null, text: "no time" }] },
    });
  });

  it("names the field a probe line lacks", () => {
    expect(parseLogLine(line({ kind: "sent", msg: {} }), 4)).toEqual({
      status: "problem",
      problem: { code: "invalid-line-shape", lineKind: "sent", detail: '"sid" is missing' },
    });
    expect(parseLogLine(line({ kind: "prompt", promptId: "p", number: 1, clientId: null, prompt: {}, outputsToExecute: "1", createTimeMs: null }), 5)).toMatchObject({
      problem: { lineKind: "prompt", detail: '"outputsToExecute" should be an array or null, not a string' },
    });
  });

  it("reads a whole probe log without a diagnostic, and warns of nothing but a missing end while the server still writes it", () => {
    const log = new ProbeLog().start(0, "p1").running(1, "p1", "1").finished(2, "p1", "1").success(3, "p1").done(3.5, "p1");
    const parser = createLogParser({ fileName: "probe.ndjson", lenient: false });
    log.text().split("\n").forEach((l, i) => parser.push(l, i + 1));
    const { diagnostics } = parser.finish({ lastLineHadNewline: true });
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([["no-end-record", expect.stringContaining("its server is still running")]]);
    const ended = createLogParser({ fileName: "probe.ndjson", lenient: false });
    log.end(4).text().split("\n").forEach((l, i) => ended.push(l, i + 1));
    expect(ended.finish({ lastLineHadNewline: true }).diagnostics).toEqual([]);
  });

  it("reads a probe header, and refuses one without its server", () => {
    expect(parseLogLine(JSON.stringify(probeHeader()), 1)).toMatchObject({ status: "header", version: { major: 1, minor: 2 }, header: { source: "probe", server: { port: 8188 } } });
    expect(parseLogLine(JSON.stringify(probeHeader({ server: { hostname: "h" } })), 1)).toEqual({
      status: "problem",
      problem: { code: "invalid-line-shape", lineKind: "header", detail: '"server.pid" is missing' },
    });
    expect(parseLogLine(JSON.stringify(probeHeader({ source: "gateway" })), 1)).toMatchObject({
      problem: { detail: '"source" should be "recorder" or "probe", not "gateway"' },
    });
  });
});
