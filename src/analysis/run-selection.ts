// Which runs of a long log get a full section in the HTML report: a bounded,
// named selection (the slowest, the median, the fastest, failed ones, and any
// the user asked for), chosen from compact per-run summaries. The profiles
// themselves are kept only for candidates while the log streams past
// (runsWorthKeeping); selectDetailRuns names the final choice. Pure.

import type { RunProfile } from "../model/profile.js";
import type { DetailReason, DetailSelection, RunRequest, RunSummary } from "../model/run-overview.js";

export type { DetailReason, DetailSelection, RunRequest, RunSummary };

/** Logs of up to this many runs show every run in detail, as the per-run page always did. */
export const ALL_RUNS_IN_DETAIL_UP_TO = 20;
/** Failed or incomplete runs shown in detail at most (the first ones); all of them are listed in a table. */
export const FAILED_IN_DETAIL_MAX = 10;
/**
 * Profiles kept while streaming as candidates for the median: one run for each
 * of the distinct execution times nearest the running median. The median of a
 * log is known only at its end; when its run was not kept, the kept run nearest
 * by time is shown and the page gives both times (docs/performance.md says how
 * often that happened in the benchmark logs).
 */
export const MEDIAN_CANDIDATES = 16;

export function summarizeRun(run: RunProfile, index: number, ordinal: number, measuredNo: number | null): RunSummary {
  const o = run.outcome;
  return {
    index, file: run.source.file, warmup: run.source.warmup, ordinal, measuredNo, promptId: run.promptId,
    workflow: run.workflow.name ?? run.workflow.fingerprint, cacheState: run.source.cacheState, status: o.status,
    failedAt: o.nodeId === null ? null : `#${o.nodeId}${o.nodeType ? ` ${o.nodeType}` : ""}`,
    executionMs: run.timing.executionMs, queueWaitMs: run.timing.queueWaitMs, executed: run.counts.executed, cached: run.counts.cached,
  };
}

/** Runs the ranking counts: measured, finished, with an execution time. */
const isTimed = (s: RunSummary): s is RunSummary & { executionMs: number } => !s.warmup && s.status === "success" && s.executionMs !== null;
const isFailed = (s: RunSummary) => s.status !== "success";
const matches = (s: RunSummary, r: RunRequest) => ("measuredNo" in r ? s.measuredNo === r.measuredNo : s.promptId === r.promptId);

/** The lower median of the timed runs' execution times (a run's own time, not a mean of two), with their count; null when none. */
export function timedMedian(summaries: readonly RunSummary[]): { medianMs: number; of: number } | null {
  const times = Float64Array.from(summaries.filter(isTimed), (s) => s.executionMs).sort();
  return times.length === 0 ? null : { medianMs: times[(times.length - 1) >> 1]!, of: times.length };
}

/**
 * The runs among summaries[from, to) whose profiles are worth keeping: the
 * slowest and fastest timed run, the MEDIAN_CANDIDATES nearest `medianMs`, the
 * first FAILED_IN_DETAIL_MAX failed ones and every requested one. Ranges are
 * pruned apart so that dropping the last log's runs (a log refused midway)
 * leaves the earlier logs' candidates whole.
 */
export function runsWorthKeeping(summaries: readonly RunSummary[], from: number, to: number, requests: readonly RunRequest[], medianMs: number | null, failedBefore: number): Set<number> {
  const keep = new Set<number>();
  let slowest: RunSummary | null = null;
  let fastest: RunSummary | null = null;
  let failed = failedBefore;
  const timed: RunSummary[] = [];
  for (let i = from; i < to; i++) {
    const s = summaries[i]!;
    if (requests.some((r) => matches(s, r))) keep.add(i);
    if (isFailed(s) && failed++ < FAILED_IN_DETAIL_MAX) keep.add(i);
    if (!isTimed(s)) continue;
    if (slowest === null || s.executionMs > slowest.executionMs!) slowest = s;
    if (fastest === null || s.executionMs < fastest.executionMs!) fastest = s;
    timed.push(s);
  }
  if (slowest) keep.add(slowest.index);
  if (fastest) keep.add(fastest.index);
  if (medianMs !== null) {
    const distance = (s: RunSummary) => Math.abs(s.executionMs! - medianMs);
    timed.sort((a, b) => distance(a) - distance(b) || a.index - b.index);
    // One run per distinct time: runs often tie to the ms, and sixteen runs of one time would cover one rank, not sixteen.
    const times = new Set<number>();
    for (const s of timed) {
      if (times.size === MEDIAN_CANDIDATES) break;
      if (times.has(s.executionMs!)) continue;
      times.add(s.executionMs!);
      keep.add(s.index);
    }
  }
  return keep;
}

/**
 * The runs shown in detail and why. With at most ALL_RUNS_IN_DETAIL_UP_TO runs,
 * every one. Else the roles are decided on all summaries, and a role whose run's
 * profile was not kept (`kept`) falls to the kept run nearest by execution time.
 */
export function selectDetailRuns(summaries: readonly RunSummary[], kept: ReadonlySet<number>, requests: readonly RunRequest[]): DetailSelection {
  const reasons = new Map<number, DetailReason[]>();
  const add = (index: number, reason: DetailReason) => reasons.set(index, [...(reasons.get(index) ?? []), reason]);
  const failedAll = summaries.filter(isFailed);
  const small = summaries.length <= ALL_RUNS_IN_DETAIL_UP_TO;
  if (small) for (const s of summaries) add(s.index, { kind: "all", of: summaries.length });
  const timed = summaries.filter(isTimed);
  const keptTimed = timed.filter((s) => small || kept.has(s.index));
  const nearestKept = (ms: number) => keptTimed.reduce((best, s) => (Math.abs(s.executionMs - ms) < Math.abs(best.executionMs - ms) ? s : best));
  if (timed.length > 0 && keptTimed.length > 0) {
    const byTime = [...timed].sort((a, b) => a.executionMs - b.executionMs || a.index - b.index);
    const slowest = nearestKept(byTime[byTime.length - 1]!.executionMs);
    const fastest = nearestKept(byTime[0]!.executionMs);
    const medianMs = byTime[(byTime.length - 1) >> 1]!.executionMs;
    const middle = nearestKept(medianMs);
    add(slowest.index, { kind: "slowest", executionMs: slowest.executionMs });
    add(middle.index, { kind: "median", executionMs: middle.executionMs, medianMs, of: timed.length });
    add(fastest.index, { kind: "fastest", executionMs: fastest.executionMs });
  }
  const failedKept = failedAll.filter((s) => small || kept.has(s.index)).slice(0, FAILED_IN_DETAIL_MAX);
  for (const s of failedKept) add(s.index, { kind: "failed" });
  const unmatched: string[] = [];
  for (const r of requests) {
    const hits = summaries.filter((s) => matches(s, r) && (small || kept.has(s.index)));
    if (hits.length === 0) unmatched.push(r.text);
    for (const s of hits) add(s.index, { kind: "requested", request: r.text });
  }
  const picks = [...reasons.entries()].sort((a, b) => a[0] - b[0]).map(([index, rs]) => ({ index, reasons: rs }));
  return { picks, unmatched, failedTotal: failedAll.length, failedShown: small ? failedAll.length : failedKept.length };
}
