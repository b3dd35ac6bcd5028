// The one dispatcher: a line of text → what it is. The header, every recorded
// line kind (log-line.ts, which hands ws messages to ws-message.ts, exchanges
// to http-exchange.ts and polls to system-stats.ts), or why it is not usable.

import type { HeaderEvent } from "../model/server-events.js";
import { parseHeader, type LogVersion } from "./header.js";
import { isRecordedKind, parseRecordedLine, type RecordedOutcome } from "./log-line.js";
import { describeJson, isObject } from "./shape.js";

export type LineOutcome =
  | { status: "blank" }
  | { status: "header"; header: HeaderEvent; version: LogVersion; newerMinor: boolean }
  /** A JSON object whose `kind` this reader does not know. */
  | { status: "unknown-kind"; lineKind: string }
  | RecordedOutcome;

export const isBlank = (text: string): boolean => text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === "");

/** Reads one line (without its line break; a trailing "\r" is fine) on its own. */
export function parseLogLine(text: string, lineNo: number): LineOutcome {
  if (isBlank(text)) return { status: "blank" };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { status: "problem", problem: { code: "corrupt-line", jsonError: (error as Error).message } };
  }
  if (!isObject(raw)) return { status: "problem", problem: { code: "not-json-object", got: describeJson(raw) } };
  const kind = raw.kind;
  if (typeof kind !== "string") {
    const detail = `"kind" should be a string, not ${describeJson(kind)}`;
    return { status: "problem", problem: { code: "invalid-line-shape", lineKind: "", detail } };
  }
  if (kind === "header") {
    const parsed = parseHeader(raw, lineNo);
    if (!parsed.ok) return { status: "problem", problem: parsed.problem };
    return { status: "header", header: parsed.header, version: parsed.version, newerMinor: parsed.newerMinor };
  }
  if (!isRecordedKind(kind)) return { status: "unknown-kind", lineKind: kind };
  return parseRecordedLine(raw, kind, lineNo);
}

