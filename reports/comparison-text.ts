// The words and numbers of a comparison, shared by the terminal and HTML
// reports of `compare` and `trend` so the two always say the same thing.

import type { Comparison, Estimate, MetricComparison } from "../src/model/comparison.js";
import { NONE } from "./format.js";

/** A ratio candidate/baseline as a signed change: 1.05 → "+5.0 %", 0.9 → "−10.0 %". */
export const signedChange = (ratio: number) => `${ratio >= 1 ? "+" : "−"}${(Math.abs(ratio - 1) * 100).toFixed(1)} %`;

export const ratioText = (e: Estimate | null) =>
  e === null ? NONE : `${signedChange(e.point)} [${signedChange(e.lower)}, ${signedChange(e.upper)}]`;

export const pValueText = (m: MetricComparison) =>
  m.rankTest === null ? NONE : m.rankTest.pValue < 0.001 ? "< 0.001" : m.rankTest.pValue.toFixed(3);

/** How the comparison was made; `bandNote` names where the noise threshold is drawn, if anywhere. */
export function settingsText(s: Comparison["settings"], bandNote = ""): string {
  return `${s.test}, and a Mann-Whitney rank test beside it; ${Math.round(s.confidenceLevel * 100)} % interval, exact for up to ${s.exactUpTo} runs a side, else resampled until its ends were within ±${(s.precision * 100).toFixed(1)} % (at most ${s.resamples} resamples, seed ${s.seed}); noise threshold ±${(s.noiseThreshold * 100).toFixed(1)} %${bandNote}; at least ${s.minSamples} runs a side`;
}
