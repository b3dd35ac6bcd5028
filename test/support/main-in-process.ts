// Runs the CLI's main(argv) in this process, stdout and stderr captured: the
// same code as bin/comfyprof.js without a Node start per case, for the tests
// that run the CLI many times (property tests). Not for --help (yargs exits)
// nor stdin ("-"): those use runCli (test/support/cli.ts).

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { vi } from "vitest";
import { main } from "../../pipelines/cli.js";
import type { Ran } from "./cli.js";

type Write = (chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => boolean;

function capture(into: string[]): Write {
  return (chunk, encoding, callback) => {
    into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") queueMicrotask(() => (done as () => void)());
    return true;
  };
}

export async function runMain(args: string[]): Promise<Ran> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = vi.spyOn(process.stdout, "write").mockImplementation(capture(stdout) as typeof process.stdout.write);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(capture(stderr) as typeof process.stderr.write);
  try {
    const code = await main(args);
    return { code, stdout: stdout.join(""), stderr: stderr.join("") };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** A file's content hash: "nothing was written over an input" is this, before and after. */
export function fileHash(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** What no message to a user may hold: a stack frame, or the internal-error sentence. */
export const STACK_OR_BUG = /\n\s+at [^\n]*:\d+|internal error/;
