import { describe, expect, it } from "vitest";
import { FIRST_STEP_SLOW_FACTOR, progressStats } from "../../src/fold/progress-stats.js";

/** Samples at [ms, value] on a clock where run-relative ms are the same numbers; the node started at 0. */
const stats = (samples: [number, number][], max = 8) => progressStats(samples.map(([monoMs, value]) => ({ monoMs, value, max })), 0, (m) => m);

describe("fold/progress-stats", () => {
  it("gives the median time per step after the first sample, each step of a throttled message its share, and the IQR", () => {
    // First step at 500; then steps 2, 3 at 100 ms each; 4–6 in one message 300 ms later (100 each); 7–8 in one 400 ms later (200 each).
    // Per step: 100, 100, 100, 100, 100, 200, 200 → median 100; type-7 p25 = 100, p75 = x[4] + 0.5·(x[5] − x[4]) = 150.
    const s = stats([[500, 1], [600, 2], [700, 3], [1000, 6], [1400, 8]])!;
    expect(s).toMatchObject({ firstValue: 1, lastValue: 8, samples: 5, firstStepMs: 500, lastStepMs: 1400, steadyStepMs: 100, steadyStepSpreadMs: { p25Ms: 100, p75Ms: 150 } });
    // The mean rate over the same span: 7 steps in 900 ms.
    expect(s.stepsPerSec).toBeCloseTo(7000 / 900, 9);
    // 500 ms for one step > 1.5 × 100 ms.
    expect(s.firstStepSlower).toBe(true);
  });

  it("judges a first message that counts several steps per step: 3 steps in 300 ms is the steady 100 ms each", () => {
    const s = stats([[300, 3], [400, 4], [500, 5]])!;
    expect(s).toMatchObject({ firstStepMs: 300, steadyStepMs: 100, steadyStepSpreadMs: { p25Ms: 100, p75Ms: 100 }, firstStepSlower: false });
  });

  it("calls a first step slow only beyond FIRST_STEP_SLOW_FACTOR × the steady step", () => {
    expect(FIRST_STEP_SLOW_FACTOR).toBe(1.5);
    expect(stats([[150, 1], [250, 2], [350, 3]])!.firstStepSlower).toBe(false); // exactly 1.5 × 100
    expect(stats([[151, 1], [251, 2], [351, 3]])!.firstStepSlower).toBe(true);
  });

  it("has no steady step from one sample", () => {
    expect(stats([[500, 8]])).toMatchObject({ firstStepMs: 500, lastStepMs: 500, steadyStepMs: null, steadyStepSpreadMs: null, stepsPerSec: null, firstStepSlower: null });
    expect(stats([])).toBeNull();
  });
});
