// The errors a command throws for pipelines/cli.ts to print, one type per
// situation, each with its exit code (pipelines/exit-codes.ts). Anything else
// that reaches cli.ts is a bug: exit 70, the stack only with --debug.

import { LogFormatError } from "../src/ingest/log-format-error.js";
import { EXIT } from "./exit-codes.js";
import * as say from "./messages.js";

export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** A mistake in how the command was called: a wrong option or value. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(EXIT.usage, message);
  }
}

/** SQL that DuckDB refused (a parser, binder or catalog error): a usage error, told as DuckDB put it, without the --help hint. */
export class SqlError extends CliError {
  constructor(message: string) {
    super(EXIT.usage, message);
  }
}

/** An input that cannot be read or is refused. The message names the file (and the line). */
export class InputError extends CliError {
  constructor(message: string) {
    super(EXIT.input, message);
  }
}

/** An output refused before any work, or not written. The message names the flag and the file. */
export class OutputError extends CliError {
  constructor(message: string) {
    super(EXIT.output, message);
  }
}

/** A failure of the system (file, gzip), not a bug: it carries a code such as ENOENT or Z_DATA_ERROR. */
export function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === "string";
}

/** Whether reading a log failed because of the log (refused, missing, unreadable), not because of a bug. */
export function isInputFailure(err: unknown): boolean {
  return err instanceof LogFormatError || isSystemError(err);
}

/** The one line that says why `path` could not be read. */
export function describeInputFailure(path: string, err: unknown): string {
  if (err instanceof LogFormatError) return err.message;
  return say.cannotRead(path, (err as NodeJS.ErrnoException).code ?? "");
}

/** Runs `read`; a refused or unreadable log becomes an InputError naming it. */
export async function readingLogs<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (!isInputFailure(err)) throw err;
    const path = (err as NodeJS.ErrnoException).path ?? "the log";
    throw new InputError(describeInputFailure(path, err));
  }
}
