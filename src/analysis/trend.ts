// A trend: recordings in time order (docs/metrics.md "Across runs"). Each
// recording is a point per workflow and cache state (median execution time
// with its bootstrap interval); each point is compared with the one before it
// by the same rule as `compare`, and environment changes are named.

import type { ChangePoint, ComparisonSettings, Trend, TrendPoint, TrendSeries } from "../model/comparison.js";
import { isNonEmpty } from "../model/non-empty.js";
import { median } from "../stats/descriptive.js";
import { findChangePoints } from "./change-points.js";
import { bootstrapMedian } from "./bootstrap.js";
import { compareSamples, environmentChanges, groupRuns, summarize, type RunGroup, type RunSet } from "./compare.js";
import { DEFAULT_SETTINGS } from "../model/comparison.js";

export interface TrendInput {
  /** The log's label, or its file name. */
  name: string;
  analysis: RunSet;
}

export function buildTrend(inputs: readonly TrendInput[], settings: ComparisonSettings = DEFAULT_SETTINGS): Trend {
  const points = inputs
    .map((input) => ({ input, groups: groupRuns(input.analysis).groups, startedAtMs: firstStart(input.analysis) }))
    .sort((a, b) => (a.startedAtMs ?? Infinity) - (b.startedAtMs ?? Infinity));
  const series = new Map<string, { series: TrendSeries; previous: RunGroup | null; groups: RunGroup[] }>();
  for (const { input, groups, startedAtMs } of points) {
    for (const g of groups) {
      const key = `${g.workflowFingerprint}/${g.cacheState}`;
      const entry = series.get(key) ?? { series: { workflowName: g.workflowName, workflowFingerprint: g.workflowFingerprint, cacheState: g.cacheState, points: [], changePoints: [] }, previous: null, groups: [] };
      entry.groups.push(g);
      const times = g.runs.map((r) => r.timing.executionMs!);
      const prevTimes = entry.previous?.runs.map((r) => r.timing.executionMs!) ?? null;
      entry.series.points.push({
        name: input.name,
        startedAtMs,
        execution: summarize(times),
        medianMs: times.length >= settings.minSamples ? bootstrapMedian(times, settings) : null,
        environmentFingerprint: g.runs[0]?.environment?.fingerprint ?? null,
        change: prevTimes ? compareSamples("execution", null, prevTimes, times, settings) : null,
        environmentChanges: entry.previous ? environmentChanges(entry.previous.runs, g.runs) : [],
        nodeTypeMedians: nodeTypeMedians(g),
      });
      entry.previous = g;
      series.set(key, entry);
    }
  }
  for (const e of series.values()) e.series.changePoints = changePointsOf(e.series, e.groups, settings);
  return { settings, series: [...series.values()].map((e) => e.series) };
}

/** Per class, the median over the group's runs of the summed time of that class's executed nodes in a run. */
function nodeTypeMedians(g: RunGroup): TrendPoint["nodeTypeMedians"] {
  const perClass = new Map<string, number[]>();
  for (const run of g.runs) {
    const sums = new Map<string, number>();
    for (const n of run.nodes) if (n.status === "executed" && n.durationMs !== null) sums.set(n.classType, (sums.get(n.classType) ?? 0) + n.durationMs);
    for (const [type, ms] of sums) perClass.set(type, [...(perClass.get(type) ?? []), ms]);
  }
  return [...perClass].flatMap(([classType, ms]) => (isNonEmpty(ms) ? [{ classType, medianMs: median(ms) }] : [])).sort((a, b) => b.medianMs - a.medianMs);
}

/** Change points of a series, each with the environment changes between the recordings either side of it. */
function changePointsOf(s: TrendSeries, groups: readonly RunGroup[], settings: ComparisonSettings): ChangePoint[] {
  const medians = s.points.map((p) => p.execution.medianMs ?? 0);
  return findChangePoints(medians, settings.noiseThreshold).map((c) => ({
    ...c,
    environmentChanges: environmentChanges(groups[c.index - 1]!.runs, groups[c.index]!.runs),
  }));
}

function firstStart(analysis: RunSet): number | null {
  const starts = analysis.runs.map((r) => r.startedAtMs).filter((t): t is number => t !== null);
  return starts.length ? Math.min(...starts) : null;
}
