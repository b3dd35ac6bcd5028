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

function resampleMedian(values: readonly number[], random: () => number, scratch: Float64Array): number {
  for (let i = 0; i < values.length; i++) scratch[i] = values[Math.floor(random() * values.length)]!;
  return medianInPlace(scratch);
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
  const b = new Float64Array(baseline.length);
  const c = new Float64Array(candidate.length);
  const ratios = new Float64Array(o.resamples);
  for (let r = 0; r < o.resamples; r++) ratios[r] = resampleMedian(candidate, random, c) / resampleMedian(baseline, random, b);
  const point = medianInPlace(Float64Array.from(candidate)) / medianInPlace(Float64Array.from(baseline));
  return percentileInterval(ratios, point, o.confidenceLevel);
}

/** The median of `values`, with a bootstrap interval. */
export function bootstrapMedian(values: readonly number[], o: BootstrapOptions): Estimate {
  const random = seededRandom(o.seed);
  const scratch = new Float64Array(values.length);
  const medians = new Float64Array(o.resamples);
  for (let r = 0; r < o.resamples; r++) medians[r] = resampleMedian(values, random, scratch);
  return percentileInterval(medians, medianInPlace(Float64Array.from(values)), o.confidenceLevel);
}
