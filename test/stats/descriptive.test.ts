import { describe, expect, it } from "vitest";
import { mad, max, mean, median, min, quantile, sortAscending, stdev } from "../../src/stats/descriptive.js";
import { assertNonEmpty } from "../../src/model/non-empty.js";

describe("stats/descriptive", () => {
  it("gives mean, min and max of an even-length list", () => {
    // (4 + 1 + 3 + 2) / 4 = 2.5
    expect(mean([4, 1, 3, 2])).toBe(2.5);
    expect(min([4, 1, 3, 2])).toBe(1);
    expect(max([4, 1, 3, 2])).toBe(4);
  });

  it("takes the middle value as median for odd n and the mean of the two middle values for even n", () => {
    // sorted 10, 20, 60 → 20
    expect(median([60, 10, 20])).toBe(20);
    // sorted 1, 2, 3, 4 → (2 + 3) / 2 = 2.5
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it("uses the sample (n − 1) standard deviation and gives null for one value", () => {
    // mean 30; deviations −20, −10, 30; squares 400 + 100 + 900 = 1400; 1400 / 2 = 700
    expect(stdev([10, 20, 60])).toBe(Math.sqrt(700));
    // mean 2.5; squares 2.25 + 0.25 + 0.25 + 2.25 = 5; 5 / 3 → 1.2909944487358056 (numpy std ddof=1)
    expect(stdev([4, 1, 3, 2])).toBeCloseTo(1.2909944487358056, 14);
    expect(stdev([5, 5])).toBe(0);
    expect(stdev([5])).toBeNull();
  });

  it("gives the median absolute deviation without the 1.4826 normal-consistency factor", () => {
    // median 2; |x − 2| = 1, 1, 0, 0, 2, 4, 7 → sorted 0, 0, 1, 1, 2, 4, 7 → 1 (scaled would be 1.4826)
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    // median 2.5; |x − 2.5| = 1.5, 0.5, 0.5, 1.5 → (0.5 + 1.5) / 2 = 1
    expect(mad([4, 1, 3, 2])).toBe(1);
  });

  it("interpolates quantiles between closest ranks as numpy's default (type 7)", () => {
    const x = [1, 2, 3, 4, 10] as const;
    // h = (n − 1)·q = 4q; value x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])
    expect(quantile(x, 0)).toBe(1); // h = 0
    expect(quantile(x, 0.1)).toBeCloseTo(1.4, 12); // h = 0.4: 1 + 0.4·1
    expect(quantile(x, 0.25)).toBe(2); // h = 1
    expect(quantile(x, 0.5)).toBe(3); // h = 2
    expect(quantile(x, 0.9)).toBeCloseTo(7.6, 12); // h = 3.6: 4 + 0.6·6
    expect(quantile(x, 0.95)).toBeCloseTo(8.8, 12); // h = 3.8: 4 + 0.8·6
    expect(quantile(x, 1)).toBe(10); // h = 4
    // even n: h = 3·0.95 = 2.85: 3 + 0.85·1
    expect(quantile([1, 2, 3, 4], 0.95)).toBeCloseTo(3.85, 12);
    expect(quantile([5], 0.95)).toBe(5);
  });

  it("refuses a q outside [0, 1] and a list that is not ascending", () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError);
    expect(() => quantile([1, 2], Number.NaN)).toThrow(RangeError);
    expect(() => quantile([2, 1], 0.5)).toThrow(/not ascending at index 1/);
  });

  it("sorts numerically, not as strings", () => {
    expect(sortAscending([10, 9, 100])).toEqual([9, 10, 100]);
  });

  it("makes a list non-empty only through assertNonEmpty, which names what was empty", () => {
    const none: number[] = [];
    expect(() => assertNonEmpty(none, "node durations")).toThrow("node durations: expected at least one value, got none");
    const some: number[] = [3, 1];
    assertNonEmpty(some, "node durations");
    expect(median(some)).toBe(2);
  });

  it("handles 200,000 values without overflowing the stack", () => {
    const big = Array.from({ length: 200_000 }, (_, i) => i);
    assertNonEmpty(big, "big");
    expect(min(big)).toBe(0);
    expect(max(big)).toBe(199_999);
  });
});
