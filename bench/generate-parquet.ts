// A synthetic Parquet export for the fleet benchmark, made by DuckDB SQL
// straight from the table specs (no event log): `recordings` logs of
// `runsPerRecording` measured runs each, spread over WORKFLOWS workflows, each
// run with NODES_PER_RUN executed nodes of CLASSES classes. Execution times
// are a workflow's level × (1 ± 5 % noise), with a 30 % step from the 60 %
// mark on (a change point to find). Deterministic: DuckDB's setseed.
//
//   node dist/bench/generate-parquet.js DIR [runs (100000)]

import { fileURLToPath } from "node:url";
import { openDatabase, sqlIdentifier, sqlString } from "../pipelines/parquet/duckdb.js";
import { prepareExportDir, tableDir } from "../pipelines/parquet/layout.js";
import { TABLES } from "../pipelines/parquet/tables.js";

export const WORKFLOWS = 4;
export const NODES_PER_RUN = 20;
const CLASSES = 8;
const RUNS_PER_RECORDING = 1000;
const EXPORT_ID = "synthetic";
const DAY0_MS = Date.UTC(2026, 10, 1);

/** Per column, the SQL giving its value (unlisted columns are NULL). `r` is the run number, `log` the recording. */
const RUN_VALUES: Record<string, string> = {
  export_id: sqlString(EXPORT_ID),
  recording: "'synthetic-' || lpad(log::VARCHAR, 4, '0') || '.ndjson'",
  run_id: `'${EXPORT_ID}/' || log || '/' || run_index`,
  day_utc: `strftime(make_timestamp(CAST((${DAY0_MS} + log * 3600000) * 1000 AS BIGINT)), '%Y-%m-%d')`,
  workflow_fingerprint: "lpad(printf('%x', wf), 16, '0')",
  run_index: "run_index",
  prompt_id: "'p' || r",
  started_at_ms: `${DAY0_MS} + log * 3600000 + run_index * 1000`,
  workflow_name: "'workflow-' || wf",
  workflow_nodes: String(NODES_PER_RUN),
  warmup: "false",
  cache_use: "'model-warm'",
  outcome: "'success'",
  cold_run_not_cold: "false",
  execution_ms: "(1000 + 500 * wf) * (CASE WHEN log >= recordings * 0.6 AND wf = 0 THEN 1.3 ELSE 1 END) * (0.95 + 0.1 * random())",
  execution_source: "'server'",
  comfyui_version: "'0.21.0'",
  devices: "'cuda:0 NVIDIA L4'",
  launch_args: "''",
  node_classes: "'C0, C1, C2, C3, C4, C5, C6, C7'",
  uncertain_nodes: "0",
};

const NODE_VALUES: Record<string, string> = {
  ...Object.fromEntries(["export_id", "recording", "run_id", "day_utc", "workflow_fingerprint"].map((k) => [k, k])),
  node_index: "node_index",
  node_id: "node_index::VARCHAR",
  class_type: `'C' || (node_index % ${CLASSES})`,
  status: "'executed'",
  cached: "false",
  duration_ms: "execution_ms / 25 * (0.5 + random())",
  executions: "1",
  boundary_uncertain: "false",
  in_type_stats: "true",
  on_critical_path: "node_index % 2 = 0",
};

function select(table: (typeof TABLES)[number], values: Record<string, string>): string {
  return table.columns.map((c) => `CAST(${values[c.name] ?? "NULL"} AS ${c.type}) AS ${sqlIdentifier(c.name)}`).join(", ");
}

export async function generateParquetExport(dir: string, runs: number): Promise<{ runs: number; nodes: number }> {
  prepareExportDir(dir, false);
  const recordings = Math.max(1, Math.round(runs / RUNS_PER_RECORDING));
  const db = await openDatabase();
  try {
    const c = db.connection;
    await c.run("SELECT setseed(0.42)");
    const [runsSpec, nodesSpec] = [TABLES.find((t) => t.name === "runs")!, TABLES.find((t) => t.name === "nodes")!];
    await c.run(`CREATE TABLE base AS SELECT r, r // ${RUNS_PER_RECORDING} AS log, r % ${RUNS_PER_RECORDING} AS run_index, r % ${WORKFLOWS} AS wf, ${recordings} AS recordings FROM range(${runs}) t(r)`);
    await c.run(`CREATE TABLE runs AS SELECT ${select(runsSpec, RUN_VALUES)} FROM base`);
    await c.run(`CREATE TABLE nodes AS SELECT ${select(nodesSpec, NODE_VALUES)} FROM runs, range(${NODES_PER_RUN}) n(node_index)`);
    for (const t of TABLES) {
      if (t.name !== "runs" && t.name !== "nodes") continue;
      await c.run(`COPY (SELECT *, day_utc AS day, workflow_fingerprint AS workflow FROM ${t.name}) TO ${sqlString(tableDir(dir, t.name))} (FORMAT parquet, PARTITION_BY (day, workflow), FILENAME_PATTERN 'part-{uuid}')`);
    }
    return { runs, nodes: runs * NODES_PER_RUN };
  } finally {
    db.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, runs] = process.argv.slice(2);
  if (!dir) throw new Error("usage: generate-parquet.js DIR [runs]");
  const made = await generateParquetExport(dir, Number(runs ?? 100_000));
  process.stdout.write(`${JSON.stringify(made)}\n`);
}
