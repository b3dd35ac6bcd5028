// A Parquet export's folder: one subfolder per table, Hive-partitioned by day
// and workflow (runs/day=2026-11-30/workflow=1f0c…/part-<uuid>.parquet), and
// _comfyprof.json naming the schema version. A new export goes to a missing or
// empty folder; --append adds files with new names beside an export's, never
// rewriting one. Readers (Spark, DuckDB) skip names starting with _ or .

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError, OutputError } from "../cli-errors.js";
import * as say from "./messages.js";

/** Major.minor of the tables' columns: a new column is a minor step, a renamed or retyped one a major step. */
export const PARQUET_SCHEMA_VERSION = "1.0";
export const MANIFEST = "_comfyprof.json";
const FORMAT = "comfyprof-parquet";

/** The partition folders' keys, in nesting order (copies of day_utc and workflow_fingerprint). */
export const PARTITION_KEYS = ["day", "workflow"] as const;

export function tableDir(dir: string, table: string): string {
  return join(dir, table);
}

/** Every data file of a table (DuckDB's glob). */
export function tableGlob(dir: string, table: string): string {
  return join(dir, table, "**", "*.parquet");
}

/** Whether the table has any data file (a glob that matches nothing is an error to DuckDB). */
export function tableHasFiles(dir: string, table: string): boolean {
  const walk = (d: string): boolean => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith(".parquet")));
  };
  return walk(tableDir(dir, table));
}

function entriesOf(dir: string): string[] | null {
  let stats;
  try {
    stats = statSync(dir);
  } catch {
    return null;
  }
  if (!stats.isDirectory()) throw new OutputError(say.isAFile("--parquet", dir));
  return readdirSync(dir);
}

/**
 * Makes the folder ready for a new export: created when missing, taken when
 * empty; with `append`, an existing export of a version this reader knows.
 * Anything else is refused before any work.
 */
export function prepareExportDir(dir: string, append: boolean): void {
  const entries = entriesOf(dir);
  if (entries !== null && entries.length > 0) {
    if (!append) throw new OutputError(say.dirNotEmpty(dir));
    if (!entries.includes(MANIFEST)) throw new OutputError(say.appendToOther(dir));
    readManifest(dir);
    return;
  }
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, MANIFEST), `${JSON.stringify({ format: FORMAT, version: PARQUET_SCHEMA_VERSION }, null, 2)}\n`, { flag: "wx" });
  } catch (err) {
    throw new OutputError(`--parquet ${dir}: cannot write there: ${(err as NodeJS.ErrnoException).code ?? "unknown error"}`);
  }
}

/** Checks that `dir` is an export this reader knows; returns its schema version. */
export function readManifest(dir: string): string {
  let text: string;
  try {
    if (!statSync(dir).isDirectory()) throw new InputError(say.notAnExport(dir, "a file, not a folder"));
    text = readFileSync(join(dir, MANIFEST), "utf8");
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(say.notAnExport(dir, code === "ENOENT" ? `no ${MANIFEST}` : `cannot read it: ${code ?? "unknown error"}`));
  }
  let manifest: { format?: unknown; version?: unknown };
  try {
    manifest = JSON.parse(text);
  } catch {
    throw new InputError(say.notAnExport(dir, `${MANIFEST} is not JSON`));
  }
  if (manifest?.format !== FORMAT || typeof manifest.version !== "string") throw new InputError(say.notAnExport(dir, `${MANIFEST} names another format`));
  const major = (v: string) => v.split(".")[0];
  if (major(manifest.version) !== major(PARQUET_SCHEMA_VERSION)) throw new InputError(say.newerExport(dir, manifest.version, major(PARQUET_SCHEMA_VERSION)!));
  return manifest.version;
}
