// A node's progress steps (docs/metrics.md "Progress"): when its first and last
// progress values arrived, the mean rate between them, and the steady step time
// — the median time per step after the first progress sample, with its
// interquartile range — which tells a slow first step (model transfer,
// compilation, warm-up) from a slow loop.

import type { ProgressStats } from "../model/profile.js";
import { isNonEmpty } from "../model/non-empty.js";
import { quantile, sortAscending } from "../stats/descriptive.js";
import type { ProgressSample } from "./node-intervals.js";

/** A first step slower than this many steady steps is reported as slow (model loading, warm-up, compilation). */
export const FIRST_STEP_SLOW_FACTOR = 1.5;

export function progressStats(samples: ProgressSample[], startMs: number, rel: (m: number) => number): ProgressStats | null {
  if (samples.length === 0) return null;
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const dt = rel(last.monoMs) - rel(first.monoMs);
  const stepsPerSec = samples.length >= 2 && dt > 0 ? ((last.value - first.value) / dt) * 1000 : null;
  const firstStepMs = rel(first.monoMs) - startMs;
  const steady = steadySteps(samples, rel);
  return {
    maxSteps: Math.max(...samples.map((s) => s.max)),
    firstValue: first.value,
    lastValue: last.value,
    samples: samples.length,
    stepsPerSec,
    firstStepMs,
    lastStepMs: rel(last.monoMs) - startMs,
    steadyStepMs: steady?.medianMs ?? null,
    steadyStepSpreadMs: steady ? { p25Ms: steady.p25Ms, p75Ms: steady.p75Ms } : null,
    // The first sample may already count several steps (messages are throttled).
    firstStepSlower: steady === null ? null : firstStepMs / first.value > FIRST_STEP_SLOW_FACTOR * steady.medianMs,
  };
}

/**
 * Per-step times after the first sample: each pair of consecutive samples gives Δt ÷ Δvalue to each
 * of its Δvalue steps (a throttled message can cover several), so the median is over steps, not messages.
 */
function steadySteps(samples: ProgressSample[], rel: (m: number) => number): { medianMs: number; p25Ms: number; p75Ms: number } | null {
  const perStep: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const steps = samples[i]!.value - samples[i - 1]!.value;
    if (steps <= 0) continue;
    const ms = (rel(samples[i]!.monoMs) - rel(samples[i - 1]!.monoMs)) / steps;
    for (let k = 0; k < steps; k++) perStep.push(ms);
  }
  if (!isNonEmpty(perStep)) return null;
  const sorted = sortAscending(perStep);
  return { medianMs: quantile(sorted, 0.5), p25Ms: quantile(sorted, 0.25), p75Ms: quantile(sorted, 0.75) };
}
