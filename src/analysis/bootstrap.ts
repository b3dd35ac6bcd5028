// Bootstrap confidence intervals (percentile method), with a seeded
// generator: the core has no clock, so the seed is an argument and the same
// inputs always give the same interval (Criterion seeds from the clock).

import { medianOfSorted } from "../stats/descriptive.js";
import type { Estimate } from "../model/comparison.js";
import { atomQuantile, EXACT_UP_TO, medianDistribution, ratioDistribution, type Atoms } from "./exact-bootstrap.js";

/** mulberry32: a small, fast 32-bit PRNG; plenty for resampling indices. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Median of `values` (src/stats/descriptive.ts's definition); sorts in place. */
function medianInPlace(values: Float64Array): number {
  // A run's sample is a few values: insertion sort beats the typed-array sort's call for those.
  if (values.length <= SMALL) {
    for (let i = 1; i < values.length; i++) {
      const x = values[i]!;
      let j = i - 1;
      while (j >= 0 && values[j]! > x) {
        values[j + 1] = values[j]!;
        j--;
      }
      values[j + 1] = x;
    }
  } else values.sort();
  return medianOfSorted(values);
}
const SMALL = 32;

/**
 * The median of a resample of `values` (n draws with replacement, in the generator's order). A
 * few values are copied and sorted; more are counted by rank instead (which value of the sorted
 * sample each draw is): the same median, O(n) per resample in place of a sort (a side of `compare`
 * can hold thousands of runs).
 */
class MedianResampler {
  private readonly scratch: Float64Array;
  private readonly sorted: Float64Array;
  private readonly rankOf: Uint32Array;
  private readonly counts: Uint32Array;

  constructor(private readonly values: readonly number[]) {
    const n = values.length;
    this.scratch = new Float64Array(n <= SMALL ? n : 0);
    const order = n <= SMALL ? [] : Array.from(values.keys()).sort((a, b) => values[a]! - values[b]! || a - b);
    this.sorted = Float64Array.from(order, (i) => values[i]!);
    this.rankOf = new Uint32Array(n <= SMALL ? 0 : n);
    order.forEach((original, rank) => (this.rankOf[original] = rank));
    this.counts = new Uint32Array(n <= SMALL ? 0 : n);
  }

  draw(random: () => number): number {
    const n = this.values.length;
    if (n <= SMALL) {
      for (let i = 0; i < n; i++) this.scratch[i] = this.values[Math.floor(random() * n)]!;
      return medianInPlace(this.scratch);
    }
    const counts = this.counts;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[this.rankOf[Math.floor(random() * n)]!]!++;
    // The resample's (n−1)/2-th and n/2-th smallest (0-based; the same one when n is odd).
    const low = (n - 1) >> 1;
    let rank = 0;
    let below = counts[0]!;
    while (below <= low) below += counts[++rank]!;
    const a = this.sorted[rank]!;
    if (n % 2 === 1 || below > low + 1) return a;
    while (counts[++rank] === 0);
    return (a + this.sorted[rank]!) / 2;
  }
}

export interface BootstrapOptions {
  /** At most this many resamples. */
  resamples: number;
  confidenceLevel: number;
  seed: number;
  /**
   * Stop drawing once both ends of the interval are known within this share of the point
   * (their Monte Carlo error, below); checked after BATCH resamples, then each time their number has
   * doubled. Absent or 0: always `resamples`.
   */
  precision?: number;
  /** Samples of up to this many values (at most EXACT_UP_TO, the default) get the exact distribution; 0: always drawn. */
  exactUpTo?: number;
}

/** Resamples drawn before the precision is first checked. */
export const BATCH = 1000;
/** The Monte Carlo band of an end: ±1.96 binomial standard errors of its rank (a 95 % band). */
const BAND_Z = 1.96;

/**
 * The percentile interval of the statistics drawn so far, and how well their number pins its ends:
 * the q-quantile of B draws is the order statistic of rank q·(B−1), whose rank varies by
 * √(B·q·(1−q)) from one set of draws to another; the values that far either side bound the end.
 */
function percentileInterval(sorted: Float64Array, point: number, confidenceLevel: number): Estimate {
  const n = sorted.length;
  const alpha = (1 - confidenceLevel) / 2;
  const clamp = (i: number) => Math.min(n - 1, Math.max(0, i));
  let error = 0;
  const end = (q: number) => {
    const k = clamp(Math.floor(q * (n - 1)));
    const spread = BAND_Z * Math.sqrt(n * q * (1 - q));
    const x = sorted[k]!;
    error = Math.max(error, x - sorted[clamp(Math.floor(k - spread))]!, sorted[clamp(Math.ceil(k + spread))]! - x);
    return x;
  };
  return { point, lower: end(alpha), upper: end(1 - alpha), confidenceLevel, resamples: n, endsWithin: error };
}

/** Draws statistics until the interval's ends are within the precision asked, or `resamples` are drawn. */
function drawInterval(draw: () => number, point: number, o: BootstrapOptions): Estimate {
  const stats = new Float64Array(o.resamples);
  const precision = o.precision ?? 0;
  let drawn = 0;
  for (;;) {
    const until = precision > 0 ? Math.min(o.resamples, Math.max(BATCH, 2 * drawn)) : o.resamples;
    while (drawn < until) stats[drawn++] = draw();
    const estimate = percentileInterval(stats.slice(0, drawn).sort(), point, o.confidenceLevel);
    if (drawn === o.resamples || estimate.endsWithin <= precision * Math.abs(point)) return estimate;
  }
}

/** The percentile interval of an exact bootstrap distribution (exact-bootstrap.ts): no Monte Carlo error. */
function exactInterval(atoms: Atoms, point: number, confidenceLevel: number): Estimate {
  const alpha = (1 - confidenceLevel) / 2;
  return { point, lower: atomQuantile(atoms, alpha), upper: atomQuantile(atoms, 1 - alpha), confidenceLevel, resamples: atoms.resamples, endsWithin: 0 };
}

function exact(o: BootstrapOptions, ...sides: (readonly number[])[]): boolean {
  const upTo = Math.min(o.exactUpTo ?? EXACT_UP_TO, EXACT_UP_TO);
  return sides.every((side) => side.length > 0 && side.length <= upTo);
}

/**
 * median(candidate) ÷ median(baseline), with a bootstrap interval (each side resampled
 * independently): exact when both sides are small, else drawn.
 */
export function bootstrapRatioOfMedians(baseline: readonly number[], candidate: readonly number[], o: BootstrapOptions): Estimate {
  if (exact(o, baseline, candidate)) {
    const point = medianInPlace(Float64Array.from(candidate)) / medianInPlace(Float64Array.from(baseline));
    return exactInterval(ratioDistribution(medianDistribution(baseline), medianDistribution(candidate)), point, o.confidenceLevel);
  }
  const random = seededRandom(o.seed);
  const [b, c] = [new MedianResampler(baseline), new MedianResampler(candidate)];
  const point = medianInPlace(Float64Array.from(candidate)) / medianInPlace(Float64Array.from(baseline));
  return drawInterval(() => c.draw(random) / b.draw(random), point, o);
}

/** The median of `values`, with a bootstrap interval: exact for a small sample, else drawn. */
export function bootstrapMedian(values: readonly number[], o: BootstrapOptions): Estimate {
  if (exact(o, values)) return exactInterval(medianDistribution(values), medianInPlace(Float64Array.from(values)), o.confidenceLevel);
  const random = seededRandom(o.seed);
  const resampler = new MedianResampler(values);
  return drawInterval(() => resampler.draw(random), medianInPlace(Float64Array.from(values)), o);
}
