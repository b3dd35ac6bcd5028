// Diagnostics: what a layer noticed about the data, as values. The pure core
// returns them; only pipelines/ prints them. Every code is listed once, here,
// with what it means; the sentences live in each layer's messages.ts.
//
// To add a code: add one entry to DIAGNOSTIC_CODES under its layer's heading.

/** Every diagnostic code, with what it means. Keys are the codes. */
export const DIAGNOSTIC_CODES = {
  // ingest: reading the event log (src/ingest/)
  "truncated-last-line": "The last line is incomplete JSON without a newline: the recording was cut mid-write. The line is ignored.",
  "corrupt-line": "A line that is not valid JSON, before the last line. An error, or skipped with --lenient.",
  "not-json-object": "A line that is valid JSON but not an object. An error, or skipped with --lenient.",
  "missing-header": "The first record is not a header line. An error, or read as the current version with --lenient.",
  "header-not-first": "A header line after other records (e.g. two logs concatenated). An error, or skipped with --lenient.",
  "unknown-format": "The header names a format other than comfyprof-events: not our log. Always refused.",
  "unknown-major-version": "The header's major version is not one this reader knows. Always refused.",
  "newer-minor-version": "The header's minor version is newer than this reader's: read as ours, unknown parts skipped.",
  "unknown-line-kind": "Lines of a kind this reader does not know (from a newer minor). Skipped; one diagnostic per kind, counted.",
  "unknown-note-kind": "Note lines of a note kind this reader does not know. Skipped; one diagnostic per note kind, counted.",
  "invalid-line-shape": "A line of a known kind with a required field missing or of the wrong type. An error, or skipped with --lenient.",
  "unknown-ws-message-type": "WebSocket messages of a type this reader does not interpret. Passed on as `unknown`; one diagnostic per type, counted.",
  "invalid-ws-message": "WebSocket messages of a known type lacking what we need (e.g. prompt_id). Skipped; one diagnostic per type, counted.",
  "no-end-record": "The log has no `end` line: the recording was cut. The last run may be incomplete.",
  "empty-log": "The log holds no records at all.",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Every code, in catalogue order. */
export const DIAGNOSTIC_CODE_LIST = Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[];

/** `error`: the data is wrong or unusable; `warning`: the result may be incomplete; `info`: worth knowing. */
export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** The file concerned, as the user named it ("<stdin>" for -); absent when not about one file. */
  file?: string;
  /** 1-based line in `file`; for a counted diagnostic, the first line concerned. */
  line?: number;
  /** How many occurrences a counted diagnostic stands for (unknown kinds and message types); absent means one. */
  count?: number;
  nodeId?: string;
  promptId?: string;
  /** A sentence for a person: where, what, and what was done. */
  message: string;
}
