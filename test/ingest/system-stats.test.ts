import { describe, expect, it } from "vitest";
import { parseSystemStats } from "../../src/ingest/system-stats.js";
import type { StatsLine } from "../../src/model/events.js";

const GiB = 1024 ** 3;

function statsLine(response: unknown, sentMonoMs = 100, monoMs = 104): StatsLine {
  return { kind: "stats", wallMs: 0, monoMs, sentMonoMs, status: 200, response, error: null };
}

const readStats = (line: StatsLine) => parseSystemStats(line, 7).reading;

const CUDA = {
  system: { os: "posix", ram_total: 64 * GiB, ram_free: 40 * GiB, comfyui_version: "0.21.0", python_version: "3.12.3 (main)", pytorch_version: "2.7.0+cu128", argv: ["main.py"] },
  // vram_free counts torch's idle reserve as free: used = 24 − 4 = 20; reserved 18, active 18 − 2 = 16.
  devices: [{ name: "cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync", type: "cuda", index: 0, vram_total: 24 * GiB, vram_free: 4 * GiB, torch_vram_total: 18 * GiB, torch_vram_free: 2 * GiB }],
};

describe("ingest/system-stats", () => {
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


  it("keeps the line, its times and the reply as sent beside what it read", () => {
    const line = statsLine(CUDA);
    expect(parseSystemStats(line, 7)).toMatchObject({ kind: "stats", lineNo: 7, monoMs: 104, sentMonoMs: 100, body: CUDA, error: null });
  });
});
