// Every sentence the command line says about files and options, one function
// per situation (as src/ingest/messages.ts for the log's lines): where (the
// flag, the file), what, and what to do. Printed escaped by pipelines/cli.ts.

/** System error codes in words; the code itself is kept in brackets for searching. */
const ERRNO_WORDS: Record<string, string> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EISDIR: "it is a folder",
  ENOTDIR: "a part of the path is not a folder",
  EEXIST: "it already exists",
  EFBIG: "file too large",
  EIO: "input/output error",
  EMFILE: "too many open files",
  Z_DATA_ERROR: "not valid gzip data",
  Z_BUF_ERROR: "cut gzip data",
};

export function errnoWords(code: string): string {
  const words = ERRNO_WORDS[code];
  return words === undefined ? code || "unknown error" : `${words} (${code})`;
}

export function cannotRead(path: string, code: string): string {
  if (code === "EISDIR") return `${path} is a folder, not a log file: name the .ndjson files in it (e.g. ${path}/*.ndjson)`;
  if (code === "ENOENT") return `${path}: no such file`;
  return `cannot read ${path}: ${errnoWords(code)}`;
}

export function cannotWrite(flag: string, path: string, code: string): string {
  if (code === "EISDIR") return `${flag} ${path}: is a folder; name a file in it (${flag} ${path.replace(/\/+$/, "")}/<file>)`;
  return `${flag} ${path}: cannot write there: ${errnoWords(code)}`;
}

export function outputIsInput(flag: string, path: string, input: string): string {
  const same = path === input ? "" : ` (the same file as ${input})`;
  return `${flag} ${path} would overwrite the input ${input}${same}; nothing was written: name the output another file`;
}

export function outputsCollide(flagA: string, flagB: string, path: string): string {
  return `${flagA} and ${flagB} would both write ${path}; nothing was written: give each its own file`;
}

export function outputNamedLikeLog(flag: string, path: string, derived: string | null): string {
  const instead = derived === null ? "" : `, or ${flag} alone for ${derived}`;
  return `${flag} ${path}: an output is never written to an event log's name (.ndjson, .ndjson.gz, or an existing recording); name it e.g. ${flag} report${instead}`;
}

export function noNameBesideStdin(flag: string): string {
  return `${flag} without a file name writes beside the first log, but that is stdin: give a file name (${flag} <file>)`;
}

export function twoToStdout(flagA: string, flagB: string): string {
  return `${flagA} and ${flagB} both write to stdout (-); only one can`;
}

export function stdinTwice(): string {
  return "stdin (-) is named twice, but it can be read only once";
}

export function wrote(path: string, what: string, derivedFrom: string | null): string {
  return derivedFrom === null ? `wrote ${path} (${what})` : `wrote ${path} (${what}; named after ${derivedFrom})`;
}

export function recordingExists(path: string): string {
  return `-o ${path} already exists; nothing was recorded: add --force to replace it when the new recording ends, or name another file`;
}

export function recordKeptBeside(tempPath: string, target: string): string {
  return `the new recording is at ${tempPath}: it could not replace ${target}`;
}

export function logsNotRead(failures: readonly string[], total: number): string {
  if (failures.length === 1 && total === 1) return failures[0]!;
  return [`${failures.length} of ${total} logs not analyzed:`, ...failures.map((f) => `  ${f}`)].join("\n");
}

export function runNeedsHtml(): string {
  return "--run picks the runs the HTML report shows in detail: add --html";
}

export function badRunRequest(value: string): string {
  return `--run ${value}: give a measured run's number (1 is the first) or a prompt id`;
}

export function runNotFound(value: string): string {
  return `--run ${value}: no such run in these logs (a number counts the measured runs from 1; anything else is a prompt id)`;
}
