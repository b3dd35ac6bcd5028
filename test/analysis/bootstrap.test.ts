import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bootstrapMedian, bootstrapRatioOfMedians, seededRandom } from "../../src/analysis/bootstrap.js";
import { medianOfSorted } from "../../src/stats/descriptive.js";
import type { Estimate } from "../../src/model/comparison.js";

/** The textbook way, as bootstrap.ts did it before resampling by rank: draw the values, sort them, take the median. */
function drawnMedian(values: readonly number[], random: () => number): number {
  const drawn = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) drawn[i] = values[Math.floor(random() * values.length)]!;
  return medianOfSorted(drawn.sort());
}

function interval(stats: Float64Array, point: number, confidenceLevel: number): Estimate {
  stats.sort();
  const alpha = (1 - confidenceLevel) / 2;
  const at = (q: number) => stats[Math.min(stats.length - 1, Math.max(0, Math.floor(q * (stats.length - 1))))]!;
  return { point, lower: at(alpha), upper: at(1 - alpha), confidenceLevel };
}

const sortedMedian = (values: readonly number[]) => medianOfSorted(Float64Array.from(values).sort());

function referenceMedian(values: readonly number[], o: { resamples: number; confidenceLevel: number; seed: number }): Estimate {
  const random = seededRandom(o.seed);
  const medians = Float64Array.from({ length: o.resamples }, () => drawnMedian(values, random));
  return interval(medians, sortedMedian(values), o.confidenceLevel);
}

function referenceRatio(baseline: readonly number[], candidate: readonly number[], o: { resamples: number; confidenceLevel: number; seed: number }): Estimate {
  const random = seededRandom(o.seed);
  const ratios = Float64Array.from({ length: o.resamples }, () => drawnMedian(candidate, random) / drawnMedian(baseline, random));
  return interval(ratios, sortedMedian(candidate) / sortedMedian(baseline), o.confidenceLevel);
}

// Times with ties (whole ms) and without, odd and even counts.
const times = fc.array(fc.oneof(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0.5, max: 5000, noNaN: true })), { minLength: 1, maxLength: 60 });

describe("analysis/bootstrap", () => {
  it("gives, resampling by rank, the very interval of drawing and sorting each resample (same seed, same numbers)", () => {
    fc.assert(
      fc.property(times, times, fc.integer({ min: 0, max: 2 ** 31 }), (a, b, seed) => {
        const o = { resamples: 200, confidenceLevel: 0.95, seed };
        expect(bootstrapMedian(a, o)).toEqual(referenceMedian(a, o));
        expect(bootstrapRatioOfMedians(a, b, o)).toEqual(referenceRatio(a, b, o));
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it("draws a one-value sample's median as that value", () => {
    expect(bootstrapMedian([7], { resamples: 100, confidenceLevel: 0.9, seed: 3 })).toEqual({ point: 7, lower: 7, upper: 7, confidenceLevel: 0.9 });
  });
});
