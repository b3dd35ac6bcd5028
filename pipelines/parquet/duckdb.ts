// DuckDB, loaded only by the commands that use it (export, query, trend and
// compare over Parquet): a dynamic import, so `comfyprof --help` and the other
// commands never load its native binding.

import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { SqlError } from "../cli-errors.js";

export type DuckDb = typeof import("@duckdb/node-api");

export interface Database {
  duck: DuckDb;
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  close(): void;
}

/** Opens a database: `path` a file (created), or ":memory:". */
export async function openDatabase(path = ":memory:", options: Record<string, string> = {}): Promise<Database> {
  const duck = await import("@duckdb/node-api");
  const instance = await duck.DuckDBInstance.create(path, options);
  const connection = await instance.connect();
  return {
    duck,
    instance,
    connection,
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A literal for a SQL string: single quotes doubled. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** An identifier, double-quoted. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * DuckDB's own errors name their kind first ("Parser Error: syntax error at or
 * near …", "Binder Error: Referenced column … not found"): a user's SQL that
 * fails is a usage error, shown as DuckDB put it.
 */
export function sqlError(err: unknown, what: string): SqlError | null {
  if (!(err instanceof Error) || !/^[A-Za-z ]+ Error: /.test(err.message)) return null;
  const lines = err.message.split("\n").filter((line) => line.trim() !== "");
  return new SqlError(`${what}: ${lines.join("\n")}`);
}
