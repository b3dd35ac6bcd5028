// `trend --parquet DIR` and `compare --parquet DIR --baseline-label X
// --candidate-label Y`: the statistics over a Parquet export instead of
// recordings (pipelines/parquet/stats.ts), DuckDB loaded only here.

import type { Comparison, ComparisonSettings, Trend } from "../src/model/comparison.js";
import { UsageError } from "./cli-errors.js";
import * as say from "./parquet/messages.js";

export async function trendFromParquet(dir: string, settings: ComparisonSettings): Promise<Trend> {
  const { openDatabase } = await import("./parquet/duckdb.js");
  const { createViews } = await import("./parquet/views.js");
  const { parquetTrend } = await import("./parquet/stats.js");
  const db = await openDatabase();
  try {
    await createViews(db.connection, dir);
    return await parquetTrend(db.connection, settings);
  } finally {
    db.close();
  }
}

export async function compareFromParquet(dir: string, baselineLabel: string, candidateLabel: string, settings: ComparisonSettings): Promise<Comparison> {
  const { openDatabase } = await import("./parquet/duckdb.js");
  const { createViews } = await import("./parquet/views.js");
  const { exportLabels, parquetCompare } = await import("./parquet/stats.js");
  const db = await openDatabase();
  try {
    await createViews(db.connection, dir);
    const labels = await exportLabels(db.connection);
    for (const [flag, label] of [["--baseline-label", baselineLabel], ["--candidate-label", candidateLabel]] as const) {
      if (!labels.includes(label)) throw new UsageError(say.noRunsWithLabel(flag, label, labels));
    }
    return await parquetCompare(db.connection, baselineLabel, candidateLabel, settings);
  } finally {
    db.close();
  }
}
