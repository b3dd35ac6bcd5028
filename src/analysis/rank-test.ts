// The Mann–Whitney U test (Wilcoxon rank-sum), beside the bootstrap in
// compare: does the candidate's distribution sit above or below the
// baseline's? Distribution-free, robust to outliers, and it uses every run,
// not only the medians. Two-sided p from the normal approximation with the
// tie correction and a continuity correction (Mann & Whitney 1947; the
// variance with ties as in scipy.stats.mannwhitneyu, method="asymptotic").

import type { RankTest } from "../model/comparison.js";

export function mannWhitneyU(baseline: readonly number[], candidate: readonly number[]): RankTest | null {
  const n1 = baseline.length;
  const n2 = candidate.length;
  if (n1 === 0 || n2 === 0) return null;
  const all = [...baseline.map((v) => ({ v, side: 0 })), ...candidate.map((v) => ({ v, side: 1 }))].sort((a, b) => a.v - b.v);
  // Mid-ranks for ties; Σ(t³ − t) over tie groups for the variance.
  let rankSumCandidate = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    for (let k = i; k <= j; k++) if (all[k]!.side === 1) rankSumCandidate += rank;
    i = j + 1;
  }
  const u = rankSumCandidate - (n2 * (n2 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, pValue: 1, method: METHOD };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, pValue: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), method: METHOD };
}

const METHOD = "Mann-Whitney U, two-sided, normal approximation with tie and continuity corrections";

/** Φ(z) by the Abramowitz–Stegun 7.1.26 erf approximation (|error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
