// The one error ingest throws: a log it refuses to read (or, without
// --lenient, a line it refuses to skip). It carries the diagnostic, so the
// edge can print it like any other; its message already names file and line.

import type { Diagnostic, DiagnosticCode } from "../model/diagnostic.js";

export class LogFormatError extends Error {
  readonly diagnostic: Diagnostic;
  readonly code: DiagnosticCode;
  readonly file: string | null;
  readonly line: number | null;

  constructor(diagnostic: Diagnostic) {
    super(diagnostic.file === undefined ? diagnostic.message : `${diagnostic.file}: ${diagnostic.message}`);
    this.name = "LogFormatError";
    this.diagnostic = diagnostic;
    this.code = diagnostic.code;
    this.file = diagnostic.file ?? null;
    this.line = diagnostic.line ?? null;
  }
}
