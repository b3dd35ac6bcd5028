// Runs the built CLI (bin/comfyprof.js → dist/) as a user would, in a child process.

import { spawn } from "node:child_process";

const BIN = new URL("../../bin/comfyprof.js", import.meta.url).pathname;

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  stdin?: string | Buffer;
  /** Called on every stderr chunk with everything so far; may send the child a signal. */
  onStderr?: (text: string, kill: (sig: NodeJS.Signals) => void) => void;
}

export function runCli(args: string[], options: RunOptions = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => {
      stderr += d;
      options.onStderr?.(stderr, (sig) => child.kill(sig));
    });
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
