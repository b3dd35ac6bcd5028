// The bootstrap distribution of a small sample's median, exactly: every multiset of n draws from
// the n values, weighed by its multinomial probability n! / (∏ cᵢ! · nⁿ). A Monte Carlo bootstrap
// estimates this same distribution; for a few runs it has few atoms, sits on a step of them at a
// percentile end, and needs thousands of resamples to say which step (docs/metrics.md).

import { EXACT_BOOTSTRAP_UP_TO } from "../model/comparison.js";

/** Samples of up to this many values can be done exactly: C(15, 8) = 6,435 multisets at most. */
export const EXACT_UP_TO = EXACT_BOOTSTRAP_UP_TO;

/** A discrete distribution: values ascending, each with its probability. */
export interface Atoms {
  values: number[];
  weights: number[];
  /** How many distinct resamples were weighed. */
  resamples: number;
}

const FACTORIAL = [1, 1, 2, 6, 24, 120, 720, 5040, 40320];

/** The distribution of the median of a resample of `values` (at most EXACT_UP_TO of them). */
export function medianDistribution(values: readonly number[]): Atoms {
  const n = values.length;
  if (n === 0 || n > EXACT_UP_TO) throw new RangeError(`medianDistribution: 1 to ${EXACT_UP_TO} values, got ${n}`);
  const sorted = [...values].sort((a, b) => a - b);
  const counts = new Array<number>(n).fill(0);
  const total = n ** n;
  const byMedian = new Map<number, number>();
  let resamples = 0;
  // The k-th smallest (0-based) of the resample whose draws of sorted[i] are counts[i].
  const nth = (k: number) => {
    let seen = 0;
    for (let i = 0; i < n; i++) {
      seen += counts[i]!;
      if (seen > k) return sorted[i]!;
    }
    return sorted[n - 1]!;
  };
  const weigh = () => {
    let ways = FACTORIAL[n]!;
    for (const c of counts) ways /= FACTORIAL[c]!;
    const median = n % 2 ? nth((n - 1) / 2) : (nth(n / 2 - 1) + nth(n / 2)) / 2;
    byMedian.set(median, (byMedian.get(median) ?? 0) + ways / total);
    resamples++;
  };
  const compose = (i: number, left: number) => {
    if (i === n - 1) {
      counts[i] = left;
      weigh();
      return;
    }
    for (let c = 0; c <= left; c++) {
      counts[i] = c;
      compose(i + 1, left - c);
    }
  };
  compose(0, n);
  return sortedAtoms([...byMedian], resamples);
}

/** The distribution of candidate ÷ baseline for independent medians. */
export function ratioDistribution(baseline: Atoms, candidate: Atoms): Atoms {
  const pairs: [number, number][] = [];
  for (let i = 0; i < candidate.values.length; i++) {
    for (let j = 0; j < baseline.values.length; j++) pairs.push([candidate.values[i]! / baseline.values[j]!, candidate.weights[i]! * baseline.weights[j]!]);
  }
  return sortedAtoms(pairs, baseline.resamples * candidate.resamples);
}

function sortedAtoms(pairs: [number, number][], resamples: number): Atoms {
  pairs.sort((a, b) => a[0] - b[0]);
  return { values: pairs.map((p) => p[0]), weights: pairs.map((p) => p[1]), resamples };
}

/**
 * The q-quantile as the Monte Carlo percentile (the draw of rank q·(B−1)) tends to it: the first
 * value whose cumulative probability exceeds q (1e−12 of slack for the sum's rounding).
 */
export function atomQuantile(atoms: Atoms, q: number): number {
  let cumulative = 0;
  for (let i = 0; i < atoms.values.length; i++) {
    cumulative += atoms.weights[i]!;
    if (cumulative > q + 1e-12) return atoms.values[i]!;
  }
  return atoms.values[atoms.values.length - 1]!;
}
