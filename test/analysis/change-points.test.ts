import { describe, expect, it } from "vitest";
import { findChangePoints } from "../../src/analysis/change-points.js";

describe("analysis/change-points", () => {
  it("finds one step up where the medians shift and stay shifted", () => {
    // 100 ms for four recordings, then 130 ms: one change at index 4, ratio 1.3.
    expect(findChangePoints([100, 101, 99, 100, 130, 131, 129], 0.05)).toEqual([{ index: 4, beforeMedianMs: 100, afterMedianMs: 130, ratio: 1.3 }]);
  });

  it("finds two changes by splitting each side again", () => {
    const found = findChangePoints([100, 100, 100, 150, 150, 150, 90, 90, 90], 0.05);
    expect(found.map((c) => c.index)).toEqual([3, 6]);
  });

  it("calls one odd recording an outlier, not a change, and a shift within the noise threshold nothing", () => {
    expect(findChangePoints([100, 100, 180, 100, 100], 0.05)).toEqual([]);
    expect(findChangePoints([100, 101, 100, 103, 104, 103], 0.05)).toEqual([]);
  });

  it("needs two recordings on each side", () => {
    expect(findChangePoints([100, 200, 200], 0.05)).toEqual([]);
    expect(findChangePoints([100, 100, 200, 200], 0.05)).toHaveLength(1);
  });
});
