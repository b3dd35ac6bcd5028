import { describe, expect, it } from "vitest";
import { mannWhitneyU } from "../../src/analysis/rank-test.js";

describe("analysis/rank-test", () => {
  it("gives the textbook U and the asymptotic two-sided p of fully separated samples", () => {
    // Candidate ranks 6..10: rank sum 40, U = 40 − 15 = 25; mean 12.5, var 25·11/12 = 22.917;
    // z = (12.5 − 0.5)/4.787 = 2.5067 → p = 2(1 − Φ(2.5067)) = 0.01219 (scipy: method="asymptotic").
    const r = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])!;
    expect(r.u).toBe(25);
    expect(r.pValue).toBeCloseTo(0.01219, 4);
  });

  it("corrects the variance for ties and calls identical samples no difference", () => {
    expect(mannWhitneyU([3, 3, 3], [3, 3, 3])).toMatchObject({ u: 4.5, pValue: 1 });
    // Ties across sides: x = [1, 2, 2], y = [2, 3, 4]; mid-ranks 1, 3, 3 | 3, 5, 6 → U_y = 14 − 6 = 8.
    const r = mannWhitneyU([1, 2, 2], [2, 3, 4])!;
    expect(r.u).toBe(8);
    expect(r.pValue).toBeGreaterThan(0.05);
    expect(r.pValue).toBeLessThan(1);
  });

  it("is symmetric: swapping the sides gives the same p", () => {
    const a = [10, 12, 11, 15, 14];
    const b = [13, 16, 18, 17, 19, 20];
    expect(mannWhitneyU(a, b)!.pValue).toBeCloseTo(mannWhitneyU(b, a)!.pValue, 12);
  });

  it("has nothing to say about an empty side", () => {
    expect(mannWhitneyU([], [1, 2])).toBeNull();
  });
});
