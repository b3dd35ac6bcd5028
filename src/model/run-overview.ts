// The HTML report's view of many runs: a compact row per run, the runs chosen
// for a full section and why, and the overview's distributions. Data only;
// made in src/analysis/run-selection.ts and run-overview.ts.

import type { RunOutcomeStatus } from "./profile.js";
import type { CacheState } from "./events.js";

/** What the report keeps of every run: one small row (~200 bytes), not its profile. */
export interface RunSummary {
  /** 0-based, over the runs of all logs in order. */
  index: number;
  file: string;
  warmup: boolean;
  /** "warm-up k" or "run k": numbered from 1 within its log, warm-ups apart. */
  ordinal: number;
  /** 1-based over the measured runs of all logs in order (what `--run N` counts); null for a warm-up. */
  measuredNo: number | null;
  promptId: string;
  /** The workflow's name, else its fingerprint. */
  workflow: string;
  cacheState: CacheState | null;
  status: RunOutcomeStatus;
  /** "#12 KSampler" for a failed or interrupted run, else null. */
  failedAt: string | null;
  executionMs: number | null;
  queueWaitMs: number | null;
  executed: number;
  cached: number;
}

/** A run asked for by the user: the N-th measured run, or a prompt id. `text` is as typed. */
export type RunRequest = { text: string; measuredNo: number } | { text: string; promptId: string };

export type DetailReason =
  | { kind: "slowest" | "fastest"; executionMs: number }
  | { kind: "median"; executionMs: number; medianMs: number; of: number }
  | { kind: "failed" }
  | { kind: "requested"; request: string }
  | { kind: "all"; of: number };

export interface DetailPick {
  index: number;
  reasons: DetailReason[];
}

export interface DetailSelection {
  /** In run order. */
  picks: DetailPick[];
  /** Requests that matched no run. */
  unmatched: string[];
  /** Failed or incomplete runs in all, and how many of them are shown in detail. */
  failedTotal: number;
  failedShown: number;
}

export interface HistogramBin {
  group: string;
  /** Runs in the group. */
  runs: number;
  fromMs: number;
  toMs: number;
  count: number;
}

export interface NodeTypeBox {
  classType: string;
  count: number;
  totalMs: number;
  minMs: number;
  /** Quartiles: type-7 quantiles (src/stats/descriptive.ts). */
  q1Ms: number;
  medianMs: number;
  q3Ms: number;
  maxMs: number;
}
