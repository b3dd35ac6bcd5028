// Every line kind but the header: check the fields v1 requires (the same ones
// src/model/event-log-schema.ts requires) and hand the line on with its line
// number. `ws` lines, and the probe's `sent` lines, get their message parsed
// (ws-message.ts) into the same event: what differs is whose clock stamped it,
// which the header says (`source`). Fields a newer
// minor adds are kept as they are; a note kind we do not know is reported, not
// passed on as a NoteKind it is not.

import { CACHE_STATES, END_REASONS, NONCE_METHODS, NOTE_KINDS, type HttpLine, type LogLineKind, type StatsLine } from "../model/events.js";
import type { LogEvent, WsEvent } from "../model/server-events.js";
import { fieldRules, findFieldProblem, oneOf, optional, required, STAMP_RULES, type FieldRules, type FieldRuleSpec, type JsonObject, type LineProblem } from "./shape.js";
import { parseLogEntries, parseWsMessage } from "./ws-message.js";
import { parseHttpExchange } from "./http-exchange.js";
import { parseSystemStats } from "./system-stats.js";

type RecordedKind = Exclude<LogLineKind, "header">;

const NULLABLE_STRING = required("string", "null");

/** The fields ingest requires of each line kind (a test holds them to events.ts and the published schema). */
export const RULE_SPECS: Record<RecordedKind, FieldRuleSpec> = {
  ws: { ...STAMP_RULES, msg: required("any") },
  "ws-invalid": { ...STAMP_RULES, text: required("string") },
  "ws-binary": {
    ...STAMP_RULES,
    eventType: required("integer", "null"),
    bytes: required("integer"),
    imageFormat: required("integer", "string", "null"),
    nodeId: required("string", "null"),
    meta: required("any"),
    base64: optional("string"),
  },
  http: {
    ...STAMP_RULES,
    method: required("string"),
    path: required("string"),
    sentMonoMs: required("number"),
    request: required("any"),
    status: required("integer", "null"),
    response: required("any"),
    error: required("string", "null"),
  },
  stats: {
    ...STAMP_RULES,
    sentMonoMs: required("number"),
    status: required("integer", "null"),
    response: required("any"),
    error: required("string", "null"),
  },
  note: {
    ...STAMP_RULES,
    note: required("string"),
    run: optional("integer"),
    promptId: optional("string"),
    warmup: optional("boolean"),
    cacheState: oneOf(CACHE_STATES, { optional: true }),
    nonceMethod: oneOf(NONCE_METHODS, { optional: true }),
    prompt: optional("object"),
    message: optional("string"),
  },
  end: {
    ...STAMP_RULES,
    reason: oneOf(END_REASONS),
    message: required("string", "null"),
    runsCompleted: required("integer"),
  },
  sent: { ...STAMP_RULES, sid: NULLABLE_STRING, msg: required("any") },
  "sent-binary": {
    ...STAMP_RULES,
    sid: NULLABLE_STRING,
    eventType: required("integer"),
    bytes: required("integer", "null"),
    imageFormat: required("integer", "string", "null"),
    nodeId: NULLABLE_STRING,
    meta: required("any"),
  },
  "server-log": { ...STAMP_RULES, entries: required("array") },
  prompt: {
    ...STAMP_RULES,
    promptId: required("string"),
    number: required("number", "null"),
    clientId: NULLABLE_STRING,
    prompt: required("object"),
    outputsToExecute: required("array", "null"),
    createTimeMs: required("number", "null"),
  },
};

const RULES = Object.fromEntries(
  Object.entries(RULE_SPECS).map(([kind, spec]) => [kind, fieldRules(spec)]),
) as Record<RecordedKind, FieldRules>;

export function isRecordedKind(kind: string): kind is RecordedKind {
  return Object.hasOwn(RULES, kind);
}

export type RecordedOutcome =
  | { status: "event"; event: LogEvent }
  | { status: "problem"; problem: LineProblem }
  /** A note line whose `note` this reader does not know. */
  | { status: "unknown-note"; note: string }
  /** A ws line whose message is of a known type but unusable. */
  | { status: "invalid-ws-message"; messageType: string; detail: string; event: WsEvent };

/** A probe's `sent` line says which client the message went to. */
function withSid(event: WsEvent, raw: JsonObject): WsEvent {
  if (raw.kind === "sent") event.sid = raw.sid as string | null;
  return event;
}

/** Parses a line of a known kind other than "header". `raw` is fresh from JSON.parse and is reused. */
export function parseRecordedLine(raw: JsonObject, kind: RecordedKind, lineNo: number): RecordedOutcome {
  const detail = findFieldProblem(raw, RULES[kind]);
  if (detail !== null) return { status: "problem", problem: { code: "invalid-line-shape", lineKind: kind, detail } };
  if (kind === "ws" || kind === "sent") {
    const parsed = parseWsMessage(raw.msg);
    const { wallMs, monoMs } = raw as { wallMs: number; monoMs: number };
    if (!parsed.ok) {
      // Unusable for the analysis, but what the server sent: a reader that replays it gets it as an unknown message.
      const event: WsEvent = { kind: "ws", lineNo, wallMs, monoMs, raw: raw.msg, event: { type: "unknown", messageType: parsed.messageType, data: raw.msg } };
      return { status: "invalid-ws-message", messageType: parsed.messageType, detail: parsed.detail, event: withSid(event, raw) };
    }
    return { status: "event", event: withSid({ kind: "ws", lineNo, wallMs, monoMs, event: parsed.event, raw: raw.msg }, raw) };
  }
  if (kind === "server-log") {
    const { wallMs, monoMs } = raw as { wallMs: number; monoMs: number };
    return { status: "event", event: { kind: "server-log", lineNo, wallMs, monoMs, entries: parseLogEntries(raw.entries) } };
  }
  if (kind === "http") return { status: "event", event: parseHttpExchange(raw as unknown as HttpLine, lineNo) };
  if (kind === "stats") return { status: "event", event: parseSystemStats(raw as unknown as StatsLine, lineNo) };
  if (kind === "note" && !(NOTE_KINDS as readonly string[]).includes(raw.note as string)) {
    return { status: "unknown-note", note: raw.note as string };
  }
  raw.lineNo = lineNo;
  return { status: "event", event: raw as unknown as LogEvent };
}
