// Writes a Parquet export: rows are appended, run by run, to staging tables in
// a DuckDB database file inside the export folder (_staging-<id>.duckdb), and
// copied to partitioned Parquet files whenever FLUSH_RUNS runs are staged and
// at the end; the staging file is then removed. Memory stays flat in the number
// of runs: DuckDB keeps at most STAGING_MEMORY of the staged rows in memory
// and the rest in its file (docs/decisions.md says why staging, not one
// Parquet writer per table).

import { rmSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBAppender } from "@duckdb/node-api";
import type { Diagnostic } from "../../src/model/diagnostic.js";
import type { RunProfile } from "../../src/model/profile.js";
import type { CellValue, Column, TableSpec } from "./columns.js";
import { openDatabase, sqlIdentifier, sqlString, type Database, type DuckDb } from "./duckdb.js";
import { PARTITION_KEYS, tableDir } from "./layout.js";
import type { RunRow } from "./run-columns.js";
import type { NodeRow } from "./node-columns.js";
import type { DiagnosticRow, SampleRow } from "./event-columns.js";
import { DIAGNOSTICS_TABLE, logDiagnosticRows, NODES_TABLE, RUNS_TABLE, runRows, SAMPLES_TABLE, TABLES, type RunPlace } from "./tables.js";

/** Runs staged before their rows are copied out: big row groups (~100k node rows), few files per partition. */
export const FLUSH_RUNS = 5000;
/** DuckDB's memory limit while staging: beyond it, staged rows wait in the staging file. */
export const STAGING_MEMORY = "256MB";

interface Staged<R> {
  spec: TableSpec<R>;
  appender: DuckDBAppender;
}

export class ParquetWriter {
  private staged = 0;
  private runsWritten = 0;
  private closed = false;
  private constructor(
    private readonly flushRuns: number,
    private readonly db: Database,
    private readonly dir: string,
    private readonly stagingPath: string,
    private readonly tables: { runs: Staged<RunRow>; nodes: Staged<NodeRow>; samples: Staged<SampleRow>; diagnostics: Staged<DiagnosticRow> },
  ) {}

  /** Opens the staging database in `dir` (which prepareExportDir has checked). `flushRuns`: FLUSH_RUNS but in tests. */
  static async open(dir: string, exportId: string, flushRuns = FLUSH_RUNS): Promise<ParquetWriter> {
    const stagingPath = join(dir, `_staging-${exportId}.duckdb`);
    const db = await openDatabase(stagingPath, { memory_limit: STAGING_MEMORY });
    try {
      for (const t of TABLES) await db.connection.run(`CREATE TABLE ${sqlIdentifier(t.name)} (${t.columns.map((c) => `${sqlIdentifier(c.name)} ${c.type}`).join(", ")})`);
      const stage = async <R>(spec: TableSpec<R>): Promise<Staged<R>> => ({ spec, appender: await db.connection.createAppender(spec.name) });
      const tables = { runs: await stage(RUNS_TABLE), nodes: await stage(NODES_TABLE), samples: await stage(SAMPLES_TABLE), diagnostics: await stage(DIAGNOSTICS_TABLE) };
      return new ParquetWriter(flushRuns, db, dir, stagingPath, tables);
    } catch (err) {
      db.close();
      removeStaging(stagingPath);
      throw err;
    }
  }

  /** Appends one run's rows (synchronous: called as the log streams past). */
  addRun(run: RunProfile, place: RunPlace): void {
    const rows = runRows(run, place);
    appendRows(this.db.duck, this.tables.runs, rows.runs);
    appendRows(this.db.duck, this.tables.nodes, rows.nodes);
    appendRows(this.db.duck, this.tables.samples, rows.samples);
    appendRows(this.db.duck, this.tables.diagnostics, rows.diagnostics);
    this.staged++;
  }

  addLogDiagnostics(diagnostics: readonly Diagnostic[], exportId: string, recording: string): void {
    appendRows(this.db.duck, this.tables.diagnostics, logDiagnosticRows(diagnostics, exportId, recording));
  }

  /** Drops the staged rows of a log that was refused midway (`runIdPrefix`: "<export>/<log>/"). */
  async dropLog(runIdPrefix: string, runs: number): Promise<void> {
    this.flushAppenders();
    for (const t of TABLES) await this.db.connection.run(`DELETE FROM ${sqlIdentifier(t.name)} WHERE starts_with(run_id, ${sqlString(runIdPrefix)})`);
    this.staged -= runs;
  }

  /** Copies the staged rows out when `flushRuns` or more are waiting (or `always`). */
  async flush(always = false): Promise<void> {
    if (!always && this.staged < this.flushRuns) return;
    this.flushAppenders();
    for (const t of TABLES) {
      const partitions = PARTITION_KEYS.map((k) => sqlIdentifier(k)).join(", ");
      const select = `SELECT *, day_utc AS ${sqlIdentifier("day")}, workflow_fingerprint AS ${sqlIdentifier("workflow")} FROM ${sqlIdentifier(t.name)}`;
      await this.db.connection.run(`COPY (${select}) TO ${sqlString(tableDir(this.dir, t.name))} (FORMAT parquet, PARTITION_BY (${partitions}), FILENAME_PATTERN 'part-{uuid}', APPEND)`);
      await this.db.connection.run(`DELETE FROM ${sqlIdentifier(t.name)}`);
    }
    this.runsWritten += this.staged;
    this.staged = 0;
  }

  /** Copies out what is left, closes and removes the staging database; returns the runs written. */
  async finish(): Promise<number> {
    await this.flush(true);
    this.close();
    return this.runsWritten;
  }

  /** Closes and removes the staging database (also after a failure). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of Object.values(this.tables)) {
      try {
        t.appender.closeSync();
      } catch {
        // Already closed, or the database failed: the staging file goes anyway.
      }
    }
    this.db.close();
    removeStaging(this.stagingPath);
  }

  private flushAppenders(): void {
    for (const t of Object.values(this.tables)) t.appender.flushSync();
  }
}

function removeStaging(path: string): void {
  for (const p of [path, `${path}.wal`]) rmSync(p, { force: true });
}

function appendRows<R>(duck: DuckDb, staged: Staged<R>, rows: readonly R[]): void {
  const { spec, appender } = staged;
  for (const row of rows) {
    for (const c of spec.columns) appendCell(duck, appender, c, c.get(row));
    appender.endRow();
  }
}

function appendCell<R>(duck: DuckDb, appender: DuckDBAppender, c: Column<R>, value: CellValue): void {
  if (value === null) return appender.appendNull();
  switch (c.type) {
    case "VARCHAR":
      return appender.appendVarchar(value as string);
    case "DOUBLE":
      return appender.appendDouble(value as number);
    case "INTEGER":
      return appender.appendInteger(value as number);
    case "BOOLEAN":
      return appender.appendBoolean(value as boolean);
    case "VARCHAR[]":
      return appender.appendList(duck.listValue([...(value as readonly string[])]), duck.LIST(duck.VARCHAR));
  }
}
