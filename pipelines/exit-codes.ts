// Every exit code of every command, listed once. `record` set the numbers
// first (1 usage, 2 server lost, 3 rejected, 4 timeout, 130 Ctrl-C); the rest
// were added beside them, never renumbering what scripts already test for.
// Each command's --help epilog is made from this table, and so is the README's.

export type CommandName = "record" | "analyze" | "compare" | "trend" | "replay" | "convert" | "export" | "query";

const ALL: readonly CommandName[] = ["record", "analyze", "compare", "trend", "replay", "convert", "export", "query"];
const READERS: readonly CommandName[] = ["analyze", "compare", "trend", "replay", "convert", "export", "query"];
const WRITERS: readonly CommandName[] = ["record", "analyze", "compare", "trend", "convert", "export", "query"];

export const EXIT = {
  ok: 0,
  usage: 1,
  serverLost: 2,
  serverRefused: 3,
  timeout: 4,
  regression: 4,
  input: 5,
  output: 6,
  nothingCompared: 7,
  internal: 70,
  sigint: 130,
  sigterm: 143,
} as const;

export interface ExitCodeRow {
  code: number;
  meaning: string;
  commands: readonly CommandName[];
}

export const EXIT_CODE_TABLE: readonly ExitCodeRow[] = [
  { code: EXIT.ok, meaning: "done", commands: WRITERS },
  { code: EXIT.ok, meaning: "stopped with Ctrl-C or SIGTERM", commands: ["replay"] },
  { code: EXIT.usage, meaning: "bad usage: an unknown option, a wrong value, an unreadable --workflow file, SQL that DuckDB refuses (query)", commands: ALL },
  { code: EXIT.serverLost, meaning: "server unreachable or lost (also when a restart lost a run)", commands: ["record", "convert"] },
  { code: EXIT.serverRefused, meaning: "the server refused the workflow (HTTP 400) or answered with an error (HTTP 5xx)", commands: ["record"] },
  { code: EXIT.timeout, meaning: "--timeout reached", commands: ["record"] },
  { code: EXIT.regression, meaning: "slower beyond noise (a regression)", commands: ["compare", "trend"] },
  {
    code: EXIT.input,
    meaning: "bad input: a log that is missing, a folder, empty, not an event log, or refused (the message names the line); analyze still reports the good logs and export still writes them; query, trend/compare --parquet: a folder that is not a Parquet export; convert: a workflow it cannot read or convert (each node named)",
    commands: READERS,
  },
  {
    code: EXIT.output,
    meaning: "an output refused or not written: it would overwrite an input or another output, its folder is missing or read-only, it is a folder, the disk is full; export: a --parquet folder that exists and is not empty, without --append",
    commands: WRITERS,
  },
  {
    code: EXIT.nothingCompared,
    meaning: "nothing compared: no workflow (or variant of one) was recorded in the same cache state on both sides (trend: no workflow has two recordings)",
    commands: ["compare", "trend"],
  },
  { code: EXIT.internal, meaning: "internal error, a bug in comfyprof: please report it (--debug shows where)", commands: ALL },
  { code: EXIT.sigint, meaning: "stopped by Ctrl-C (SIGINT); the log is closed with an end record", commands: ["record"] },
  { code: EXIT.sigterm, meaning: "stopped by SIGTERM; the log is closed with an end record", commands: ["record"] },
];

/** The "Exit codes:" block of a command's --help. */
export function exitCodeEpilog(command: CommandName): string {
  const rows = EXIT_CODE_TABLE.filter((row) => row.commands.includes(command));
  return ["Exit codes:", ...rows.map((row) => `  ${String(row.code).padStart(3)}  ${row.meaning}`)].join("\n");
}

/** The "Exit codes:" block of `comfyprof --help`: every command's, each row naming its commands. */
export function exitCodeOverview(): string {
  const rows = EXIT_CODE_TABLE.map((row) => `  ${String(row.code).padStart(3)}  ${row.meaning} (${commandsOf(row)})`);
  return ["Exit codes (each command's --help lists its own):", ...rows].join("\n");
}

/** The README's table (a test checks that the README holds it as is). */
export function exitCodeMarkdown(): string {
  const rows = EXIT_CODE_TABLE.map((row) => `| ${row.code} | ${row.meaning} | ${commandsOf(row)} |`);
  return ["| code | meaning | commands |", "| ---: | --- | --- |", ...rows].join("\n");
}

function commandsOf(row: ExitCodeRow): string {
  return row.commands.length === ALL.length ? "all" : row.commands.join(", ");
}
