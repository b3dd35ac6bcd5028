// Writes a Parquet export. Each run's rows are appended, as the log streams
// past, to one NDJSON staging file per table in the export folder
// (_staging-<id>/batch-N/, synchronous writes: nothing but a small buffer is
// held in memory), a new batch every FLUSH_RUNS runs; between logs, DuckDB
// copies the complete batches to partitioned Parquet files (all at the end)
// and they are removed. Memory stays flat in the number of runs: one batch at
// a time (docs/decisions.md says why staging files, not DuckDB's appender).

import { closeSync, ftruncateSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../../src/model/diagnostic.js";
import type { RunProfile } from "../../src/model/profile.js";
import type { TableSpec } from "./columns.js";
import { openDatabase, sqlIdentifier, sqlString, type Database } from "./duckdb.js";
import { PARTITION_KEYS, tableDir } from "./layout.js";
import { DIAGNOSTICS_TABLE, logDiagnosticRows, NODES_TABLE, RUNS_TABLE, runRows, SAMPLES_TABLE, workflowRow, WORKFLOWS_TABLE, type RunPlace, type TableName } from "./tables.js";
import type { ApiWorkflow } from "../../src/model/events.js";

/** Runs in a batch: row groups of ~50k node rows, few files per partition, and what one COPY holds in memory (~90 MB measured, docs/performance.md). */
export const FLUSH_RUNS = 2000;
/** Staged text buffered before it is written to its file. */
const WRITE_BYTES = 1 << 20;
/** DuckDB's memory limit while copying: beyond it, it spills to its temporary folder. */
export const COPY_MEMORY = "512MB";

class StagingFile {
  private readonly fd: number;
  private buffered: string[] = [];
  private bufferedBytes = 0;
  /** Bytes written to the file so far (writes are positional: a truncated file starts again at 0). */
  size = 0;

  constructor(readonly spec: TableSpec<never>, readonly path: string) {
    this.fd = openSync(path, "w");
  }

  add<R>(spec: TableSpec<R>, rows: readonly R[]): void {
    for (const row of rows) {
      const record: Record<string, unknown> = {};
      for (const c of spec.columns) record[c.name] = c.get(row);
      const line = `${JSON.stringify(record)}\n`;
      this.buffered.push(line);
      this.bufferedBytes += line.length;
    }
    if (this.bufferedBytes >= WRITE_BYTES) this.write();
  }

  write(): void {
    if (this.buffered.length === 0) return;
    const bytes = Buffer.from(this.buffered.join(""), "utf8");
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, this.size + done);
    this.size += bytes.length;
    this.buffered = [];
    this.bufferedBytes = 0;
  }

  truncate(size: number): void {
    this.write();
    ftruncateSync(this.fd, size);
    this.size = size;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** The staging files of up to `flushRuns` runs, copied out by one COPY per table. */
class Batch {
  runs = 0;
  readonly files: Record<TableName, StagingFile>;

  constructor(readonly dir: string) {
    mkdirSync(dir);
    const file = (spec: TableSpec<never>) => new StagingFile(spec, join(dir, `${spec.name}.ndjson`));
    this.files = { runs: file(RUNS_TABLE), nodes: file(NODES_TABLE), samples: file(SAMPLES_TABLE), diagnostics: file(DIAGNOSTICS_TABLE), workflows: file(WORKFLOWS_TABLE) };
  }

  sizes(): LogMark["sizes"] {
    for (const f of Object.values(this.files)) f.write();
    const f = this.files;
    return { runs: f.runs.size, nodes: f.nodes.size, samples: f.samples.size, diagnostics: f.diagnostics.size, workflows: f.workflows.size };
  }

  remove(): void {
    for (const f of Object.values(this.files)) f.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Where the staging stood when a log began: a refused log is cut back to it. */
export interface LogMark {
  /** Batches complete before the log. */
  batches: number;
  /** The open batch's files' sizes and runs then. */
  sizes: Record<TableName, number>;
  runs: number;
}

/**
 * Batches rotate every `flushRuns` runs, also inside a long log, so that one
 * COPY never reads more than that; they are copied out only once the log they
 * hold has been read to its end (a log refused midway is dropped whole), and
 * then only complete batches, or everything at the end.
 */
export class ParquetWriter {
  private runsWritten = 0;
  private batchNo = 0;
  private db: Database | null = null;
  private closed = false;
  private readonly stagingDir: string;
  private complete: Batch[] = [];
  private open: Batch;

  /** Stages in `dir` (which prepareExportDir has checked). `flushRuns`: FLUSH_RUNS but in tests. */
  constructor(
    private readonly dir: string,
    exportId: string,
    private readonly flushRuns = FLUSH_RUNS,
  ) {
    this.stagingDir = join(dir, `_staging-${exportId}`);
    mkdirSync(this.stagingDir);
    this.open = this.newBatch();
  }

  private newBatch(): Batch {
    return new Batch(join(this.stagingDir, `batch-${this.batchNo++}`));
  }

  /** Appends one run's rows (synchronous: called as the log streams past). */
  addRun(run: RunProfile, place: RunPlace): void {
    const rows = runRows(run, place);
    const files = this.open.files;
    files.runs.add(RUNS_TABLE, rows.runs);
    files.nodes.add(NODES_TABLE, rows.nodes);
    files.samples.add(SAMPLES_TABLE, rows.samples);
    files.diagnostics.add(DIAGNOSTICS_TABLE, rows.diagnostics);
    if (++this.open.runs < this.flushRuns) return;
    for (const f of Object.values(files)) f.write();
    this.complete.push(this.open);
    this.open = this.newBatch();
  }

  /** The prompt of a workflow the export has not written yet (call with the run that first has it). */
  addWorkflow(run: RunProfile, prompt: ApiWorkflow, place: RunPlace): void {
    this.open.files.workflows.add(WORKFLOWS_TABLE, [workflowRow(run, prompt, place)]);
  }

  addLogDiagnostics(diagnostics: readonly Diagnostic[], exportId: string, recording: string): void {
    this.open.files.diagnostics.add(DIAGNOSTICS_TABLE, logDiagnosticRows(diagnostics, exportId, recording));
  }

  /** Where the staging stands: call before a log, to drop its rows if it is refused. */
  mark(): LogMark {
    return { batches: this.complete.length, sizes: this.open.sizes(), runs: this.open.runs };
  }

  /** Drops the rows staged since `mark` (a log refused midway). */
  dropSince(mark: LogMark): void {
    const reopened = this.complete.length > mark.batches ? this.complete[mark.batches]! : this.open;
    for (const b of [...this.complete.slice(mark.batches + 1), ...(reopened === this.open ? [] : [this.open])]) b.remove();
    for (const [table, size] of Object.entries(mark.sizes) as [TableName, number][]) reopened.files[table].truncate(size);
    reopened.runs = mark.runs;
    this.complete = this.complete.slice(0, mark.batches);
    this.open = reopened;
  }

  /** Between logs: copies out the complete batches (with `all`, the open one too). */
  async flush(all = false): Promise<void> {
    const batches = all ? [...this.complete, this.open] : this.complete;
    for (const b of batches) await this.copyOut(b);
    this.complete = [];
    if (all) this.open = this.newBatch();
  }

  private async copyOut(batch: Batch): Promise<void> {
    this.db ??= await openDatabase(":memory:", { memory_limit: COPY_MEMORY, temp_directory: join(this.stagingDir, "duckdb.tmp") });
    const partitions = PARTITION_KEYS.map((k) => sqlIdentifier(k)).join(", ");
    for (const f of Object.values(batch.files)) {
      f.write();
      if (f.size === 0) continue;
      const columns = `{${f.spec.columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(", ")}}`;
      const source = `read_json(${sqlString(f.path)}, format = 'newline_delimited', columns = ${columns})`;
      const select = `SELECT *, day_utc AS ${sqlIdentifier("day")}, workflow_fingerprint AS ${sqlIdentifier("workflow")} FROM ${source}`;
      await this.db.connection.run(`COPY (${select}) TO ${sqlString(tableDir(this.dir, f.spec.name))} (FORMAT parquet, PARTITION_BY (${partitions}), FILENAME_PATTERN 'part-{uuid}', APPEND)`);
    }
    this.runsWritten += batch.runs;
    batch.remove();
  }

  /** Copies out what is left, closes and removes the staging files; returns the runs written. */
  async finish(): Promise<number> {
    await this.flush(true);
    this.close();
    return this.runsWritten;
  }

  /** Closes and removes the staging files (also after a failure). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const b of [...this.complete, this.open]) b.remove();
    this.db?.close();
    rmSync(this.stagingDir, { recursive: true, force: true });
  }
}
