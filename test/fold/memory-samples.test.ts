import { describe, expect, it } from "vitest";
import { findStalls, extremes, peakIn } from "../../src/fold/memory-samples.js";
import type { MemorySample } from "../../src/model/profile.js";

describe("fold/memory-samples", () => {
  it("calls a round trip a stall only above both 10× the log's baseline and baseline + 30 ms", () => {
    // baseline 4 → limit max(40, 34) = 40: 30 and 35 are not stalls, 60 and 1100 are.
    const polls = [4, 30, 5, 35, 60, 1100].map((rtt, i) => ({ sentMs: i * 100, receivedMs: i * 100 + rtt }));
    // Each stall's silence reaches back to the reply before it: 335 (the poll sent at 300), 460.
    expect(findStalls(polls, 4)).toEqual([
      { startMs: 400, endMs: 460, roundTripMs: 60, silentSinceMs: 335 },
      { startMs: 500, endMs: 1600, roundTripMs: 1100, silentSinceMs: 460 },
    ]);
    // baseline 1 → limit max(10, 31) = 31: 35 is one too.
    expect(findStalls(polls, 1).map((s) => s.roundTripMs)).toEqual([35, 60, 1100]);
    expect(findStalls(polls, null)).toEqual([]);
  });

  it("reaches a stall's silence back to the last message received before its poll was sent", () => {
    const polls = [
      { sentMs: 0, receivedMs: 3 },
      { sentMs: 100, receivedMs: 104 },
      { sentMs: 200, receivedMs: 450 },
    ];
    // Messages at 150 and 170 (then nothing until the poll's reply): the server may have frozen right after 170.
    expect(findStalls(polls, 3, [20, 150, 170, 451, 452])).toEqual([{ startMs: 200, endMs: 450, roundTripMs: 250, silentSinceMs: 170 }]);
    // Nothing received since the previous reply: its time.
    expect(findStalls(polls, 3, [20, 451])[0]!.silentSinceMs).toBe(104);
    // No sign of life at all before the poll: its own sending.
    expect(findStalls([{ sentMs: 200, receivedMs: 450 }], 3)[0]!.silentSinceMs).toBe(200);
  });

  it("takes the baseline from the last sample before the run and the extremes from those in it", () => {
    const s = (atMs: number, used: number, free: number): MemorySample => ({ atMs, uncertaintyMs: 0, source: "system_stats", ramUsedBytes: used, ramFreeBytes: free, devices: [] });
    const samples = [s(-200, 1, 9), s(-50, 2, 8), s(10, 5, 5), s(90, 4, 6), s(150, 9, 1)];
    // in [0, 100]: used 5 and 4 → peak 5; free 5 and 6 → min 5; baseline = 2 (at −50); the sample at 150 is after the run.
    expect(extremes(samples, 0, 100, (x) => ({ used: x.ramUsedBytes, free: x.ramFreeBytes }))).toEqual({ baselineBytes: 2, peakUsedBytes: 5, peakDeltaBytes: 3, minFreeBytes: 5 });
  });

  it("gives a node's rise on a CUDA device: its peak used and torch-reserved memory over the level before it started", () => {
    const GiB = 1024 ** 3;
    const at = (atMs: number, usedGiB: number, reservedGiB: number, uncertaintyMs = 2): MemorySample => ({
      atMs, uncertaintyMs, source: "system_stats", ramUsedBytes: 8 * GiB, ramFreeBytes: 8 * GiB,
      devices: [{ name: "cuda:0", usedBytes: usedGiB * GiB, freeBytes: (24 - usedGiB) * GiB, torchReservedBytes: reservedGiB * GiB, torchActiveBytes: null }],
    });
    // Level at 90 (2 GiB used, 1 reserved), the node runs 100–400 and peaks at 6 used, 5 reserved: rises 4 and 4 GiB.
    const samples = [at(-10, 1, 1), at(90, 2, 1), at(150, 5, 4, 3), at(250, 6, 5), at(450, 2, 5)];
    const m = peakIn(samples, { startMs: 100, endMs: 400 }, () => 1);
    expect(m).toMatchObject({ peakVramBytes: 6 * GiB, peakTorchReservedBytes: 5 * GiB, samples: 2 });
    expect(m.rise).toEqual({ ramBytes: 0, vramBytes: 4 * GiB, torchReservedBytes: 4 * GiB, levelAgeMs: 10, sampleUncertaintyMs: 3, source: "system_stats" });
    // No sample before the run: the level is unknown, so no rise (null, never 0).
    expect(peakIn(samples.slice(2), { startMs: 100, endMs: 400 }, () => 1).rise).toBeNull();
  });
});
