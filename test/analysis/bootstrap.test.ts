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

function interval(stats: Float64Array, point: number, confidenceLevel: number): Omit<Estimate, "resamples" | "endsWithin"> {
  stats.sort();
  const alpha = (1 - confidenceLevel) / 2;
  const at = (q: number) => stats[Math.min(stats.length - 1, Math.max(0, Math.floor(q * (stats.length - 1))))]!;
  return { point, lower: at(alpha), upper: at(1 - alpha), confidenceLevel };
}

const sortedMedian = (values: readonly number[]) => medianOfSorted(Float64Array.from(values).sort());

function referenceMedian(values: readonly number[], o: { resamples: number; confidenceLevel: number; seed: number }) {
  const random = seededRandom(o.seed);
  const medians = Float64Array.from({ length: o.resamples }, () => drawnMedian(values, random));
  return interval(medians, sortedMedian(values), o.confidenceLevel);
}

function referenceRatio(baseline: readonly number[], candidate: readonly number[], o: { resamples: number; confidenceLevel: number; seed: number }) {
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
        // Drawn at every size (exactUpTo 0): small samples are otherwise enumerated (exact-bootstrap.test.ts).
        const o = { resamples: 200, confidenceLevel: 0.95, seed, exactUpTo: 0 };
        expect(bootstrapMedian(a, o)).toEqual({ ...referenceMedian(a, o), resamples: 200, endsWithin: expect.any(Number) });
        expect(bootstrapRatioOfMedians(a, b, o)).toEqual({ ...referenceRatio(a, b, o), resamples: 200, endsWithin: expect.any(Number) });
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it("draws a one-value sample's median as that value", () => {
    expect(bootstrapMedian([7], { resamples: 100, confidenceLevel: 0.9, seed: 3, exactUpTo: 0 })).toEqual({ point: 7, lower: 7, upper: 7, confidenceLevel: 0.9, resamples: 100, endsWithin: 0 });
    expect(bootstrapMedian([7], { resamples: 100, confidenceLevel: 0.9, seed: 3 })).toEqual({ point: 7, lower: 7, upper: 7, confidenceLevel: 0.9, resamples: 1, endsWithin: 0 });
  });
});

describe("analysis/bootstrap: seeds, points, precision", () => {
  it("gives the same interval for the same seed and a different one for another seed", () => {
    // Many distinct values, so that the interval's ends depend on which resamples were drawn.
    const a = Array.from({ length: 25 }, (_, i) => 100 + ((i * 37) % 23) + i / 7);
    const b = Array.from({ length: 25 }, (_, i) => 104 + ((i * 29) % 19) + i / 5);
    const o = { resamples: 1000, confidenceLevel: 0.95, seed: 7 };
    expect(bootstrapRatioOfMedians(a, b, o)).toEqual(bootstrapRatioOfMedians(a, b, o));
    expect(bootstrapRatioOfMedians(a, b, { ...o, seed: 8 })).not.toEqual(bootstrapRatioOfMedians(a, b, o));
  });

  it("puts the point (ratio of the medians) inside its interval", () => {
    // medians: 11 and 12 → 12/11
    const e = bootstrapRatioOfMedians([10, 12, 11, 13, 10, 11, 12], [11, 13, 12, 14, 12, 12, 13], { resamples: 2000, confidenceLevel: 0.95, seed: 1 });
    expect(e.point).toBeCloseTo(12 / 11, 12);
    expect(e.lower).toBeLessThanOrEqual(e.point);
    expect(e.upper).toBeGreaterThanOrEqual(e.point);
    expect(e.confidenceLevel).toBe(0.95);
  });

  it("gives identical samples a degenerate interval at exactly 1", () => {
    const drawn = { resamples: 100, confidenceLevel: 0.9, seed: 3, exactUpTo: 0 };
    expect(bootstrapRatioOfMedians([5, 5, 5], [5, 5, 5], drawn)).toEqual({ point: 1, lower: 1, upper: 1, confidenceLevel: 0.9, resamples: 100, endsWithin: 0 });
    expect(bootstrapMedian([4, 4, 4, 4], drawn)).toEqual({ point: 4, lower: 4, upper: 4, confidenceLevel: 0.9, resamples: 100, endsWithin: 0 });
    // Exactly: C(2n−1, n) multisets a side (10 for 3 values, 35 for 4).
    expect(bootstrapRatioOfMedians([5, 5, 5], [5, 5, 5], { ...drawn, exactUpTo: undefined })).toEqual({ point: 1, lower: 1, upper: 1, confidenceLevel: 0.9, resamples: 100, endsWithin: 0 });
    expect(bootstrapMedian([4, 4, 4, 4], { ...drawn, exactUpTo: undefined })).toEqual({ point: 4, lower: 4, upper: 4, confidenceLevel: 0.9, resamples: 35, endsWithin: 0 });
    // With a precision asked, identical samples are pinned by the first batch.
    expect(bootstrapMedian([4, 4, 4, 4], { ...drawn, resamples: 10_000, precision: 0.005 }).resamples).toBe(1000);
  });

  it("stops once the ends are within the precision asked, with the draws a full run would begin with", () => {
    const a = Array.from({ length: 40 }, (_, i) => 100 + ((i * 37) % 23) + i / 7);
    const b = Array.from({ length: 40 }, (_, i) => 104 + ((i * 29) % 19) + i / 5);
    const full = bootstrapRatioOfMedians(a, b, { resamples: 10_000, confidenceLevel: 0.95, seed: 1 });
    const loose = bootstrapRatioOfMedians(a, b, { resamples: 10_000, confidenceLevel: 0.95, seed: 1, precision: 0.02 });
    const tight = bootstrapRatioOfMedians(a, b, { resamples: 10_000, confidenceLevel: 0.95, seed: 1, precision: 1e-9 });
    expect(full.resamples).toBe(10_000);
    expect(tight).toEqual(full);
    expect([1000, 2000, 4000, 8000]).toContain(loose.resamples);
    expect(loose.resamples).toBeLessThan(10_000);
    expect(loose.endsWithin).toBeLessThanOrEqual(0.02 * loose.point);
    // The precision stated holds: the ends of the stopped interval are within it of the full run's.
    expect(Math.abs(loose.lower - full.lower)).toBeLessThanOrEqual(loose.endsWithin + full.endsWithin);
    expect(Math.abs(loose.upper - full.upper)).toBeLessThanOrEqual(loose.endsWithin + full.endsWithin);
  });

  it("draws uniformly enough from the seeded generator", () => {
    const r = seededRandom(42);
    const buckets = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) buckets[Math.floor(r() * 4)]!++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(400);
  });
});
