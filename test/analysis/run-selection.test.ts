import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/model/run-overview.js";
import { ALL_RUNS_IN_DETAIL_UP_TO, FAILED_IN_DETAIL_MAX, MEDIAN_CANDIDATES, runsWorthKeeping, selectDetailRuns, timedMedian } from "../../src/analysis/run-selection.js";

/** Measured successful runs with these execution times, in order; index i is run i + 1. */
function runs(times: (number | "error" | "warm-up")[]): RunSummary[] {
  let measured = 0;
  return times.map((t, index) => {
    const warmup = t === "warm-up";
    const measuredNo = warmup ? null : ++measured;
    return {
      index, file: "a.ndjson", warmup, ordinal: measuredNo ?? 1, measuredNo, promptId: `p${index}`, workflow: "w", cacheState: "model-warm",
      status: t === "error" ? "error" : "success", failedAt: t === "error" ? "#3 KSampler" : null,
      executionMs: typeof t === "number" ? t : t === "warm-up" ? 9999 : 50, queueWaitMs: 1, executed: 4, cached: 0,
    };
  });
}

const all = (summaries: RunSummary[]) => new Set(summaries.map((s) => s.index));

describe("analysis/run-selection", () => {
  it("shows every run of a small log, still naming its slowest, median and fastest", () => {
    const summaries = runs([30, 10, 20]);
    const selection = selectDetailRuns(summaries, new Set(), []);
    expect(selection.picks.map((p) => p.index)).toEqual([0, 1, 2]);
    expect(selection.picks[0]!.reasons).toEqual([{ kind: "all", of: 3 }, { kind: "slowest", executionMs: 30 }]);
    expect(selection.picks[2]!.reasons).toEqual([{ kind: "all", of: 3 }, { kind: "median", executionMs: 20, medianMs: 20, of: 3 }]);
  });

  it("picks the slowest, the median, the fastest, failed runs and asked-for runs of a long log", () => {
    // 41 measured runs at 100 + i ms (i = 0..40), then a warm-up slower than all, then two failures.
    const times: (number | "error" | "warm-up")[] = Array.from({ length: 41 }, (_, i) => 100 + ((i * 17) % 41));
    const summaries = runs(["warm-up", ...times, "error", "error"]);
    expect(summaries.length).toBeGreaterThan(ALL_RUNS_IN_DETAIL_UP_TO);
    const requests = [{ text: "5", measuredNo: 5 }, { text: "p3", promptId: "p3" }, { text: "nope", promptId: "nope" }];
    const selection = selectDetailRuns(summaries, all(summaries), requests);
    const why = Object.fromEntries(selection.picks.map((p) => [p.index, p.reasons.map((r) => r.kind)]));
    // Times 100..140: the median is 120 (i = 20 → (i·17) mod 41 = 20 at i = 20), fastest 100 at i = 0, slowest 140 at i = 12.
    const at = (ms: number) => summaries.find((s) => s.executionMs === ms && !s.warmup)!.index;
    expect(why).toEqual({ [at(100)]: ["fastest"], [at(120)]: ["median"], [at(140)]: ["slowest"], 42: ["failed"], 43: ["failed"], 5: ["requested"], 3: ["requested"] });
    expect(selection.picks.find((p) => p.index === at(120))!.reasons).toEqual([{ kind: "median", executionMs: 120, medianMs: 120, of: 41 }]);
    expect(selection.unmatched).toEqual(["nope"]);
    expect([selection.failedTotal, selection.failedShown]).toEqual([2, 2]);
  });

  it("shows at most FAILED_IN_DETAIL_MAX failed runs, the first ones, and counts them all", () => {
    const summaries = runs([...Array.from({ length: 30 }, () => 10), ...Array.from({ length: 25 }, () => "error" as const)]);
    const selection = selectDetailRuns(summaries, all(summaries), []);
    const failed = selection.picks.filter((p) => p.reasons.some((r) => r.kind === "failed")).map((p) => p.index);
    expect(failed).toEqual(Array.from({ length: FAILED_IN_DETAIL_MAX }, (_, i) => 30 + i));
    expect([selection.failedTotal, selection.failedShown]).toEqual([25, FAILED_IN_DETAIL_MAX]);
  });

  it("takes the kept run nearest by time when a role's own run was not kept, and says both times", () => {
    const summaries = runs(Array.from({ length: 25 }, (_, i) => 10 * (i + 1))); // median 130 ms (run 13)
    const selection = selectDetailRuns(summaries, new Set([0, 11, 24]), []);
    expect(selection.picks.map((p) => [p.index, p.reasons])).toEqual([
      [0, [{ kind: "fastest", executionMs: 10 }]],
      [11, [{ kind: "median", executionMs: 120, medianMs: 130, of: 25 }]],
      [24, [{ kind: "slowest", executionMs: 250 }]],
    ]);
  });

  it("keeps one run per distinct time near the median, so that ties do not crowd out the ranks around it", () => {
    // 10 runs each at 100, 105, …, 195 ms; lower median 145 ms. Kept: one run at each of the 16 times nearest it (145 ± 35, and 105 before 185 on a tie: lower index), and the two extremes.
    const summaries = runs(Array.from({ length: 200 }, (_, i) => 100 + 5 * Math.floor(i / 10)));
    const median = timedMedian(summaries)!.medianMs;
    const keep = runsWorthKeeping(summaries, 0, summaries.length, [], median, 0);
    const times = new Set([...keep].map((i) => summaries[i]!.executionMs));
    expect(median).toBe(145);
    expect(keep.size).toBe(MEDIAN_CANDIDATES + 2);
    expect([...times].sort((a, b) => a! - b!)).toEqual([100, ...Array.from({ length: 16 }, (_, i) => 105 + 5 * i), 195]);
  });

  it("keeps, per range, the extremes, the runs nearest the median, the first failures and the requested runs", () => {
    const summaries = runs([...Array.from({ length: 60 }, (_, i) => i + 1), "error", "error"]);
    const median = timedMedian(summaries)!;
    expect(median).toEqual({ medianMs: 30, of: 60 });
    const keep = runsWorthKeeping(summaries, 0, summaries.length, [{ text: "p59", promptId: "p59" }], median.medianMs, 0);
    // 1 and 60 ms (extremes), the 16 nearest 30 ms (22–37), two failures, and p59 (60 ms, already the slowest).
    const nearest = Array.from({ length: MEDIAN_CANDIDATES }, (_, i) => 21 + i);
    expect([...keep].sort((a, b) => a - b)).toEqual([0, ...nearest, 59, 60, 61]);
    // A second range counts the failures before it against the cap.
    expect(runsWorthKeeping(summaries, 60, 62, [], null, FAILED_IN_DETAIL_MAX).size).toBe(0);
  });
});
