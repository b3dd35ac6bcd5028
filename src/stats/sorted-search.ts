// Search in an ascending array of numbers.

/** The index of the first element of ascending `xs` at or above `value` (xs.length when none is). */
export function firstAtOrAbove(xs: readonly number[], value: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
