// The sentences of the Parquet commands (export, query, trend/compare --parquet).

export function dirNotEmpty(dir: string): string {
  return `--parquet ${dir} exists and is not empty; nothing was written: name a new folder, or add --append to add this export beside the files there (none is rewritten)`;
}

export function notAnExport(dir: string, why: string): string {
  return `${dir} is not a comfyprof Parquet export (${why}): name the folder \`comfyprof export --parquet\` wrote`;
}

export function newerExport(dir: string, version: string, known: string): string {
  return `${dir} was written with Parquet schema ${version}; this comfyprof reads ${known}.x: update comfyprof`;
}

export function appendToOther(dir: string): string {
  return `--append ${dir}: the folder holds files but no _comfyprof.json, so it is not an export; nothing was written: name an export's folder or a new one`;
}

export function isAFile(flag: string, dir: string): string {
  return `${flag} ${dir} is a file; name a folder (a new one, or an export's)`;
}

export function exported(dir: string, runs: number, logs: number, append: boolean): string {
  return `${append ? "appended" : "wrote"} ${runs} run${runs === 1 ? "" : "s"} of ${logs} log${logs === 1 ? "" : "s"} to ${dir} (Parquet: runs, nodes, samples, diagnostics, workflows)`;
}

export function badSql(): string {
  return "the query failed";
}

export function noRunsWithLabel(flag: string, label: string, labels: readonly string[]): string {
  const known = labels.length === 0 ? "the export has no labelled runs" : `labels there: ${labels.join(", ")}`;
  return `${flag} ${label}: no run has this label (${known})`;
}

export function outputNeedsName(flag: string): string {
  return `${flag} without a file name writes beside the first log, and --parquet reads none: give a file name (${flag} <file>)`;
}
