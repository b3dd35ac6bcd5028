// The command line. The only place that prints errors and chooses exit codes.

import yargs from "yargs";
import { analyzeCommand } from "./analyze-command.js";
import { recordCommand } from "./record-command.js";
import { replayCommand } from "./replay-command.js";
import { compareCommand, trendCommand } from "./compare-command.js";
import { UsageError } from "./usage-error.js";
import { STDIN_NAME, STDIN_PATH } from "./read-log.js";

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  // `comfyprof analyze … | head`: the reader left; stop quietly instead of crashing on the next write.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(exitCode);
    throw err;
  });
  // yargs drops a bare "-" (stdin) from positionals: pass it under its display name.
  const parser = yargs(argv.map((a) => (a === STDIN_PATH ? STDIN_NAME : a)))
    .scriptName("comfyprof")
    .usage("$0 <command> [options]\n\nA profiler for ComfyUI workflows: record a run's events, then analyze them.")
    .command(recordCommand((code) => (exitCode = code)))
    .command(analyzeCommand())
    .command(compareCommand((code) => (exitCode = code)))
    .command(trendCommand((code) => (exitCode = code)))
    .command(replayCommand())
    .demandCommand(1, "Name a command: record, analyze, compare, trend or replay.")
    .strict()
    .recommendCommands()
    .wrap(Math.min(110, process.stderr.columns ?? 100))
    .version()
    .help()
    .fail((msg, err) => {
      // Thrown so that yargs stops here instead of running the command anyway.
      throw err instanceof UsageError || !err ? new UsageError(err?.message ?? msg) : err;
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`comfyprof: ${err.message}\nRun "comfyprof --help" for usage.\n`);
    } else {
      process.stderr.write(`comfyprof: unexpected failure, please report it: ${(err as Error).stack ?? String(err)}\n`);
    }
    return 1;
  }
  return exitCode;
}
