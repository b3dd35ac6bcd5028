// Memory figures of a profile: samples (system_stats, crystools), a node's
// peak while it ran, a run's baseline, peak and minimum free (docs/metrics.md
// "Memory"). Data only; part of the profile (profile.ts re-exports it).

export interface NodeMemory {
  /** Highest RAM used (total − available) among samples taken while the node was in flight; null when no sample fell in it ("not sampled"). */
  peakRamBytes: number | null;
  /** Highest device memory used (VRAM), GPU devices only; null when not sampled or no GPU. */
  peakVramBytes: number | null;
  /** Highest torch-reserved device memory; null as above. */
  peakTorchReservedBytes: number | null;
  /** Samples that fell in the node's interval. */
  samples: number;
  /** True when another node was in flight at the peak sample (the figure is shared). */
  shared: boolean;
}

export interface MemorySample {
  /** Middle of the poll's round trip, run-relative ms. */
  atMs: number;
  /** ± this much: half the round trip. */
  uncertaintyMs: number;
  source: "system_stats" | "crystools";
  ramUsedBytes: number | null;
  ramFreeBytes: number | null;
  /** Per device, in device order; empty for the CPU device. */
  devices: DeviceSample[];
}

export interface DeviceSample {
  name: string;
  usedBytes: number | null;
  freeBytes: number | null;
  torchReservedBytes: number | null;
  torchActiveBytes: number | null;
}

export interface MemoryProfile {
  /** Median time between samples; null with fewer than two. */
  sampleIntervalMs: number | null;
  /** The requested poll interval (plan.pollMs), or null. */
  pollMs: number | null;
  samples: MemorySample[];
  ram: MemoryExtremes | null;
  devices: (MemoryExtremes & { name: string; totalBytes: number | null })[];
}

export interface MemoryExtremes {
  /** Last sample before execution started. */
  baselineBytes: number | null;
  peakUsedBytes: number | null;
  /** peakUsed − baseline. */
  peakDeltaBytes: number | null;
  minFreeBytes: number | null;
}
