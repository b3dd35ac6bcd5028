// Descriptive statistics: the one definition of each (mean, quantiles, median,
// stdev, MAD) for the fold, the analysers and the bootstrap alike. Pure: no I/O,
// no clock. Every function states its definition; docs/metrics.md repeats them.
// Inputs are NonEmpty (see src/model/non-empty.ts): no statistic of nothing.

import { assertNonEmpty, isNonEmpty, type NonEmpty } from "../model/non-empty.js";

/** Arithmetic mean: Σx / n. */
export function mean(values: NonEmpty<number>): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Smallest value (a loop, not Math.min(...values): spreading 100k+ values overflows the stack). */
export function min(values: NonEmpty<number>): number {
  let m = values[0];
  for (const v of values) if (v < m) m = v;
  return m;
}

/** Largest value. */
export function max(values: NonEmpty<number>): number {
  let m = values[0];
  for (const v of values) if (v > m) m = v;
  return m;
}

/**
 * The q-quantile of ascending `sorted`, 0 ≤ q ≤ 1: linear interpolation between
 * closest ranks, h = (n − 1)·q, x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) — Hyndman
 * & Fan type 7, numpy's and R's default, and arquero's `op.quantile`.
 * Throws when q is outside [0, 1] or `sorted` is not ascending.
 */
export function quantile(sorted: NonEmpty<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]! < sorted[i - 1]!) throw new RangeError(`quantile: values not ascending at index ${i}`);
  }
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const x0 = sorted[lo]!;
  // Same operations, in the same order, as arquero's util/quantile.js, so the two agree bit for bit.
  return lo + 1 < sorted.length ? x0 + (sorted[lo + 1]! - x0) * (h - lo) : x0;
}

/** Sorted ascending copy (numeric, not the default string sort). */
export function sortAscending(values: NonEmpty<number>): NonEmpty<number> {
  const sorted = [...values].sort((a, b) => a - b);
  assertNonEmpty(sorted, "sortAscending");
  return sorted;
}

/** Median: the 0.5 quantile (type 7), i.e. the middle value for odd n and the mean of the two middle values for even n. */
export function median(values: NonEmpty<number>): number {
  return quantile(sortAscending(values), 0.5);
}

/** The median of ascending `sorted` (the same definition, without the sort or its check; for hot loops). */
export function medianOfSorted(sorted: ArrayLike<number>): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of `values`, or null when there are none. */
export function medianOrNull(values: readonly number[]): number | null {
  return isNonEmpty(values) ? median(values) : null;
}

/**
 * Sample standard deviation: √(Σ(x − mean)² / (n − 1)) (Bessel's correction, n − 1),
 * computed in two passes. Null for n < 2: one duration has no spread to estimate.
 */
export function stdev(values: NonEmpty<number>): number | null {
  if (values.length < 2) return null;
  const m = mean(values);
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}

/**
 * Median absolute deviation: median(|x − median(x)|), NOT scaled by 1.4826
 * (the factor that makes it estimate σ for normal data), as tinybench's `mad`.
 */
export function mad(values: NonEmpty<number>): number {
  const m = median(values);
  const deviations = values.map((v) => Math.abs(v - m));
  assertNonEmpty(deviations, "mad");
  return median(deviations);
}
