import { describe, expect, it } from "vitest";
import { firstAtOrAbove } from "../../src/stats/sorted-search.js";

describe("stats/sorted-search", () => {
  it("finds the first element at or above a value, ties and ends included", () => {
    const xs = [1, 3, 3, 5, 9];
    expect([0, 1, 2, 3, 4, 5, 9, 10].map((v) => firstAtOrAbove(xs, v))).toEqual([0, 0, 1, 1, 3, 3, 4, 5]);
    expect(firstAtOrAbove([], 4)).toBe(0);
  });
});
