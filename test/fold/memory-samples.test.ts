import { describe, expect, it } from "vitest";
import { readStats, findStalls, extremes } from "../../src/fold/memory-samples.js";
import type { StatsLine } from "../../src/model/events.js";
import type { MemorySample } from "../../src/model/profile.js";

const GiB = 1024 ** 3;

function statsLine(response: unknown, sentMonoMs = 100, monoMs = 104): StatsLine {
  return { kind: "stats", wallMs: 0, monoMs, sentMonoMs, status: 200, response, error: null };
}

const CUDA = {
  system: { os: "posix", ram_total: 64 * GiB, ram_free: 40 * GiB, comfyui_version: "0.21.0", python_version: "3.12.3 (main)", pytorch_version: "2.7.0+cu128", argv: ["main.py"] },
  // vram_free counts torch's idle reserve as free: used = 24 − 4 = 20; reserved 18, active 18 − 2 = 16.
  devices: [{ name: "cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync", type: "cuda", index: 0, vram_total: 24 * GiB, vram_free: 4 * GiB, torch_vram_total: 18 * GiB, torch_vram_free: 2 * GiB }],
};

describe("fold/memory-samples", () => {
  it("reads a CUDA device's used, torch-reserved and torch-active memory, placed mid round trip", () => {
    const r = readStats(statsLine(CUDA))!;
    expect(r.sample).toEqual({
      atMonoMs: 102,
      uncertaintyMs: 2,
      source: "system_stats",
      ramUsedBytes: 24 * GiB,
      ramFreeBytes: 40 * GiB,
      devices: [{ name: CUDA.devices[0]!.name, usedBytes: 20 * GiB, freeBytes: 4 * GiB, torchReservedBytes: 18 * GiB, torchActiveBytes: 16 * GiB }],
    });
    expect(r.devices).toEqual([{ name: CUDA.devices[0]!.name, type: "cuda", isCpu: false, vramTotalBytes: 24 * GiB }]);
  });

  it("does not call the CPU device of a --cpu server VRAM", () => {
    const cpu = { ...CUDA, devices: [{ name: "cpu", type: "cpu", index: null, vram_total: 64 * GiB, vram_free: 40 * GiB, torch_vram_total: 64 * GiB, torch_vram_free: 40 * GiB }] };
    const r = readStats(statsLine(cpu))!;
    expect(r.sample.devices).toEqual([]);
    expect(r.devices).toEqual([{ name: "cpu", type: "cpu", isCpu: true, vramTotalBytes: null }]);
  });

  it("ignores a failed poll", () => {
    expect(readStats({ kind: "stats", wallMs: 0, monoMs: 5, sentMonoMs: 1, status: null, response: null, error: "ECONNREFUSED" })).toBeNull();
  });

  it("calls a round trip a stall only above both 10× the log's baseline and baseline + 30 ms", () => {
    // baseline 4 → limit max(40, 34) = 40: 30 and 35 are not stalls, 60 and 1100 are.
    const polls = [4, 30, 5, 35, 60, 1100].map((rtt, i) => ({ sentMs: i * 100, receivedMs: i * 100 + rtt }));
    expect(findStalls(polls, 4)).toEqual([
      { startMs: 400, endMs: 460, roundTripMs: 60 },
      { startMs: 500, endMs: 1600, roundTripMs: 1100 },
    ]);
    // baseline 1 → limit max(10, 31) = 31: 35 is one too.
    expect(findStalls(polls, 1).map((s) => s.roundTripMs)).toEqual([35, 60, 1100]);
    expect(findStalls(polls, null)).toEqual([]);
  });

  it("takes the baseline from the last sample before the run and the extremes from those in it", () => {
    const s = (atMs: number, used: number, free: number): MemorySample => ({ atMs, uncertaintyMs: 0, source: "system_stats", ramUsedBytes: used, ramFreeBytes: free, devices: [] });
    const samples = [s(-200, 1, 9), s(-50, 2, 8), s(10, 5, 5), s(90, 4, 6), s(150, 9, 1)];
    // in [0, 100]: used 5 and 4 → peak 5; free 5 and 6 → min 5; baseline = 2 (at −50); the sample at 150 is after the run.
    expect(extremes(samples, 0, 100, (x) => ({ used: x.ramUsedBytes, free: x.ramFreeBytes }))).toEqual({ baselineBytes: 2, peakUsedBytes: 5, peakDeltaBytes: 3, minFreeBytes: 5 });
  });
});

