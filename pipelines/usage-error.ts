import { LogFormatError } from "../src/ingest/index.js";

/** A mistake in how the command was called: printed as one line with the fix, exit code 1. */
export class UsageError extends Error {}

/** Runs `analyze`; a refused log or a file that cannot be read becomes a UsageError. */
export async function readingLogs<T>(analyze: () => Promise<T>): Promise<T> {
  try {
    return await analyze();
  } catch (err) {
    if (err instanceof LogFormatError) throw new UsageError(err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ENOENT" || e.code === "EACCES" || e.code === "EISDIR") throw new UsageError(`cannot read ${e.path ?? "log"}: ${e.code}`);
    throw err;
  }
}
