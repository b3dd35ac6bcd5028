import { table } from "arquero";
import { describe, expect, it } from "vitest";
import { summarizeNodeTypes } from "../../src/analysis/node-types.js";
import { median, quantile, sortAscending, stdev } from "../../src/stats/descriptive.js";
import { assertNonEmpty } from "../../src/model/non-empty.js";

const rows = (classType: string, ...durations: number[]) => durations.map((durationMs) => ({ classType, durationMs }));

/** Deterministic pseudo-random durations (LCG), so the cross-check covers unrounded values. */
function lcgDurations(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) % 2 ** 32;
    return (s / 2 ** 32) * 5000;
  });
}

describe("analysis/node-types", () => {
  it("summarizes each class and sorts by total, ties by class name", () => {
    const stats = summarizeNodeTypes([
      ...rows("KSampler", 300, 100),
      ...rows("VAEDecode", 50, 150),
      ...rows("KSampler", 200),
      ...rows("LoadImage", 200),
    ]);
    // KSampler: 300 + 100 + 200 = 600; sorted 100, 200, 300; p95 h = 2·0.95 = 1.9: 200 + 0.9·100 = 290;
    //   stdev: deviations −100, 0, 100 → 20000 / 2 = 10000 → 100.
    // VAEDecode: 200; median (50 + 150) / 2 = 100; p95 h = 0.95: 50 + 0.95·100 = 145; stdev √(2·50² / 1) = √5000.
    // LoadImage: 200, one sample → stdev null. Σ = 1000 → shares 0.6, 0.2, 0.2; LoadImage < VAEDecode on the tie.
    expect(stats.map((s) => s.classType)).toEqual(["KSampler", "LoadImage", "VAEDecode"]);
    const [k, l, v] = stats;
    expect(k).toMatchObject({ count: 3, totalMs: 600, meanMs: 200, medianMs: 200, minMs: 100, maxMs: 300, stdevMs: 100, shareOfTotal: 0.6 });
    expect(k!.p95Ms).toBeCloseTo(290, 10);
    expect(l).toEqual({ classType: "LoadImage", count: 1, totalMs: 200, meanMs: 200, medianMs: 200, p95Ms: 200, minMs: 200, maxMs: 200, stdevMs: null, shareOfTotal: 0.2 });
    expect(v).toMatchObject({ count: 2, totalMs: 200, meanMs: 100, medianMs: 100, minMs: 50, maxMs: 150, stdevMs: Math.sqrt(5000), shareOfTotal: 0.2 });
    expect(v!.p95Ms).toBeCloseTo(145, 10);
  });

  it("gives an empty list for no rows", () => {
    expect(summarizeNodeTypes([])).toEqual([]);
  });

  it("gives every share 0 when all durations are 0 (cached nodes only)", () => {
    const stats = summarizeNodeTypes([...rows("b", 0), ...rows("B", 0, 0)]);
    // tie on 0 ms: code-unit order puts "B" (0x42) before "b" (0x62)
    expect(stats.map((s) => [s.classType, s.count, s.shareOfTotal, s.stdevMs])).toEqual([["B", 2, 0, 0], ["b", 1, 0, null]]);
  });

  it("agrees with statistics.ts on median, quantiles and stdev (arquero's definitions are ours)", () => {
    const lists = [[4, 1, 3, 2], [60, 10, 20], [7], [5, 5], [1, 2, 3, 4, 10], lcgDurations(10, 1), lcgDurations(101, 2), lcgDurations(1000, 3)];
    for (const x of lists) {
      assertNonEmpty(x, "list");
      const sorted = sortAscending(x);
      const qs = [0.05, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99];
      const exprs: Record<string, string> = { median: "d => op.median(d.x)", stdev: "d => op.stdev(d.x)" };
      qs.forEach((q, i) => (exprs[`q${i}`] = `d => op.quantile(d.x, ${q})`));
      const aq = table({ x }).rollup(exprs).objects()[0] as Record<string, number | undefined>;
      expect(aq.median).toBe(median(x));
      qs.forEach((q, i) => expect(aq[`q${i}`]).toBe(quantile(sorted, q)));
      // arquero's stdev is Welford's one pass, ours two passes: same definition, may differ in the last bits.
      const ours = stdev(x);
      if (ours === null) expect(aq.stdev).toBeUndefined();
      else expect(Math.abs(aq.stdev! - ours)).toBeLessThanOrEqual(1e-12 * Math.max(1, ours));
    }
  });
});
