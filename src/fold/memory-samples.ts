// Memory samples from /system_stats polls and crystools.monitor messages, and
// what they say about a run and its nodes (docs/metrics.md "Memory").

import type { CrystoolsMonitorEvent } from "../model/server-events.js";
import type { RawSample } from "../model/exchanges.js";
import { firstAtOrAbove } from "../stats/sorted-search.js";
import type { MemoryExtremes, MemorySample, NodeMemory, ServerStall } from "../model/profile.js";

/**
 * A stall: a poll round trip far above the log's usual one (the lower quartile
 * of all its polls so far, log-delivery.ts), i.e. the server's event loop was
 * frozen (a node holding Python's GIL, a backlog). Measured on ComfyUI 0.21
 * (CPU, loopback): ~3 ms normally; 52 ms while a cold run's cache checks held
 * the first nodes' messages back (samples/recordings/cold); 1,094 ms while a
 * node zero-filled 800 MB. Both a ratio and an absolute floor, so a 3 → 20 ms
 * blip of a loaded machine is not called a stall.
 */
export const STALL_RATIO = 10;
export const STALL_MIN_EXTRA_MS = 30;

const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);

export function sampleFromCrystools(event: CrystoolsMonitorEvent, monoMs: number): RawSample {
  return {
    atMonoMs: monoMs,
    uncertaintyMs: 0,
    source: "crystools",
    ramUsedBytes: event.ramUsedBytes,
    ramFreeBytes: diff(event.ramTotalBytes, event.ramUsedBytes),
    devices: event.gpus.map((g, i) => ({
      name: `gpu ${i}`,
      usedBytes: g.vramUsedBytes,
      freeBytes: diff(g.vramTotalBytes, g.vramUsedBytes),
      torchReservedBytes: null,
      torchActiveBytes: null,
    })),
  };
}

/**
 * Round trips far above the log's usual one, `baselineMs` (see STALL_RATIO); none without a
 * baseline. A stall's silence reaches back to the last sign of the server before its poll was sent:
 * the latest WebSocket receipt (`receipts`, ascending) or poll reply before it. A node that holds
 * the GIL from its start freezes the server from that start, which a poll sent later does not show
 * (live: a 240 ms hold caught by a poll sent 93 ms into it).
 */
export function findStalls(polls: readonly { sentMs: number; receivedMs: number }[], baselineMs: number | null, receipts: readonly number[] = []): ServerStall[] {
  if (baselineMs === null) return [];
  const limit = Math.max(baselineMs * STALL_RATIO, baselineMs + STALL_MIN_EXTRA_MS);
  return polls
    .filter((p) => p.receivedMs - p.sentMs > limit)
    .map((p) => {
      let silentSinceMs = -Infinity;
      for (const q of polls) if (q.receivedMs < p.sentMs && q.receivedMs > silentSinceMs) silentSinceMs = q.receivedMs;
      const before = firstAtOrAbove(receipts, p.sentMs);
      if (before > 0 && receipts[before - 1]! > silentSinceMs) silentSinceMs = receipts[before - 1]!;
      return { startMs: p.sentMs, endMs: p.receivedMs, roundTripMs: p.receivedMs - p.sentMs, silentSinceMs: Number.isFinite(silentSinceMs) ? silentSinceMs : p.sentMs };
    });
}

/** The highest sample inside any of `windows` (a node's flight), and whether another node was in flight then. */
export function peakIn(
  samples: readonly MemorySample[],
  window: { startMs: number; endMs: number },
  inFlightAt: (atMs: number) => number,
): NodeMemory {
  let ram: MemorySample | null = null;
  let vram: number | null = null;
  let reserved: number | null = null;
  let count = 0;
  let level: MemorySample | null = null;
  let uncertainty = 0;
  for (const s of samples) {
    if (s.atMs <= window.startMs && (level === null || s.atMs >= level.atMs)) level = s;
    if (s.atMs < window.startMs || s.atMs > window.endMs) continue;
    count++;
    uncertainty = Math.max(uncertainty, s.uncertaintyMs);
    if (s.ramUsedBytes !== null && (ram === null || s.ramUsedBytes > ram.ramUsedBytes!)) ram = s;
    for (const d of s.devices) {
      if (d.usedBytes !== null && (vram === null || d.usedBytes > vram)) vram = d.usedBytes;
      if (d.torchReservedBytes !== null && (reserved === null || d.torchReservedBytes > reserved)) reserved = d.torchReservedBytes;
    }
  }
  const before = (pick: (d: MemorySample["devices"][number]) => number | null) => {
    const values = (level?.devices ?? []).map(pick).filter((v): v is number => v !== null);
    return values.length ? Math.max(...values) : null;
  };
  const minus = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  return {
    peakRamBytes: ram?.ramUsedBytes ?? null,
    peakVramBytes: vram,
    peakTorchReservedBytes: reserved,
    samples: count,
    shared: ram !== null && inFlightAt(ram.atMs) > 1,
    rise:
      count === 0 || level === null
        ? null
        : {
            ramBytes: minus(ram?.ramUsedBytes ?? null, level.ramUsedBytes),
            vramBytes: minus(vram, before((d) => d.usedBytes)),
            torchReservedBytes: minus(reserved, before((d) => d.torchReservedBytes)),
            levelAgeMs: window.startMs - level.atMs,
            sampleUncertaintyMs: Math.max(uncertainty, level.uncertaintyMs),
            source: level.source,
          },
  };
}

/** Baseline (last sample before `startMs`), peak used, peak delta and min free, for RAM or one device. */
export function extremes(
  samples: readonly MemorySample[],
  startMs: number,
  endMs: number,
  pick: (s: MemorySample) => { used: number | null; free: number | null } | null,
): MemoryExtremes {
  let baseline: number | null = null;
  let peak: number | null = null;
  let minFree: number | null = null;
  for (const s of samples) {
    const v = pick(s);
    if (!v) continue;
    if (s.atMs < startMs) {
      if (v.used !== null) baseline = v.used;
      continue;
    }
    if (s.atMs > endMs) break;
    if (v.used !== null && (peak === null || v.used > peak)) peak = v.used;
    if (v.free !== null && (minFree === null || v.free < minFree)) minFree = v.free;
  }
  return { baselineBytes: baseline, peakUsedBytes: peak, peakDeltaBytes: diff(peak, baseline), minFreeBytes: minFree };
}
