// A Parquet table's columns, each named once with its SQL type, unit, meaning
// and how it is read from a profile: the export writes from these, the
// staging tables are created from them, and docs/parquet.md holds the tables
// parquetSchemaMarkdown() renders (a test checks it).

export type ColumnType = "VARCHAR" | "DOUBLE" | "INTEGER" | "BOOLEAN" | "VARCHAR[]";

export type CellValue = string | number | boolean | readonly string[] | null;

export interface Column<R> {
  name: string;
  type: ColumnType;
  /** "ms", "bytes", "count", "" …: what a value of it counts. */
  unit: string;
  /** What it means, in docs/metrics.md's words. */
  doc: string;
  get: (row: R) => CellValue;
}

export interface TableSpec<R> {
  name: string;
  /** One row per …, for the docs. */
  grain: string;
  columns: readonly Column<R>[];
}

/** Shorthand for a column. */
export function col<R>(name: string, type: ColumnType, unit: string, doc: string, get: (row: R) => CellValue): Column<R> {
  return { name, type, unit, doc, get };
}

/** The columns every table starts with: which export, log and run a row belongs to, and its partition keys. */
export interface RowKeys {
  /** Unique per export invocation (a UUID): tells appended exports apart. */
  exportId: string;
  /** The log as the user named it ("<stdin>" for -). */
  recording: string;
  /** `${exportId}/${logIndex}/${runIndex}`: joins a run's rows across tables. */
  runId: string | null;
  /** UTC date of the run's start (server clock), "unknown" without one. */
  day: string;
  workflowFingerprint: string;
}

export function keyColumns<R extends { keys: RowKeys }>(): Column<R>[] {
  return [
    col("export_id", "VARCHAR", "", "The export that wrote the row (a UUID per `comfyprof export` run): `--append` adds exports beside the earlier ones.", (r) => r.keys.exportId),
    col("recording", "VARCHAR", "", "The event log the run was read from, as named on the command line (`<stdin>` for -).", (r) => r.keys.recording),
    col("run_id", "VARCHAR", "", "`<export_id>/<log index>/<run index>`: the key that joins a run's rows across the tables (null for a diagnostic about a whole log).", (r) => r.keys.runId),
    col("day_utc", "VARCHAR", "date", "UTC date (YYYY-MM-DD) of the run's start on the server clock, `unknown` without one; also the `day=` partition.", (r) => r.keys.day),
    col("workflow_fingerprint", "VARCHAR", "", "Workflow fingerprint (structure and non-seed inputs, docs/metrics.md \"Across runs\"); also the `workflow=` partition.", (r) => r.keys.workflowFingerprint),
  ];
}

/** UTC date of an epoch-ms time, or "unknown". */
export function utcDay(epochMs: number | null): string {
  return epochMs === null ? "unknown" : new Date(epochMs).toISOString().slice(0, 10);
}

/** The Markdown table of a spec's columns. */
export function columnsMarkdown<R>(spec: TableSpec<R>): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const rows = spec.columns.map((c) => `| \`${c.name}\` | ${c.type} | ${cell(c.unit)} | ${cell(c.doc)} |`);
  return [`One row per ${spec.grain}.`, "", "| column | type | unit | meaning |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
