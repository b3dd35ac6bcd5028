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
  /**
   * What the node added: its peak − the level of the last sample at or before its start, for RAM,
   * device memory (VRAM) and torch-reserved memory; null when not sampled (no sample in it, or none
   * before it). System RAM is machine-wide (other processes, pages a VM returns late): a rise, not an allocation.
   */
  rise: MemoryRise | null;
}

export interface MemoryRise {
  ramBytes: number | null;
  vramBytes: number | null;
  torchReservedBytes: number | null;
  /** How long before the node's start the level was sampled: what happened in between counts as the node's. */
  levelAgeMs: number;
  /** ± in time of the samples themselves (half the largest poll round trip among them). */
  sampleUncertaintyMs: number;
  /** Where the level at the start came from. */
  source: MemorySample["source"];
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
