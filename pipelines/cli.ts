// The command line. The only place that prints errors and chooses exit codes
// (pipelines/exit-codes.ts). Everything printed that came from a log, a server
// or a path goes through escapeTerminal; a stack trace only with --debug.

import yargs from "yargs";
import { escapeTerminal } from "../src/text/escape.js";
import { analyzeCommand } from "./analyze-command.js";
import { recordCommand } from "./record-command.js";
import { replayCommand } from "./replay-command.js";
import { compareCommand, trendCommand } from "./compare-command.js";
import { convertCommand } from "./convert-command.js";
import { exportCommand } from "./export-command.js";
import { queryCommand } from "./query-command.js";
import { CliError, UsageError } from "./cli-errors.js";
import { prepareArgv, restoreStdio } from "./cli-args.js";
import { EXIT, exitCodeOverview } from "./exit-codes.js";

let exitCodeSoFar: number = EXIT.ok;
let stdoutGuarded = false;

/** `comfyprof analyze … | head`: the reader left; stop quietly. Any other stdout failure is an output error. */
function guardStdout(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(exitCodeSoFar);
    process.stderr.write(`comfyprof: cannot write to stdout: ${escapeTerminal(err.code ?? err.message)}\n`);
    process.exit(EXIT.output);
  });
}

export async function main(argv: string[]): Promise<number> {
  guardStdout();
  exitCodeSoFar = EXIT.ok;
  const setExitCode = (code: number) => (exitCodeSoFar = code);
  const debug = argv.includes("--debug");
  const parser = yargs(prepareArgv(argv))
    .scriptName("comfyprof")
    .usage("$0 <command> [options]\n\nA profiler for ComfyUI workflows: record a run's events, then analyze them.")
    .middleware((args) => restoreStdio(args as Record<string, unknown>), true)
    .option("debug", { type: "boolean", global: true, default: false, describe: "On an internal error, show the stack trace" })
    .command(recordCommand(setExitCode))
    .command(analyzeCommand())
    .command(compareCommand(setExitCode))
    .command(trendCommand(setExitCode))
    .command(replayCommand())
    .command(convertCommand())
    .command(exportCommand())
    .command(queryCommand())
    .demandCommand(1, "Name a command: record, analyze, compare, trend, replay, convert, export or query.")
    .epilog(exitCodeOverview())
    .strict()
    .recommendCommands()
    // yargs lays out the running command's whole help in case it must show it; wrapped to the terminal,
    // that cost ~15–35 ms of every run (docs/performance.md "Start-up"): wrapped only when it is shown.
    .wrap(wantsHelp(argv) ? Math.min(110, process.stderr.columns ?? 100) : null)
    .version()
    .help()
    .fail((msg, err) => {
      // Thrown so that yargs stops here instead of running the command anyway. Its own errors (YError) are usage.
      if (err instanceof CliError) throw err;
      if (!err || err.name === "YError") throw new UsageError(err?.message ?? msg);
      throw err;
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    return reportFailure(err, debug);
  }
  return exitCodeSoFar;
}

/** Help is printed for --help, -h, or no command at all. */
function wantsHelp(argv: readonly string[]): boolean {
  return argv.length === 0 || argv.some((a) => a === "--help" || a === "-h");
}

/** Prints why the command failed, one line per line of the message, and returns its exit code. */
export function reportFailure(err: unknown, debug: boolean): number {
  if (err instanceof CliError) {
    for (const line of err.message.split("\n")) process.stderr.write(`comfyprof: ${escapeTerminal(line)}\n`);
    if (err instanceof UsageError) process.stderr.write(`Run "comfyprof --help" for usage.\n`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`comfyprof: internal error, a bug in comfyprof (please report it): ${escapeTerminal(e.message)}\n`);
  if (debug) process.stderr.write(`${escapeTerminal(e.stack ?? "", true)}\n`);
  else process.stderr.write("comfyprof: run again with --debug to see where it happened\n");
  return EXIT.internal;
}

/** For bin/: an error thrown outside any command (a socket's event, a timer) ends the process the same way. */
export function installCrashHandlers(argv: readonly string[]): void {
  const debug = argv.includes("--debug");
  const crash = (err: unknown) => process.exit(reportFailure(err, debug));
  process.on("uncaughtException", crash);
  process.on("unhandledRejection", crash);
}
