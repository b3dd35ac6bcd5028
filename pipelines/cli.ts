// The command line. The only place that prints errors and chooses exit codes.

import yargs from "yargs";
import { recordCommand } from "./record-command.js";
import { UsageError } from "./usage-error.js";

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName("comfyprof")
    .usage("$0 <command> [options]\n\nA profiler for ComfyUI workflows: record a run's events, then analyze them.")
    .command(recordCommand((code) => (exitCode = code)))
    .demandCommand(1, "Name a command: record.")
    .strict()
    .recommendCommands()
    .wrap(Math.min(110, process.stderr.columns ?? 100))
    .version()
    .help()
    .fail((msg, err) => {
      if (err && !(err instanceof UsageError)) throw err;
      process.stderr.write(`comfyprof: ${err?.message ?? msg}\nRun "comfyprof --help" for usage.\n`);
      exitCode = 1;
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    process.stderr.write(`comfyprof: ${(err as Error).message}\n`);
    return 1;
  }
  return exitCode;
}
