// A list that holds at least one element, as tinybench's `Samples` type: a
// statistic of no durations has no value, so the type rules it out and the
// places a list becomes NonEmpty are `assertNonEmpty` and `isNonEmpty`.

export type NonEmpty<T> = readonly [T, ...T[]];

/** Narrows `values` to NonEmpty, or throws naming `what` (e.g. "node durations"). */
export function assertNonEmpty<T>(values: readonly T[], what: string): asserts values is NonEmpty<T> {
  if (values.length === 0) throw new RangeError(`${what}: expected at least one value, got none`);
}

/** True (and narrowed) when `values` holds at least one element. */
export function isNonEmpty<T>(values: readonly T[]): values is NonEmpty<T> {
  return values.length > 0;
}
