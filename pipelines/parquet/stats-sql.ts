// The SQL behind trend and compare over an export: DuckDB picks the measured
// runs and groups them per recording (or side), workflow and cache state, and
// hands each group's per-run values, in run order, to pipelines/parquet/stats.ts.
// The rules are src/analysis/compare.ts's groupRuns: warm-ups left out; failed
// runs, runs without an execution time and cold runs that had cached nodes
// excluded; groups by observed cache use.

import { ENVIRONMENT_FIELD_NAMES, type EnvironmentField } from "../../src/analysis/compare.js";
import { sqlString } from "./duckdb.js";

/** Each environment field compared (src/analysis/compare.ts), as an expression over `runs`' columns. */
const ENVIRONMENT_SQL: Record<EnvironmentField, string> = {
  ComfyUI: "comfyui_version",
  Python: "split_part(python_version, ' ', 1)",
  PyTorch: "pytorch_version",
  OS: "os",
  devices: "devices",
  "launch arguments": "launch_args",
  "node classes": "node_classes",
};

/** The environment fields in compare.ts's order, each with its SQL. */
export const ENVIRONMENT_FIELDS: readonly { field: EnvironmentField; sql: string }[] = ENVIRONMENT_FIELD_NAMES.map((field) => ({ field, sql: ENVIRONMENT_SQL[field] }));

/**
 * Each log once, ordered by its first run's server start (then export and log
 * order): trend's point order, and the order of a compare side's runs.
 */
const LOGS = `
logs AS (
  SELECT export_id, recording, CAST(split_part(run_id, '/', 2) AS INTEGER) AS log_index,
    min(started_at_ms) AS log_start_ms, max(label) AS log_label
  FROM runs GROUP BY ALL),
ordered_logs AS (
  SELECT *, row_number() OVER (ORDER BY log_start_ms NULLS LAST, export_id, log_index) AS log_order FROM logs)`;

/** Runs with their log's order; `side` is the recording's point (trend) or a label's side (compare). */
function runsWith(side: string): string {
  return `
${LOGS},
placed AS (
  SELECT r.*, l.log_order, l.log_start_ms, l.log_label, ${side} AS side
  FROM runs r JOIN ordered_logs l ON r.export_id = l.export_id AND CAST(split_part(r.run_id, '/', 2) AS INTEGER) = l.log_index),
measured AS (
  SELECT * FROM placed
  WHERE side IS NOT NULL AND NOT warmup AND outcome = 'success' AND execution_ms IS NOT NULL AND NOT cold_run_not_cold),
grouped AS (
  SELECT *, min(log_order * 1000000000 + run_index) OVER (PARTITION BY side, workflow_fingerprint, cache_use) AS group_order
  FROM measured)`;
}

/** Trend: a point per log; compare: the label's side. */
export const TREND_SIDE = "log_order";
export function compareSide(baselineLabel: string, candidateLabel: string): string {
  return `CASE WHEN label = ${sqlString(baselineLabel)} THEN 0 WHEN label = ${sqlString(candidateLabel)} THEN 1 END`;
}

/** One row per group: its runs' execution times and environment fields, in run order. */
export function groupsSql(side: string): string {
  const fields = ENVIRONMENT_FIELDS.map((f, i) => `list(${f.sql} ORDER BY log_order, run_index) AS env_${i}`).join(",\n  ");
  return `WITH ${runsWith(side)}
SELECT side, group_order, workflow_fingerprint, cache_use,
  any_value(recording) AS recording, any_value(log_label) AS log_label, any_value(log_start_ms) AS log_start_ms,
  list(workflow_name ORDER BY log_order, run_index)[1] AS workflow_name,
  list(environment_fingerprint ORDER BY log_order, run_index)[1] AS environment_fingerprint,
  list(execution_ms ORDER BY log_order, run_index) AS times,
  ${fields}
FROM grouped GROUP BY side, group_order, workflow_fingerprint, cache_use
ORDER BY side, group_order`;
}

/** Per group and class: each run's summed time of the class's executed nodes, in run order (trend's node-type medians). */
export function classSumsSql(side: string): string {
  return `WITH ${runsWith(side)},
class_sums AS (
  SELECT run_id, class_type, sum(duration_ms) AS ms, min(node_index) AS first_node
  FROM nodes WHERE status = 'executed' AND duration_ms IS NOT NULL GROUP BY run_id, class_type)
SELECT g.side, g.group_order, c.class_type,
  list(c.ms ORDER BY g.log_order, g.run_index) AS sums,
  min(g.log_order * 1000000000000 + g.run_index * 100000 + c.first_node) AS first_seen
FROM class_sums c JOIN grouped g USING (run_id)
GROUP BY g.side, g.group_order, c.class_type`;
}

/**
 * Per group and node id (ids of the group's first side, compare): the timed
 * executions whose uncertainty stays within the noise threshold, in run order,
 * the ones left out for it, and the node's class in the group's first run.
 */
export function nodeSamplesSql(side: string, noiseThreshold: number): string {
  const uncertain = `(n.boundary_uncertain AND (n.duration_plus_minus_ms IS NULL OR n.duration_plus_minus_ms > ${noiseThreshold} * n.duration_ms))`;
  const timed = `n.status = 'executed' AND n.duration_ms IS NOT NULL`;
  return `WITH ${runsWith(side)},
firsts AS (SELECT side, group_order, workflow_fingerprint, cache_use, arg_min(run_id, log_order * 1000000000 + run_index) AS first_run FROM grouped GROUP BY ALL)
SELECT g.side, g.workflow_fingerprint, g.cache_use, n.node_id,
  list(n.duration_ms ORDER BY g.log_order, g.run_index) FILTER (WHERE ${timed} AND NOT ${uncertain}) AS times,
  count(*) FILTER (WHERE ${timed} AND ${uncertain}) AS left_out,
  max(n.class_type) FILTER (WHERE n.run_id = f.first_run) AS first_run_class,
  min(g.log_order * 1000000000000 + g.run_index * 100000 + n.node_index) AS first_seen
FROM nodes n JOIN grouped g USING (run_id)
JOIN firsts f ON f.side = g.side AND f.group_order = g.group_order
GROUP BY g.side, g.workflow_fingerprint, g.cache_use, n.node_id`;
}

/** Compare: the measured runs left out (warm-ups are left out by design, not listed), in run order. */
export function excludedSql(side: string): string {
  return `WITH ${runsWith(side)}
SELECT side, prompt_id, CASE WHEN outcome <> 'success' OR execution_ms IS NULL THEN 'outcome ' || outcome ELSE 'recorded as cold but had cached nodes' END AS reason
FROM placed
WHERE side IS NOT NULL AND NOT warmup AND (outcome <> 'success' OR execution_ms IS NULL OR cold_run_not_cold)
ORDER BY side, log_order, run_index`;
}

/** Compare: the labels in the export, for the message when one names no run. */
export const LABELS_SQL = "SELECT DISTINCT label FROM runs WHERE label IS NOT NULL ORDER BY label";

/** compare: the prompt of each workflow (any export's: runs of one fingerprint differ only in seeds and nonces). */
export function promptsSql(fingerprints: readonly string[]): string {
  return `SELECT workflow_fingerprint, min(prompt_json) AS prompt_json FROM workflows WHERE workflow_fingerprint IN (${fingerprints.map(sqlString).join(", ")}) GROUP BY workflow_fingerprint`;
}
