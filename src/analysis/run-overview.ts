// The many-runs overview: the distribution of run times per workflow and cache
// state (a histogram on log-spaced bins: one log holds 0.3 s and 14 s workflows
// side by side), and per node type the five numbers of a box plot. Computed
// here from compact rows so the page carries a few hundred numbers, not one per
// run or node. Pure.

import type { HistogramBin, NodeTypeBox, RunSummary } from "../model/run-overview.js";
import { quantile } from "../stats/descriptive.js";
import { isNonEmpty } from "../model/non-empty.js";

/** Bins per histogram: enough to see two modes, few enough to read (Sturges' rule gives 15 for 11,000 runs). */
export const HISTOGRAM_BINS = 30;
/** Histograms drawn at most; the smaller groups are merged into one, so the page stays readable and bounded. */
export const HISTOGRAM_GROUPS_MAX = 12;
/** Node types given a box at most, by total time. */
export const BOX_TYPES_MAX = 30;
/** The log-spaced bins start no lower than this (a 0 ms run falls in the first bin). */
const BIN_FLOOR_MS = 0.1;

/** Measured, finished runs with a time, per "workflow · cache state", on bins shared by all groups (one axis). Empty bins left out. */
export function runTimeHistogram(summaries: readonly RunSummary[]): HistogramBin[] {
  const timed = summaries.filter((s) => !s.warmup && s.status === "success" && s.executionMs !== null);
  if (timed.length === 0) return [];
  const groups = new Map<string, number[]>();
  for (const s of timed) {
    const key = `${s.workflow} · ${s.cacheState ?? "cache state unknown"}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(s.executionMs!);
  }
  const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  const shown = ordered.slice(0, HISTOGRAM_GROUPS_MAX - (ordered.length > HISTOGRAM_GROUPS_MAX ? 1 : 0));
  const rest = ordered.slice(shown.length);
  if (rest.length > 0) shown.push([`${rest.length} other workflow / cache state groups`, rest.flatMap((g) => g[1])]);
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of timed) {
    lo = Math.min(lo, Math.max(s.executionMs!, BIN_FLOOR_MS));
    hi = Math.max(hi, Math.max(s.executionMs!, BIN_FLOOR_MS));
  }
  const logLo = Math.log10(lo);
  // One equal run time fills one bin of ±5 %.
  const logHi = hi > lo ? Math.log10(hi) : logLo + 0.04;
  const width = (logHi - logLo) / HISTOGRAM_BINS;
  const bins: HistogramBin[] = [];
  for (const [group, times] of shown) {
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
    for (const t of times) {
      const at = Math.floor((Math.log10(Math.max(t, BIN_FLOOR_MS)) - logLo) / width);
      counts[Math.min(HISTOGRAM_BINS - 1, Math.max(0, at))]!++;
    }
    counts.forEach((count, i) => {
      if (count > 0) bins.push({ group, runs: times.length, fromMs: 10 ** (logLo + i * width), toMs: 10 ** (logLo + (i + 1) * width), count });
    });
  }
  return bins;
}

/** Per node type, the five numbers of its executed durations; the BOX_TYPES_MAX types with the largest total, largest first. */
export function nodeTypeBoxes(durations: ReadonlyMap<string, readonly number[]>): NodeTypeBox[] {
  const boxes: NodeTypeBox[] = [];
  for (const [classType, values] of durations) {
    const sorted = Float64Array.from(values).sort();
    const list = Array.from(sorted);
    if (!isNonEmpty(list)) continue;
    let totalMs = 0;
    for (const v of list) totalMs += v;
    boxes.push({
      classType, count: list.length, totalMs, minMs: list[0], q1Ms: quantile(list, 0.25), medianMs: quantile(list, 0.5), q3Ms: quantile(list, 0.75), maxMs: list[list.length - 1]!,
    });
  }
  return boxes.sort((a, b) => b.totalMs - a.totalMs || (a.classType < b.classType ? -1 : 1)).slice(0, BOX_TYPES_MAX);
}
