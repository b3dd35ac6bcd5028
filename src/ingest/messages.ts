// Every sentence the ingest layer says, one function per situation (as
// Vega-Lite's src/log/message.ts). Each says where (the line), what, and what
// was done. The file name is not in the sentence: it is the diagnostic's
// `file`, and pipelines/ prints it in front.

import { LOG_FORMAT, LOG_VERSION, LOG_VERSION_STRING } from "../model/events.js";

const LENIENT_HINT = "use --lenient to skip it";

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

const counted = (count: number, firstLine: number, what: string): string =>
  count === 1 ? `1 ${what}` : `${plural(count, what)}, first at line ${firstLine}`;

export function truncatedLastLine(line: number): string {
  return `line ${line}: truncated JSON at end of file (the recording was cut); line ignored`;
}

export function corruptLine(line: number, jsonError: string, skipped: boolean): string {
  const what = `line ${line}: not valid JSON (${jsonError})`;
  return skipped ? `${what}; line skipped (--lenient)` : `${what}; ${LENIENT_HINT}`;
}

export function notJsonObject(line: number, got: string, skipped: boolean): string {
  const what = `line ${line}: a log line must be a JSON object, this is ${got}`;
  return skipped ? `${what}; line skipped (--lenient)` : `${what}; ${LENIENT_HINT}`;
}

export function invalidLineShape(line: number, lineKind: string, detail: string, skipped: boolean): string {
  const what = `line ${line}: malformed ${lineKind === "" ? "" : `"${lineKind}" `}line: ${detail}`;
  return skipped ? `${what}; line skipped (--lenient)` : `${what}; ${LENIENT_HINT}`;
}

export function missingHeader(line: number, lineKind: string, assumed: boolean): string {
  const what = `line ${line}: expected the log's header line first, found a "${lineKind}" line (is this a whole comfyprof recording?)`;
  return assumed
    ? `${what}; read as format ${LOG_VERSION_STRING} (--lenient)`
    : `${what}; use --lenient to read it as format ${LOG_VERSION_STRING} anyway`;
}

export function headerNotFirst(line: number, skipped: boolean): string {
  const what = `line ${line}: a second header line (were two logs concatenated?)`;
  return skipped
    ? `${what}; line skipped (--lenient)`
    : `${what}; analyze each recording as its own file, or ${LENIENT_HINT}`;
}

export function unknownFormat(line: number, format: unknown): string {
  return `line ${line}: header names format ${JSON.stringify(format) ?? "undefined"}, not "${LOG_FORMAT}": this is not a comfyprof event log; not read`;
}

export function unknownMajorVersion(line: number, version: string): string {
  const newer = Number.parseInt(version, 10) > LOG_VERSION.major;
  const fix = newer ? "upgrade comfyprof to analyze it" : "record it again with this comfyprof";
  return `line ${line}: log format version ${version} is not one this comfyprof reads (${LOG_VERSION.major}.x); ${fix}`;
}

export function newerMinorVersion(line: number, version: string): string {
  return `line ${line}: log format version ${version} is newer than this comfyprof knows (${LOG_VERSION_STRING}); read as ${LOG_VERSION_STRING}, newer parts skipped (upgrading comfyprof may show more)`;
}

export function unknownLineKind(lineKind: string, count: number, firstLine: number): string {
  return `line ${firstLine}: unknown line kind "${lineKind}" (${counted(count, firstLine, "line")}); skipped`;
}

export function unknownNoteKind(note: string, count: number, firstLine: number): string {
  return `line ${firstLine}: unknown note "${note}" (${counted(count, firstLine, "line")}); skipped`;
}

export function unknownWsMessageType(messageType: string, count: number, firstLine: number): string {
  const what = messageType === "" ? "WebSocket message without a type" : `WebSocket message type "${messageType}" not interpreted`;
  return `line ${firstLine}: ${what} (${counted(count, firstLine, "message")}); ignored`;
}

export function invalidWsMessage(messageType: string, detail: string, count: number, firstLine: number): string {
  return `line ${firstLine}: WebSocket "${messageType}" message unusable: ${detail} (${counted(count, firstLine, "message")}); skipped`;
}

export function noEndRecord(lastLine: number): string {
  return `line ${lastLine}: the log ends without an "end" line (the recording was cut); the last run may be incomplete`;
}

/** A probe's file has no end line while its server runs, and none after a SIGTERM or a crash. */
export function noEndRecordProbe(lastLine: number): string {
  return `line ${lastLine}: the probe's log ends without an "end" line (its server is still running, or stopped without a clean exit); a run still open then may be incomplete`;
}

export function emptyLog(lineCount: number, skipped: number): string {
  if (lineCount === 0) return "the file is empty: no records, nothing to analyze (did the recording write to another file?)";
  if (skipped > 0) return `none of its ${plural(lineCount, "line")} is a comfyprof record (${skipped} skipped with --lenient): this is not an event log; nothing to analyze`;
  return `no complete record in ${plural(lineCount, "line")}: the recording was cut inside its first line, or this is not an event log; nothing to analyze`;
}

export function notAnEventLog(line: number, what: string): string {
  const hint = what.includes("workflow")
    ? "to profile a workflow, record it first: comfyprof record --workflow <file> -o run.ndjson"
    : what.includes("JSON")
      ? "analyze reads the .ndjson logs that comfyprof record writes (one JSON object per line); workflows go to comfyprof record --workflow"
      : "analyze reads the .ndjson (or .ndjson.gz) logs that comfyprof record writes";
  return `line ${line}: this is ${what}, not an NDJSON event log; ${hint}`;
}
