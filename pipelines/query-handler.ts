// `comfyprof query "SQL" --parquet DIR`: ad-hoc SQL (DuckDB) over an export,
// with the views runs, nodes, node_types, samples, diagnostics and workflows
// (docs/parquet.md). Text table, CSV or JSON on stdout.


import type { DuckDBResultReader, DuckDBType } from "@duckdb/node-api";
import { renderQueryCsv, renderQueryJson, renderQueryText, type QueryCell, type QueryResult } from "../reports/query-result.js";
import { UsageError } from "./cli-errors.js";
import { toStdout } from "./output-files.js";
import * as say from "./parquet/messages.js";
import type { QueryArgs } from "./query-command.js";

export async function runQuery(a: QueryArgs): Promise<void> {
  if (a.sql.trim() === "") throw new UsageError("the query is empty: give a SQL statement, e.g. \"SELECT count(*) FROM runs\"");
  const { openDatabase, sqlError } = await import("./parquet/duckdb.js");
  const { createViews } = await import("./parquet/views.js");
  const db = await openDatabase();
  let result: QueryResult;
  try {
    await createViews(db.connection, a.parquet);
    let reader: DuckDBResultReader;
    try {
      reader = await db.connection.runAndReadAll(a.sql);
    } catch (err) {
      throw sqlError(err, say.badSql()) ?? err;
    }
    result = toQueryResult(reader);
  } finally {
    db.close();
  }
  const render = a.format === "csv" ? renderQueryCsv : a.format === "json" ? renderQueryJson : renderQueryText;
  await toStdout([render(result)]);
}

/** Integer and decimal types, which getRowsJson gives as strings (they may not fit a double). */
const NUMERIC_TYPES = new Set(["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL"]);

function isNumeric(type: DuckDBType): boolean {
  return NUMERIC_TYPES.has(String(type).replace(/\(.*$/, ""));
}

/** Rows as JSON values; whole numbers that a double holds exactly become numbers, the rest keep DuckDB's exact text. */
function toQueryResult(reader: DuckDBResultReader): QueryResult {
  const types = reader.columnTypes();
  const columns = reader.columnNames().map((name, i) => ({ name, numeric: isNumeric(types[i]!) }));
  const rows = reader.getRowsJson().map((row) =>
    row.map((cell, i) => {
      if (!columns[i]!.numeric || typeof cell !== "string") return cell as QueryCell;
      const n = Number(cell);
      if (/^-?\d+$/.test(cell)) return Number.isSafeInteger(n) ? n : cell;
      return Number.isFinite(n) ? n : cell;
    }),
  );
  return { columns, rows };
}
