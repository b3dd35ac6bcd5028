// Writing an output: into a temporary file beside it, renamed over it at the
// end, so a full disk or a stopped process never leaves a half-written report
// under the real name. Devices and pipes (/dev/null, /dev/full) are written
// in place: renaming over them would replace the device. "-" is stdout.

import { createWriteStream, renameSync, rmSync, writeFileSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { escapeTerminal } from "../src/text/escape.js";
import { OutputError } from "./cli-errors.js";
import * as say from "./messages.js";
import { isSpecialFile, STDIO, temporaryPath, type PlannedOutput } from "./output-paths.js";

/** Writes `pieces` to the output, then says so on stderr; a failure is an OutputError naming the flag and file. */
export async function writeOutput(out: PlannedOutput, pieces: Iterable<string | Buffer> | string): Promise<void> {
  const chunks = typeof pieces === "string" ? [pieces] : pieces;
  if (out.path === STDIO) return toStdout(chunks);
  const direct = isSpecialFile(out.path);
  const file = direct ? out.path : temporaryPath(out.path);
  try {
    if (typeof pieces === "string") writeFileSync(file, pieces, { flag: direct ? "w" : "wx" });
    else await pipeline(Readable.from(chunks), createWriteStream(file, { flags: direct ? "w" : "wx" }));
    if (!direct) renameSync(file, out.path);
  } catch (err) {
    if (!direct) rmSync(file, { force: true });
    throw new OutputError(say.cannotWrite(out.flag, out.path, (err as NodeJS.ErrnoException).code ?? ""));
  }
  process.stderr.write(`comfyprof: ${escapeTerminal(say.wrote(out.path, out.what, out.derivedFrom))}\n`);
}

/** Writes to stdout; a reader that went away (`… | head`) is not an error. */
export async function toStdout(chunks: Iterable<string | Buffer>): Promise<void> {
  try {
    await pipeline(Readable.from(chunks), process.stdout, { end: false });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (code !== "EPIPE") throw new OutputError(say.cannotWrite("stdout", "(-)", code));
  }
}
