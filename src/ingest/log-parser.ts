// The state machine over a whole log: header first, strict or lenient, counted
// diagnostics, and what a cut recording looks like. One line at a time
// (parseLogLine reads each); the edge (pipelines/read-log.ts) feeds it.

import type { Diagnostic, DiagnosticCode, Severity } from "../model/diagnostic.js";
import type { LogEvent } from "../model/server-events.js";
import { describeForeignFirstLine } from "./foreign-file.js";
import { isBlank, parseLogLine, type LineOutcome } from "./parse-line.js";
import { LogFormatError } from "./log-format-error.js";
import * as say from "./messages.js";
import { ProgressStateDelta } from "./progress-state-delta.js";
import type { LineProblem } from "./shape.js";

export interface LogParserOptions {
  /** How the user named the file ("<stdin>" for -); goes into every diagnostic. */
  fileName: string;
  /** Skip corrupt and malformed lines with a warning instead of refusing the log. */
  lenient: boolean;
  /** Also hand out WebSocket messages the analysis cannot use (as `unknown`): replay sends everything the server sent. */
  keepUnusableMessages?: boolean;
  /**
   * false: a WebSocket event's `raw` (the message as recorded) may be null, which lets a cumulative
   * `progress_state` message be read from what it adds to the one before (progress-state-delta.ts;
   * ~90 % of a log's bytes). For readers that use only the typed event (analyze, trend, compare,
   * export); true by default (replay sends the messages as recorded).
   */
  rawMessages?: boolean;
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
export class LogLineParser implements LogParser {
  private readonly file: string;
  private readonly lenient: boolean;
  private readonly keepUnusable: boolean;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly tallies = new Map<string, Tally>();
  private pendingCorrupt: { lineNo: number; jsonError: string } | null = null;
  private lastLineNo = 0;
  private recordCount = 0;
  private eventCount = 0;
  private headerSeen = false;
  private newerMinor = false;
  private fromProbe = false;
  private ended = false;
  private finished = false;
  private firstLineChecked = false;
  private skippedLines = 0;
  private readonly delta: ProgressStateDelta | null;

  constructor(options: LogParserOptions) {
    this.file = options.fileName;
    this.lenient = options.lenient;
    this.keepUnusable = options.keepUnusableMessages ?? false;
    this.delta = options.rawMessages === false ? new ProgressStateDelta() : null;
  }

  push(text: string, lineNo: number): LogEvent | null {
    if (this.finished) throw new Error("LogLineParser: push() after finish()");
    this.lastLineNo = lineNo;
    if (!this.firstLineChecked && !isBlank(text)) {
      this.firstLineChecked = true;
      const foreign = describeForeignFirstLine(text);
      if (foreign !== null) this.refuse("not-an-event-log", say.notAnEventLog(lineNo, foreign), lineNo);
    }
    const quick = this.delta !== null && this.headerSeen ? this.delta.tryParse(text, lineNo) : null;
    if (quick !== null) {
      this.settlePendingCorrupt(false);
      return this.accept(quick);
    }
    const outcome = parseLogLine(text, lineNo);
    if (outcome.status === "blank") return null;
    this.settlePendingCorrupt(false);
    switch (outcome.status) {
      case "problem":
        if (outcome.problem.code === "corrupt-line") this.pendingCorrupt = { lineNo, jsonError: outcome.problem.jsonError };
        else this.reject(outcome.problem, lineNo);
        return null;
      case "header":
        return this.acceptHeader(outcome, lineNo);
      case "unknown-kind":
        this.countRecord(outcome.lineKind, lineNo);
        this.tally("unknown-line-kind", outcome.lineKind, lineNo);
        return null;
      case "unknown-note":
        this.countRecord("note", lineNo);
        this.tally("unknown-note-kind", outcome.note, lineNo);
        return null;
      case "invalid-ws-message":
        this.countRecord("ws", lineNo);
        this.tally("invalid-ws-message", outcome.messageType, lineNo, outcome.detail);
        return this.keepUnusable ? outcome.event : null;
      case "event":
        if (this.delta !== null && outcome.event.kind === "ws") this.delta.remember(text, outcome.event);
        return this.accept(outcome.event);
    }
  }

  finish({ lastLineHadNewline }: LogEnd): LogParseSummary {
    if (this.finished) throw new Error("LogLineParser: finish() called twice");
    this.finished = true;
    const pendingIsLast = this.pendingCorrupt !== null && this.pendingCorrupt.lineNo === this.lastLineNo && !lastLineHadNewline;
    this.settlePendingCorrupt(pendingIsLast);
    for (const t of this.tallies.values()) this.diagnostics.push(this.tallyDiagnostic(t));
    if (this.recordCount === 0) this.refuse("empty-log", say.emptyLog(this.lastLineNo, this.skippedLines));
    else if (!this.ended) this.report("no-end-record", "warning", (this.fromProbe ? say.noEndRecordProbe : say.noEndRecord)(this.lastLineNo), this.lastLineNo);
    // Stable sort: line order, file-wide diagnostics last.
    this.diagnostics.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    return { diagnostics: this.diagnostics, lineCount: this.lastLineNo, eventCount: this.eventCount };
  }

  private report(code: DiagnosticCode, severity: Severity, message: string, line?: number): void {
    const file = this.file;
    this.diagnostics.push(line === undefined ? { code, severity, file, message } : { code, severity, file, line, message });
  }

  private refuse(code: DiagnosticCode, message: string, line?: number): never {
    const file = this.file;
    throw new LogFormatError(line === undefined ? { code, severity: "error", file, message } : { code, severity: "error", file, line, message });
  }

  /** Strict: refuse the log. Lenient: warn and go on. */
  private refuseUnlessLenient(code: DiagnosticCode, line: number, sentence: (lenient: boolean) => string): void {
    if (!this.lenient) this.refuse(code, sentence(false), line);
    if (code !== "missing-header") this.skippedLines += 1;
    this.report(code, "warning", sentence(true), line);
  }

  private reject(problem: LineProblem, line: number): void {
    switch (problem.code) {
      case "corrupt-line":
        return this.refuseUnlessLenient(problem.code, line, (skip) => say.corruptLine(line, problem.jsonError, skip));
      case "not-json-object":
        return this.refuseUnlessLenient(problem.code, line, (skip) => say.notJsonObject(line, problem.got, skip));
      case "invalid-line-shape":
        // A malformed header still counts as the header: no missing-header on top.
        if (problem.lineKind === "header") this.headerSeen = true;
        return this.refuseUnlessLenient(problem.code, line, (skip) => say.invalidLineShape(line, problem.lineKind, problem.detail, skip));
      case "unknown-format":
        return this.refuse(problem.code, say.unknownFormat(line, problem.format), line);
      case "unknown-major-version":
        return this.refuse(problem.code, say.unknownMajorVersion(line, problem.version), line);
    }
  }

  private tally(code: CountedCode, name: string, line: number, detail = ""): void {
    const key = `${code}\u0000${name}`;
    const known = this.tallies.get(key);
    if (known) known.count += 1;
    else this.tallies.set(key, { code, name, count: 1, firstLine: line, detail });
  }

  /** Every usable non-header line: the first one decides that the header is missing. */
  private countRecord(lineKind: string, line: number): void {
    if (!this.headerSeen) {
      this.headerSeen = true;
      this.refuseUnlessLenient("missing-header", line, (assume) => say.missingHeader(line, lineKind, assume));
    }
    this.recordCount += 1;
  }

  private settlePendingCorrupt(isLastLine: boolean): void {
    if (this.pendingCorrupt === null) return;
    const { lineNo, jsonError } = this.pendingCorrupt;
    this.pendingCorrupt = null;
    if (isLastLine) this.report("truncated-last-line", "warning", say.truncatedLastLine(lineNo), lineNo);
    else this.reject({ code: "corrupt-line", jsonError }, lineNo);
  }

  private accept(event: LogEvent): LogEvent {
    this.countRecord(event.kind, event.lineNo);
    if (event.kind === "end") this.ended = true;
    if (event.kind === "ws" && event.event.type === "unknown") this.tally("unknown-ws-message-type", event.event.messageType, event.lineNo);
    this.eventCount += 1;
    return event;
  }

  private acceptHeader(outcome: Extract<LineOutcome, { status: "header" }>, line: number): LogEvent | null {
    if (this.headerSeen) {
      this.refuseUnlessLenient("header-not-first", line, (skip) => say.headerNotFirst(line, skip));
      return null;
    }
    this.headerSeen = true;
    this.fromProbe = outcome.header.source === "probe";
    this.recordCount += 1;
    if (outcome.newerMinor) {
      this.newerMinor = true;
      this.report("newer-minor-version", "warning", say.newerMinorVersion(line, outcome.header.version), line);
    }
    this.eventCount += 1;
    return outcome.header;
  }

  private tallyDiagnostic(t: Tally): Diagnostic {
    const base = { code: t.code, file: this.file, line: t.firstLine, count: t.count };
    switch (t.code) {
      case "unknown-line-kind":
        // Expected from a newer minor (already warned about); a surprise otherwise.
        return { ...base, severity: this.newerMinor ? "info" : "warning", message: say.unknownLineKind(t.name, t.count, t.firstLine) };
      case "unknown-note-kind":
        return { ...base, severity: this.newerMinor ? "info" : "warning", message: say.unknownNoteKind(t.name, t.count, t.firstLine) };
      case "unknown-ws-message-type":
        return { ...base, severity: "info", message: say.unknownWsMessageType(t.name, t.count, t.firstLine) };
      case "invalid-ws-message":
        return { ...base, severity: "warning", message: say.invalidWsMessage(t.name, t.detail, t.count, t.firstLine) };
    }
  }
}
