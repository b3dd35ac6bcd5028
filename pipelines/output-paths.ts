// Output files are decided and checked before any work: a typo should cost a
// one-line message, not a finished analysis thrown away, and an output must
// never land on a recording (an hour of GPU time that cannot be made again)
// or on another output. Files are compared as the file system sees them:
// real paths (symlinks resolved) and, where the file exists, device + inode
// (hard links).

import { accessSync, closeSync, constants, openSync, readSync, realpathSync, rmSync, statSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { constants as zlibConstants, gunzipSync } from "node:zlib";
import { LOG_FORMAT } from "../src/model/events.js";
import { OutputError, UsageError } from "./cli-errors.js";
import * as say from "./messages.js";

/** What the user named for stdin and stdout. */
export const STDIO = "-";

export interface OutputSpec {
  /** The flag as the user types it, e.g. "--html". */
  flag: string;
  /** undefined: not asked for; "": asked for without a name; "-": stdout; else a path. */
  value: string | undefined;
  /** What the file holds, for the "wrote" line: "HTML report". */
  what: string;
  /** Appended to the first input's name without its extension when no name is given: ".html". */
  suffix: string;
}

export interface PlannedOutput {
  flag: string;
  /** The file to write, or "-" for stdout. */
  path: string;
  what: string;
  /** The input the name was derived from (no name given), else null. */
  derivedFrom: string | null;
}

export interface PlanOptions {
  /** Refuse names that look like event logs (every report; not record's -o). */
  refuseLogNames: boolean;
}

const LOG_NAME = /\.ndjson(\.gz)?$/i;
/** Enough of a log's first line to hold `"format":"comfyprof-events"` (the recorder writes it fourth). */
const HEAD_BYTES = 4096;

/** `run.ndjson` → `run` + suffix, beside it. */
export function derivedName(input: string, suffix: string): string {
  const name = basename(input).replace(LOG_NAME, "").replace(/\.(gz|json|jsonl|log|txt)$/i, "");
  return join(dirname(input), `${name || "report"}${suffix}`);
}

/** Whether `path` ends like an event log or is one (its first line is a comfyprof header). */
export function looksLikeLog(path: string): boolean {
  return LOG_NAME.test(path) || isEventLogFile(path);
}

function isEventLogFile(path: string): boolean {
  let head: Buffer;
  try {
    const fd = openSync(path, "r");
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      head = buf.subarray(0, readSync(fd, buf, 0, HEAD_BYTES, 0));
    } finally {
      closeSync(fd);
    }
    if (head[0] === 0x1f && head[1] === 0x8b) head = gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    return false;
  }
  const text = head.toString("utf8");
  return /^\s*\{\s*"kind"\s*:\s*"header"/.test(text) && text.includes(`"format":"${LOG_FORMAT}"`);
}

/** The outputs asked for, each with its path, after every check; throws before any work. */
export function planOutputs(specs: readonly OutputSpec[], inputs: readonly string[], options: PlanOptions): PlannedOutput[] {
  const planned: PlannedOutput[] = [];
  for (const spec of specs) {
    if (spec.value === undefined) continue;
    if (spec.value === "") {
      const first = inputs[0];
      if (first === undefined || first === STDIO) throw new UsageError(say.noNameBesideStdin(spec.flag));
      planned.push({ flag: spec.flag, path: derivedName(first, spec.suffix), what: spec.what, derivedFrom: first });
      continue;
    }
    if (spec.value !== STDIO && options.refuseLogNames && looksLikeLog(spec.value)) {
      const derived = inputs[0] !== undefined && inputs[0] !== STDIO ? derivedName(inputs[0], spec.suffix) : null;
      throw new OutputError(say.outputNamedLikeLog(spec.flag, spec.value, derived));
    }
    planned.push({ flag: spec.flag, path: spec.value, what: spec.what, derivedFrom: null });
  }
  const toStdout = planned.filter((o) => o.path === STDIO);
  if (toStdout.length > 1) throw new UsageError(say.twoToStdout(toStdout[0]!.flag, toStdout[1]!.flag));
  const files = planned.filter((o) => o.path !== STDIO);
  for (const out of files) checkWritable(out.flag, out.path);
  checkDistinct(files, inputs);
  return planned;
}

/** Beside the target, hidden, unique to this process: `.run.html.1234.tmp` (pipelines/output-files.ts writes there first). */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/**
 * Refuses a path whose folder is missing or cannot take a new file, or that
 * is a folder. The folder is tried by creating the temporary file the output
 * will be written to (and removing it): access() says yes to root on a
 * read-only mount such as /sys, and says nothing of a full inode table.
 */
export function checkWritable(flag: string, path: string): void {
  const target = statOrNull(path);
  if (target?.isDirectory() || /\/$/.test(path)) throw new OutputError(say.cannotWrite(flag, path, "EISDIR"));
  try {
    if (target !== null && !target.isFile()) return accessSync(path, constants.W_OK);
    const dir = dirname(resolve(path));
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: "ENOTDIR" });
    const probe = temporaryPath(path);
    closeSync(openSync(probe, "wx"));
    rmSync(probe);
  } catch (err) {
    throw new OutputError(say.cannotWrite(flag, path, (err as NodeJS.ErrnoException).code ?? ""));
  }
}

interface FileIdentity {
  realPath: string;
  /** "dev:ino" of an existing file; null when it does not exist yet. */
  inode: string | null;
  /** A device or pipe (/dev/null, /dev/full): writing there twice is fine, it is not a file to lose. */
  special: boolean;
}

function identify(path: string): FileIdentity {
  const stats = statOrNull(path);
  let realPath: string;
  try {
    realPath = stats === null ? join(realpathSync(dirname(resolve(path))), basename(path)) : realpathSync(path);
  } catch {
    realPath = resolve(path);
  }
  return { realPath, inode: stats === null ? null : `${stats.dev}:${stats.ino}`, special: stats !== null && !stats.isFile() };
}

function same(a: FileIdentity, b: FileIdentity): boolean {
  if (a.special || b.special) return false;
  return a.realPath === b.realPath || (a.inode !== null && a.inode === b.inode);
}

function checkDistinct(outputs: readonly PlannedOutput[], inputs: readonly string[]): void {
  const ins = inputs.filter((p) => p !== STDIO).map((p) => ({ path: p, id: identify(p) }));
  const outs = outputs.map((o) => ({ out: o, id: identify(o.path) }));
  outs.forEach(({ out, id }, i) => {
    const input = ins.find((x) => same(x.id, id));
    if (input) throw new OutputError(say.outputIsInput(out.flag, out.path, input.path));
    const other = outs.slice(0, i).find((x) => same(x.id, id));
    if (other) throw new OutputError(say.outputsCollide(other.out.flag, out.flag, out.path));
  });
}

/** A device or pipe (/dev/null, /dev/full): written in place, never replaced by renaming a file over it. */
export function isSpecialFile(path: string): boolean {
  const stats = statOrNull(path);
  return stats !== null && !stats.isFile() && !stats.isDirectory();
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
