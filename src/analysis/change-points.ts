// Change points in a trend: where a workflow's execution time shifted and
// stayed shifted, by binary segmentation with an L1 cost. A series of
// recordings (each the median of its runs) is split where the two sides fit
// their own medians best (least Σ|x − median| over both); the split is kept
// when both sides have at least MIN_POINTS_A_SIDE recordings and the ratio of
// their medians clears the noise threshold; each side is then searched again.
// Medians and absolute deviations, so one odd recording does not make a change
// (it is an outlier, not a shift).

import type { ChangePoint } from "../model/comparison.js";
import { median } from "../stats/descriptive.js";
import { isNonEmpty } from "../model/non-empty.js";

/** Recordings needed on each side of a change: one recording alone is an outlier, not a level. */
export const MIN_POINTS_A_SIDE = 2;

/** `medians[i]`: recording i's median execution time, in time order. */
export function findChangePoints(medians: readonly number[], noiseThreshold: number): Omit<ChangePoint, "environmentChanges">[] {
  const found: Omit<ChangePoint, "environmentChanges">[] = [];
  const search = (from: number, to: number) => {
    let best: { index: number; before: number; after: number; cost: number } | null = null;
    for (let k = from + MIN_POINTS_A_SIDE; k <= to - MIN_POINTS_A_SIDE; k++) {
      const left = medians.slice(from, k);
      const right = medians.slice(k, to);
      if (!isNonEmpty(left) || !isNonEmpty(right)) continue;
      const [before, after] = [median(left), median(right)];
      const cost = deviation(left, before) + deviation(right, after);
      if (!best || cost < best.cost) best = { index: k, before, after, cost };
    }
    if (!best || best.before <= 0) return;
    const ratio = best.after / best.before;
    if (ratio <= 1 + noiseThreshold && ratio >= 1 - noiseThreshold) return;
    found.push({ index: best.index, beforeMedianMs: best.before, afterMedianMs: best.after, ratio });
    search(from, best.index);
    search(best.index, to);
  };
  search(0, medians.length);
  return found.sort((a, b) => a.index - b.index);
}

/** Σ|x − m|: how far a segment is from its own level. */
function deviation(xs: readonly number[], m: number): number {
  let sum = 0;
  for (const x of xs) sum += Math.abs(x - m);
  return sum;
}
