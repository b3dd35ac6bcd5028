// Whole processes, timed from outside, interleaved, medians: how the bench measures (bench/run.ts).

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const TIME = "/usr/bin/time";
export const TASK = fileURLToPath(new URL("./task.js", import.meta.url));
export const CLI = fileURLToPath(new URL("../../bin/comfyprof.js", import.meta.url));

export interface Measured {
  /** Wall time of the whole process (Node's start included), ms. */
  ms: number;
  /** Peak RSS, MiB (/usr/bin/time's; NaN where it is missing). */
  rssMb: number;
  stdout: string;
}

/** Runs `node args…` (under /usr/bin/time -v when present); stdout kept only when `capture`. */
export function runNode(args: readonly string[], capture = false): Promise<Measured> {
  const withTime = existsSync(TIME);
  const command = withTime ? TIME : process.execPath;
  const argv = withTime ? ["-v", process.execPath, ...args] : [...args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { stdio: ["ignore", capture ? "pipe" : "ignore", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - started;
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      // Exit 4 is trend/compare's "slower": a verdict, not a failure of the run.
      if (code !== 0 && code !== 4) return reject(new Error(`node ${args.slice(0, 3).join(" ")} … exited with ${code}:\n${stderr.slice(-2000)}`));
      resolve({ ms, rssMb: rss ? Number(rss[1]) / 1024 : NaN, stdout });
    });
  });
}

export interface Summary {
  /** Median wall time, ms. */
  ms: number;
  /** Highest peak RSS seen, MiB. */
  rssMb: number;
  times: number[];
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Each task `repeat` times, interleaved (a, b, c, a, b, c, …), so that a busy spell of the machine
 * hits them all alike: per task the median time and the highest RSS. Ratios are taken between tasks
 * of one call, never across calls.
 */
export async function interleaved(repeat: number, tasks: readonly (() => Promise<Measured>)[]): Promise<Summary[]> {
  const all: Measured[][] = tasks.map(() => []);
  for (let i = 0; i < repeat; i++) for (const [t, task] of tasks.entries()) all[t]!.push(await task());
  return all.map((ms) => ({ ms: median(ms.map((m) => m.ms)), rssMb: Math.max(...ms.map((m) => m.rssMb)), times: ms.map((m) => m.ms) }));
}

export const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "—");
export const check = (ok: boolean) => (ok ? "✓" : "✗");

/** A plain-text table: the first row is the header; columns right-aligned when they hold numbers. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  const numeric = rows[0]!.map((_, c) => rows.slice(1).every((r) => /^[\d.,×—\s%✓✗<>≥≤+−-]*$/.test(r[c] ?? "")));
  return rows.map((r) => r.map((cell, c) => (numeric[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd()).join("\n");
}
