import type { RunProfile } from "../src/model/profile.js";

/** "warm-up 1", "run 3": warm-ups and measured runs numbered separately, from 1, within their log. */
export function runNames(runs: readonly RunProfile[]): Map<RunProfile, string> {
  const names = new Map<RunProfile, string>();
  let warmups = 0;
  let measured = 0;
  for (const r of runs) names.set(r, r.source.warmup ? `warm-up ${++warmups}` : `run ${++measured}`);
  return names;
}
