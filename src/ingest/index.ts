// Ingest: log lines → typed LogEvents plus diagnostics. `parseLogLine` is the
// one dispatcher (which parser reads which line); `createLogParser` is the
// state machine over a whole log (header first, strict or lenient, counting,
// what a cut recording looks like). Pure: lines in, values out; the edge
// (pipelines/read-log.ts) reads files and prints.

import type { Diagnostic, DiagnosticCode, Severity } from "../model/diagnostic.js";
import type { HeaderEvent, LogEvent } from "../model/server-events.js";
import { LogFormatError } from "./log-format-error.js";
import { parseHeader, type LogVersion } from "./header.js";
import { isRecordedKind, parseRecordedLine, type RecordedOutcome } from "./log-line.js";
import * as say from "./messages.js";
import { describeJson, isObject, type LineProblem } from "./shape.js";
import { describeForeignFirstLine } from "./foreign-file.js";

export { LogFormatError } from "./log-format-error.js";
export { checkLogVersion, parseHeader, type LogVersion, type VersionCheck } from "./header.js";
export { parseWsMessage } from "./ws-message.js";

export type LineOutcome =
  | { status: "blank" }
  | { status: "header"; header: HeaderEvent; version: LogVersion; newerMinor: boolean }
  /** A JSON object whose `kind` this reader does not know. */
  | { status: "unknown-kind"; lineKind: string }
  | RecordedOutcome;

const isBlank = (text: string): boolean => text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === "");

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

export interface LogParserOptions {
  /** How the user named the file ("<stdin>" for -); goes into every diagnostic. */
  fileName: string;
  /** Skip corrupt and malformed lines with a warning instead of refusing the log. */
  lenient: boolean;
}

export interface LogEnd {
  /** Whether the last line read ended with a line break: a cut recording's last line does not. */
  lastLineHadNewline: boolean;
}

export interface LogParseSummary {
  /** In line order; file-wide ones (no line) last. */
  diagnostics: Diagnostic[];
  /** Lines read, blank ones included. */
  lineCount: number;
  /** LogEvents handed out. */
  eventCount: number;
}

export interface LogParser {
  /** The event for this line, or null when the line gives none. Throws LogFormatError to refuse the log. */
  push(text: string, lineNo: number): LogEvent | null;
  /** After the last line: settles the last line, counts, and says whether the recording was cut. */
  finish(end: LogEnd): LogParseSummary;
}

/** Codes reported once per name with a count, e.g. one unknown-ws-message-type per message type. */
type CountedCode = "unknown-line-kind" | "unknown-note-kind" | "unknown-ws-message-type" | "invalid-ws-message";

interface Tally {
  code: CountedCode;
  name: string;
  count: number;
  firstLine: number;
  /** What was wrong the first time (invalid-ws-message). */
  detail: string;
}

/**
 * A corrupt line is settled only when the next line comes: if there is none
 * and the line had no line break, it is a cut recording's last line (a
 * warning), else a corrupt line (an error, or a warning with --lenient).
 */
export function createLogParser(options: LogParserOptions): LogParser {
  const { fileName: file, lenient } = options;
  const diagnostics: Diagnostic[] = [];
  const tallies = new Map<string, Tally>();
  let pendingCorrupt: { lineNo: number; jsonError: string } | null = null;
  let lastLineNo = 0;
  let recordCount = 0;
  let eventCount = 0;
  let headerSeen = false;
  let newerMinor = false;
  let ended = false;
  let finished = false;
  let firstLineChecked = false;
  let skippedLines = 0;

  const report = (code: DiagnosticCode, severity: Severity, message: string, line?: number): void => {
    diagnostics.push(line === undefined ? { code, severity, file, message } : { code, severity, file, line, message });
  };

  const refuse = (code: DiagnosticCode, message: string, line?: number): never => {
    throw new LogFormatError(line === undefined ? { code, severity: "error", file, message } : { code, severity: "error", file, line, message });
  };

  /** Strict: refuse the log. Lenient: warn and go on. */
  const refuseUnlessLenient = (code: DiagnosticCode, line: number, sentence: (lenient: boolean) => string): void => {
    if (!lenient) refuse(code, sentence(false), line);
    if (code !== "missing-header") skippedLines += 1;
    report(code, "warning", sentence(true), line);
  };

  const reject = (problem: LineProblem, line: number): void => {
    switch (problem.code) {
      case "corrupt-line":
        return refuseUnlessLenient(problem.code, line, (skip) => say.corruptLine(line, problem.jsonError, skip));
      case "not-json-object":
        return refuseUnlessLenient(problem.code, line, (skip) => say.notJsonObject(line, problem.got, skip));
      case "invalid-line-shape":
        // A malformed header still counts as the header: no missing-header on top.
        if (problem.lineKind === "header") headerSeen = true;
        return refuseUnlessLenient(problem.code, line, (skip) => say.invalidLineShape(line, problem.lineKind, problem.detail, skip));
      case "unknown-format":
        return refuse(problem.code, say.unknownFormat(line, problem.format), line);
      case "unknown-major-version":
        return refuse(problem.code, say.unknownMajorVersion(line, problem.version), line);
    }
  };

  const tally = (code: CountedCode, name: string, line: number, detail = ""): void => {
    const key = `${code}\u0000${name}`;
    const known = tallies.get(key);
    if (known) known.count += 1;
    else tallies.set(key, { code, name, count: 1, firstLine: line, detail });
  };

  /** Every usable non-header line: the first one decides that the header is missing. */
  const countRecord = (lineKind: string, line: number): void => {
    if (!headerSeen) {
      headerSeen = true;
      refuseUnlessLenient("missing-header", line, (assume) => say.missingHeader(line, lineKind, assume));
    }
    recordCount += 1;
  };

  const settlePendingCorrupt = (isLastLine: boolean): void => {
    if (pendingCorrupt === null) return;
    const { lineNo, jsonError } = pendingCorrupt;
    pendingCorrupt = null;
    if (isLastLine) report("truncated-last-line", "warning", say.truncatedLastLine(lineNo), lineNo);
    else reject({ code: "corrupt-line", jsonError }, lineNo);
  };

  const accept = (event: LogEvent): LogEvent => {
    countRecord(event.kind, event.lineNo);
    if (event.kind === "end") ended = true;
    if (event.kind === "ws" && event.event.type === "unknown") tally("unknown-ws-message-type", event.event.messageType, event.lineNo);
    eventCount += 1;
    return event;
  };

  const acceptHeader = (outcome: Extract<LineOutcome, { status: "header" }>, line: number): LogEvent | null => {
    if (headerSeen) {
      refuseUnlessLenient("header-not-first", line, (skip) => say.headerNotFirst(line, skip));
      return null;
    }
    headerSeen = true;
    recordCount += 1;
    if (outcome.newerMinor) {
      newerMinor = true;
      report("newer-minor-version", "warning", say.newerMinorVersion(line, outcome.header.version), line);
    }
    eventCount += 1;
    return outcome.header;
  };

  const tallyDiagnostic = (t: Tally): Diagnostic => {
    const base = { code: t.code, file, line: t.firstLine, count: t.count };
    switch (t.code) {
      case "unknown-line-kind":
        // Expected from a newer minor (already warned about); a surprise otherwise.
        return { ...base, severity: newerMinor ? "info" : "warning", message: say.unknownLineKind(t.name, t.count, t.firstLine) };
      case "unknown-note-kind":
        return { ...base, severity: newerMinor ? "info" : "warning", message: say.unknownNoteKind(t.name, t.count, t.firstLine) };
      case "unknown-ws-message-type":
        return { ...base, severity: "info", message: say.unknownWsMessageType(t.name, t.count, t.firstLine) };
      case "invalid-ws-message":
        return { ...base, severity: "warning", message: say.invalidWsMessage(t.name, t.detail, t.count, t.firstLine) };
    }
  };

  return {
    push(text, lineNo) {
      if (finished) throw new Error("createLogParser: push() after finish()");
      lastLineNo = lineNo;
      if (!firstLineChecked && !isBlank(text)) {
        firstLineChecked = true;
        const foreign = describeForeignFirstLine(text);
        if (foreign !== null) refuse("not-an-event-log", say.notAnEventLog(lineNo, foreign), lineNo);
      }
      const outcome = parseLogLine(text, lineNo);
      if (outcome.status === "blank") return null;
      settlePendingCorrupt(false);
      switch (outcome.status) {
        case "problem":
          if (outcome.problem.code === "corrupt-line") pendingCorrupt = { lineNo, jsonError: outcome.problem.jsonError };
          else reject(outcome.problem, lineNo);
          return null;
        case "header":
          return acceptHeader(outcome, lineNo);
        case "unknown-kind":
          countRecord(outcome.lineKind, lineNo);
          tally("unknown-line-kind", outcome.lineKind, lineNo);
          return null;
        case "unknown-note":
          countRecord("note", lineNo);
          tally("unknown-note-kind", outcome.note, lineNo);
          return null;
        case "invalid-ws-message":
          countRecord("ws", lineNo);
          tally("invalid-ws-message", outcome.messageType, lineNo, outcome.detail);
          return null;
        case "event":
          return accept(outcome.event);
      }
    },

    finish({ lastLineHadNewline }) {
      if (finished) throw new Error("createLogParser: finish() called twice");
      finished = true;
      const pendingIsLast = pendingCorrupt !== null && pendingCorrupt.lineNo === lastLineNo && !lastLineHadNewline;
      settlePendingCorrupt(pendingIsLast);
      for (const t of tallies.values()) diagnostics.push(tallyDiagnostic(t));
      if (recordCount === 0) refuse("empty-log", say.emptyLog(lastLineNo, skippedLines));
      else if (!ended) report("no-end-record", "warning", say.noEndRecord(lastLineNo), lastLineNo);
      // Stable sort: line order, file-wide diagnostics last.
      diagnostics.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
      return { diagnostics, lineCount: lastLineNo, eventCount };
    },
  };
}
