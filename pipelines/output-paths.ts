// Output files are checked before any work: a typo in a directory should cost
// a one-line message, not a finished analysis thrown away.

import { accessSync, constants, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "./usage-error.js";

export function checkWritable(option: string, path: string | undefined): void {
  if (path === undefined) return;
  const dir = dirname(resolve(path));
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(), { code: "ENOTDIR" });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new UsageError(`${option} ${path}: cannot write there (${(err as NodeJS.ErrnoException).code ?? "not writable"})`);
  }
}
