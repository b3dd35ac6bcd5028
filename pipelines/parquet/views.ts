// The views `comfyprof query` (and trend/compare --parquet) read: runs, nodes,
// samples, diagnostics and workflows over an export's files, and node_types, the
// per-class statistics `analyze` reports (docs/parquet.md "Views").

import type { DuckDBConnection } from "@duckdb/node-api";
import type { TableSpec } from "./columns.js";
import { readManifest, tableGlob, tableHasFiles } from "./layout.js";
import { sqlIdentifier, sqlString } from "./duckdb.js";
import { TABLES } from "./tables.js";

export const VIEW_NAMES = [...TABLES.map((t) => t.name), "node_types"] as const;

/**
 * Per class, over the nodes counted in the node-type statistics (executed,
 * timed, not a warm-up, not too uncertain): the figures of analyze's nodeTypes
 * (src/analysis/node-types.ts), quantiles of type 7 (DuckDB's quantile_cont).
 */
const NODE_TYPES_SQL = `
SELECT class_type,
  count(*) AS count,
  sum(duration_ms) AS total_ms,
  sum(duration_ms) / count(*) AS mean_ms,
  quantile_cont(duration_ms, 0.5) AS median_ms,
  quantile_cont(duration_ms, 0.95) AS p95_ms,
  min(duration_ms) AS min_ms,
  max(duration_ms) AS max_ms,
  stddev_samp(duration_ms) AS stdev_ms,
  CASE WHEN sum(sum(duration_ms)) OVER () = 0 THEN 0 ELSE sum(duration_ms) / sum(sum(duration_ms)) OVER () END AS share_of_total
FROM nodes WHERE in_type_stats
GROUP BY class_type
ORDER BY total_ms DESC, class_type`;

/** Creates the views over the export in `dir` (checked first: InputError when it is not one). */
export async function createViews(connection: DuckDBConnection, dir: string): Promise<void> {
  readManifest(dir);
  for (const t of TABLES) {
    const source = tableHasFiles(dir, t.name)
      ? `SELECT * FROM read_parquet(${sqlString(tableGlob(dir, t.name))}, hive_partitioning = false, union_by_name = true)`
      : emptyTable(t);
    await connection.run(`CREATE OR REPLACE VIEW ${sqlIdentifier(t.name)} AS ${source}`);
  }
  await connection.run(`CREATE OR REPLACE VIEW node_types AS ${NODE_TYPES_SQL}`);
}

/** A table with the spec's columns and no row (an export with no sample, say). */
function emptyTable(t: TableSpec<never>): string {
  return `SELECT ${t.columns.map((c) => `CAST(NULL AS ${c.type}) AS ${sqlIdentifier(c.name)}`).join(", ")} WHERE false`;
}
