// Per node class statistics (docs/metrics.md), with arquero's groupby/rollup.
// arquero's aggregates use our definitions (src/analysis/statistics.ts): `quantile`
// and `median` are type 7 over a numerically sorted copy, `stdev` is the sample
// (n − 1) deviation, undefined for one value; test/analysis/node-types.test.ts checks it.

import { desc, op, table } from "arquero";
import type { NodeTypeStats } from "../model/profile.js";

export interface NodeDuration {
  classType: string;
  durationMs: number;
}

interface Rollup {
  classType: string;
  count: number;
  totalMs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  stdevMs: number | undefined;
}

/**
 * Count, total, mean, median, p95, min, max, sample stdev and share of the grand
 * total per class, sorted by totalMs descending, then classType (code-unit order).
 */
export function summarizeNodeTypes(rows: readonly NodeDuration[]): NodeTypeStats[] {
  if (rows.length === 0) return [];
  // Columns built by hand: aq.from(objects) would infer names from the first row.
  const classType = rows.map((r) => r.classType);
  const durationMs = rows.map((r) => r.durationMs);
  const grouped = table({ classType, durationMs })
    .groupby("classType")
    // Operators named by column, not expression strings: a string is parsed as JavaScript (acorn) on first
    // use, ~8 ms of every analyze's start-up (docs/performance.md "Start-up").
    .rollup({
      count: op.count(),
      totalMs: op.sum("durationMs"),
      medianMs: op.median("durationMs"),
      p95Ms: op.quantile("durationMs", 0.95),
      minMs: op.min("durationMs"),
      maxMs: op.max("durationMs"),
      stdevMs: op.stdev("durationMs"),
    })
    .orderby(desc("totalMs"), "classType")
    .objects() as Rollup[];
  let grandTotalMs = 0;
  for (const g of grouped) grandTotalMs += g.totalMs;
  return grouped.map((g) => ({
    classType: g.classType,
    count: g.count,
    totalMs: g.totalMs,
    // total / count rather than arquero's running (Welford) mean, which can differ from it in the last digit.
    meanMs: g.totalMs / g.count,
    medianMs: g.medianMs,
    p95Ms: g.p95Ms,
    minMs: g.minMs,
    maxMs: g.maxMs,
    stdevMs: g.stdevMs ?? null,
    shareOfTotal: grandTotalMs === 0 ? 0 : g.totalMs / grandTotalMs,
  }));
}
