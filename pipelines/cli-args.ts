// What the command line means before yargs reads it, for the two cases yargs
// gets wrong: "-" (it drops a bare "-", so `--json -` became an empty name and
// `-b -` an unknown argument), and an output flag without a value followed by
// a log (`analyze --html a.ndjson b.ndjson` took a.ndjson as the HTML file and
// overwrote the recording).

import { looksLikeLog, STDIO } from "./output-paths.js";

/** Stands for "-" while yargs parses: a string no one types, which yargs takes as a value. */
const STDIO_ARG = "\u0000stdio";

/** Output flags of the commands that take logs as positionals: a log after one is a log, not the output's name. */
const OUTPUT_FLAGS_BEFORE_LOGS: Record<string, readonly string[]> = {
  analyze: ["--json", "--html", "--trace"],
  trend: ["--json"],
};

/** The command named in argv: the first word that is not an option. */
function commandOf(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith("-"));
}

/**
 * argv for yargs: "-" hidden from it, and `--html a.ndjson` read as `--html`
 * (no name: derived from the first log) then the log a.ndjson.
 */
export function prepareArgv(argv: readonly string[]): string[] {
  const flags = OUTPUT_FLAGS_BEFORE_LOGS[commandOf(argv) ?? ""] ?? [];
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    // Named twice (`analyze a.ndjson --json a.ndjson`): left as the value, which the output checks then refuse.
    const namedTwice = argv.filter((a) => a === next).length > 1;
    if (flags.includes(arg) && next !== undefined && next !== STDIO && !next.startsWith("-") && !namedTwice && looksLikeLog(next)) {
      out.push(`${arg}=`);
      continue;
    }
    out.push(arg === STDIO ? STDIO_ARG : arg);
  }
  return out;
}

/** Puts "-" back into every value yargs parsed (a yargs middleware). */
export function restoreStdio(args: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(args)) {
    if (value === STDIO_ARG) args[key] = STDIO;
    else if (Array.isArray(value)) args[key] = value.map((v) => (v === STDIO_ARG ? STDIO : v));
  }
}
