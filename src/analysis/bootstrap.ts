// Bootstrap confidence intervals (percentile method), with a seeded
// generator: the core has no clock, so the seed is an argument and the same
// inputs always give the same interval (Criterion seeds from the clock).

import { medianOfSorted } from "../stats/descriptive.js";
import type { Estimate } from "../model/comparison.js";

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
  return medianOfSorted(values.sort());
}

/**
 * Draws resamples of `values` and gives each one's median, without sorting a
 * resample: the values are sorted once, a resample counts how often each
 * rank was drawn, and its median is read off the counts. A resample is the
 * same multiset as drawing the values themselves (the same random() calls, in
 * the same order), so its median is the same number; O(n) a resample instead
 * of O(n log n), which made trends over many runs spend most of their time
 * sorting (docs/performance.md "Fleet scale").
 */
class RankResampler {
  private readonly sorted: Float64Array;
  private readonly rankOf: Uint32Array;
  private readonly counts: Uint32Array;

  constructor(private readonly values: readonly number[]) {
    const order = Array.from(values.keys()).sort((a, b) => values[a]! - values[b]!);
    this.sorted = Float64Array.from(order, (i) => values[i]!);
    this.rankOf = new Uint32Array(values.length);
    order.forEach((index, rank) => (this.rankOf[index] = rank));
    this.counts = new Uint32Array(values.length);
  }

  /** The median of one resample (n draws with replacement). */
  median(random: () => number): number {
    const n = this.values.length;
    const counts = this.counts;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[this.rankOf[Math.floor(random() * n)]!]!++;
    // medianOfSorted on the resample: element mid, or the mean of elements mid − 1 and mid.
    const mid = n >> 1;
    const at = (k: number) => {
      let seen = 0;
      for (let rank = 0; rank < n; rank++) {
        seen += counts[rank]!;
        if (seen > k) return this.sorted[rank]!;
      }
      return this.sorted[n - 1]!;
    };
    return n % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
  }
}

function percentileInterval(stats: Float64Array, point: number, confidenceLevel: number): Estimate {
  stats.sort();
  const alpha = (1 - confidenceLevel) / 2;
  const at = (q: number) => stats[Math.min(stats.length - 1, Math.max(0, Math.floor(q * (stats.length - 1))))]!;
  return { point, lower: at(alpha), upper: at(1 - alpha), confidenceLevel };
}

export interface BootstrapOptions {
  resamples: number;
  confidenceLevel: number;
  seed: number;
}

/** median(candidate) ÷ median(baseline), with a bootstrap interval (each side resampled independently). */
export function bootstrapRatioOfMedians(baseline: readonly number[], candidate: readonly number[], o: BootstrapOptions): Estimate {
  const random = seededRandom(o.seed);
  const [b, c] = [new RankResampler(baseline), new RankResampler(candidate)];
  const ratios = new Float64Array(o.resamples);
  for (let r = 0; r < o.resamples; r++) ratios[r] = c.median(random) / b.median(random);
  const point = medianInPlace(Float64Array.from(candidate)) / medianInPlace(Float64Array.from(baseline));
  return percentileInterval(ratios, point, o.confidenceLevel);
}

/** The median of `values`, with a bootstrap interval. */
export function bootstrapMedian(values: readonly number[], o: BootstrapOptions): Estimate {
  const random = seededRandom(o.seed);
  const resampler = new RankResampler(values);
  const medians = new Float64Array(o.resamples);
  for (let r = 0; r < o.resamples; r++) medians[r] = resampler.median(random);
  return percentileInterval(medians, medianInPlace(Float64Array.from(values)), o.confidenceLevel);
}
