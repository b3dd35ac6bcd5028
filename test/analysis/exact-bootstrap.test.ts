// The exact bootstrap distribution of a small sample's median, held to brute force (every one of
// the nⁿ ordered resamples), and the exact interval to a Monte Carlo bootstrap with many draws.

import { describe, expect, it } from "vitest";
import { atomQuantile, medianDistribution, ratioDistribution } from "../../src/analysis/exact-bootstrap.js";
import { bootstrapMedian, bootstrapRatioOfMedians, seededRandom } from "../../src/analysis/bootstrap.js";

/** Every ordered resample (nⁿ of them), each with probability n⁻ⁿ: the distribution of its median. */
function bruteForce(values: number[]): Map<number, number> {
  const n = values.length;
  const out = new Map<number, number>();
  const index = new Array<number>(n).fill(0);
  for (let k = 0; k < n ** n; k++) {
    let x = k;
    for (let i = 0; i < n; i++, x = Math.floor(x / n)) index[i] = x % n;
    const r = index.map((i) => values[i]!).sort((a, b) => a - b);
    const m = n % 2 ? r[(n - 1) / 2]! : (r[n / 2 - 1]! + r[n / 2]!) / 2;
    out.set(m, (out.get(m) ?? 0) + n ** -n);
  }
  return out;
}

describe("analysis/exact-bootstrap", () => {
  it("weighs every resample as brute force does, odd and even sizes, with ties", () => {
    for (const values of [[7], [3, 9], [10, 12, 11], [5, 5, 8, 1], [100, 120, 110, 105, 100], [4, 4, 4, 9, 2, 7]]) {
      const atoms = medianDistribution(values);
      const expected = bruteForce(values);
      expect(atoms.values).toEqual([...expected.keys()].sort((a, b) => a - b));
      atoms.values.forEach((v, i) => expect(atoms.weights[i], `${values} median ${v}`).toBeCloseTo(expected.get(v)!, 12));
      expect(atoms.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it("combines two sides into the ratio's distribution", () => {
    const r = ratioDistribution(medianDistribution([10, 20]), medianDistribution([30]));
    // baseline medians 10, 15, 20 with 1/4, 1/2, 1/4; candidate 30 always.
    expect(r.values).toEqual([1.5, 2, 3]);
    expect(r.weights).toEqual([0.25, 0.5, 0.25]);
    expect(atomQuantile(r, 0.2)).toBe(1.5);
    expect(atomQuantile(r, 0.25)).toBe(2);
    expect(atomQuantile(r, 0.9)).toBe(3);
  });

  it("gives the interval a Monte Carlo bootstrap tends to with many draws", () => {
    const random = seededRandom(5);
    for (let trial = 0; trial < 6; trial++) {
      const side = () => Array.from({ length: 3 + (trial % 4) }, () => 500 + Math.round(random() * 80));
      const [b, c] = [side(), side()];
      const o = { resamples: 200_000, confidenceLevel: 0.95, seed: trial };
      const exact = bootstrapRatioOfMedians(b, c, o);
      const drawn = bootstrapRatioOfMedians(b, c, { ...o, exactUpTo: 0 });
      expect(exact.endsWithin).toBe(0);
      // The draws' ends are the exact ones, up to their own Monte Carlo error.
      expect(Math.abs(drawn.lower - exact.lower)).toBeLessThanOrEqual(drawn.endsWithin);
      expect(Math.abs(drawn.upper - exact.upper)).toBeLessThanOrEqual(drawn.endsWithin);
      const m = bootstrapMedian(c, o);
      const md = bootstrapMedian(c, { ...o, exactUpTo: 0 });
      expect(Math.abs(md.lower - m.lower)).toBeLessThanOrEqual(md.endsWithin);
      expect(Math.abs(md.upper - m.upper)).toBeLessThanOrEqual(md.endsWithin);
    }
  });

  it("refuses an empty sample and one too large to enumerate", () => {
    expect(() => medianDistribution([])).toThrow(RangeError);
    expect(() => medianDistribution(new Array(9).fill(1))).toThrow(RangeError);
  });
});
