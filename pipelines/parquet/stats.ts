// trend and compare over a Parquet export: the same Trend and Comparison as
// over recordings, from the same statistics code. DuckDB groups the measured
// runs and hands over each group's per-run values in run order
// (pipelines/parquet/stats-sql.ts); the figures come from src/analysis:
// summarize, compareSamples (bootstrap ratio, rank test, verdict),
// bootstrapMedian and findChangePoints; medians from src/stats.
// Not here: pairing variants of a workflow (compare over recordings pairs them
// by their prompts, which an export does not hold); they are listed unmatched.

import type { DuckDBConnection } from "@duckdb/node-api";
import type { ChangePoint, Comparison, ComparisonSettings, EnvironmentChange, GroupComparison, Trend, TrendPoint, TrendSeries } from "../../src/model/comparison.js";
import type { RunCacheUse } from "../../src/model/profile.js";
import { compareSamples, summarize } from "../../src/analysis/compare.js";
import { bootstrapMedian } from "../../src/analysis/bootstrap.js";
import { findChangePoints } from "../../src/analysis/change-points.js";
import { median } from "../../src/stats/descriptive.js";
import { isNonEmpty } from "../../src/model/non-empty.js";
import { classSumsSql, compareSide, ENVIRONMENT_FIELDS, excludedSql, groupsSql, LABELS_SQL, nodeSamplesSql, TREND_SIDE } from "./stats-sql.js";

/** A group of measured runs: one workflow in one cache state, in one recording (trend) or on one side (compare). */
interface Group {
  side: number;
  groupOrder: number;
  workflowFingerprint: string;
  cacheState: RunCacheUse;
  workflowName: string | null;
  recording: string;
  label: string | null;
  logStartMs: number | null;
  environmentFingerprint: string | null;
  times: number[];
  /** Per ENVIRONMENT_FIELDS entry, each run's value. */
  environment: (string | null)[][];
}

type Row = Record<string, unknown>;

async function rows(connection: DuckDBConnection, sql: string): Promise<Row[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Row[];
}

const num = (v: unknown): number => (typeof v === "bigint" ? Number(v) : (v as number));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));

async function readGroups(connection: DuckDBConnection, side: string): Promise<Group[]> {
  return (await rows(connection, groupsSql(side))).map((r) => ({
    side: num(r.side),
    groupOrder: num(r.group_order),
    workflowFingerprint: r.workflow_fingerprint as string,
    cacheState: r.cache_use as RunCacheUse,
    workflowName: (r.workflow_name as string | null) ?? null,
    recording: r.recording as string,
    label: (r.log_label as string | null) ?? null,
    logStartMs: numOrNull(r.log_start_ms),
    environmentFingerprint: (r.environment_fingerprint as string | null) ?? null,
    times: (r.times as unknown[]).map(num),
    environment: ENVIRONMENT_FIELDS.map((_, i) => r[`env_${i}`] as (string | null)[]),
  }));
}

/** The most common value of each field on each side, where they differ (ties: the value seen first), as environmentChanges does. */
function environmentChanges(baseline: Group, candidate: Group): EnvironmentChange[] {
  const mode = (values: readonly (string | null)[]) => {
    const counts = new Map<string | null, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  };
  return ENVIRONMENT_FIELDS.flatMap(({ field }, i) => {
    const [a, b] = [mode(baseline.environment[i]!), mode(candidate.environment[i]!)];
    return a === b ? [] : [{ field, baseline: a, candidate: b }];
  });
}

const seriesKey = (g: { workflowFingerprint: string; cacheState: string }) => `${g.workflowFingerprint}/${g.cacheState}`;

/** The trend of every workflow and cache state across the export's recordings (one point per recording, in time order). */
export async function parquetTrend(connection: DuckDBConnection, settings: ComparisonSettings): Promise<Trend> {
  const groups = await readGroups(connection, TREND_SIDE);
  const typeMedians = await nodeTypeMedians(connection);
  const series = new Map<string, { series: TrendSeries; groups: Group[] }>();
  for (const g of groups) {
    const key = seriesKey(g);
    const entry = series.get(key) ?? { series: { workflowName: g.workflowName, workflowFingerprint: g.workflowFingerprint, cacheState: g.cacheState, points: [], changePoints: [] }, groups: [] };
    const previous = entry.groups.at(-1) ?? null;
    const point: TrendPoint = {
      name: g.label ?? g.recording,
      startedAtMs: g.logStartMs,
      execution: summarize(g.times),
      medianMs: g.times.length >= settings.minSamples ? bootstrapMedian(g.times, settings) : null,
      environmentFingerprint: g.environmentFingerprint,
      change: previous ? compareSamples("execution", null, previous.times, g.times, settings) : null,
      environmentChanges: previous ? environmentChanges(previous, g) : [],
      nodeTypeMedians: typeMedians.get(`${g.side}/${g.groupOrder}`) ?? [],
    };
    entry.series.points.push(point);
    entry.groups.push(g);
    series.set(key, entry);
  }
  for (const e of series.values()) e.series.changePoints = changePointsOf(e.series, e.groups, settings);
  return { settings, series: [...series.values()].map((e) => e.series) };
}

function changePointsOf(s: TrendSeries, groups: readonly Group[], settings: ComparisonSettings): ChangePoint[] {
  const medians = s.points.map((p) => p.execution.medianMs ?? 0);
  return findChangePoints(medians, settings.noiseThreshold).map((c) => ({ ...c, environmentChanges: environmentChanges(groups[c.index - 1]!, groups[c.index]!) }));
}

/** Per group ("side/groupOrder"): per class, the median over its runs of the class's summed node time, slowest first (ties: the class seen first). */
async function nodeTypeMedians(connection: DuckDBConnection): Promise<Map<string, TrendPoint["nodeTypeMedians"]>> {
  const byGroup = new Map<string, { classType: string; medianMs: number; firstSeen: number }[]>();
  for (const r of await rows(connection, classSumsSql(TREND_SIDE))) {
    const sums = (r.sums as unknown[]).map(num);
    if (!isNonEmpty(sums)) continue;
    const key = `${num(r.side)}/${num(r.group_order)}`;
    byGroup.set(key, [...(byGroup.get(key) ?? []), { classType: r.class_type as string, medianMs: median(sums), firstSeen: num(r.first_seen) }]);
  }
  const out = new Map<string, TrendPoint["nodeTypeMedians"]>();
  for (const [key, list] of byGroup) {
    list.sort((a, b) => b.medianMs - a.medianMs || a.firstSeen - b.firstSeen);
    out.set(key, list.map(({ classType, medianMs }) => ({ classType, medianMs })));
  }
  return out;
}

/** The runs labelled `baselineLabel` against those labelled `candidateLabel`, by workflow and cache state. */
export async function parquetCompare(connection: DuckDBConnection, baselineLabel: string, candidateLabel: string, settings: ComparisonSettings): Promise<Comparison> {
  const side = compareSide(baselineLabel, candidateLabel);
  const groups = await readGroups(connection, side);
  const base = groups.filter((g) => g.side === 0);
  const cand = new Map(groups.filter((g) => g.side === 1).map((g) => [seriesKey(g), g]));
  const baseKeys = new Set(base.map(seriesKey));
  const nodes = await nodeSamples(connection, side, settings);
  const compared: GroupComparison[] = base.flatMap((b) => {
    const c = cand.get(seriesKey(b));
    if (!c) return [];
    return [{
      workflowName: c.workflowName ?? b.workflowName,
      workflowFingerprint: b.workflowFingerprint,
      cacheState: b.cacheState,
      execution: compareSamples("execution", null, b.times, c.times, settings),
      nodes: nodeComparisons(nodes, b, settings),
      environmentChanges: environmentChanges(b, c),
      variant: null,
    }];
  });
  const describe = (sideName: "baseline" | "candidate") => (g: Group) => ({ side: sideName, workflowName: g.workflowName, workflowFingerprint: g.workflowFingerprint, cacheState: g.cacheState, runs: g.times.length });
  const excluded = await rows(connection, excludedSql(side));
  return {
    settings,
    groups: compared,
    unmatched: [...base.filter((g) => !cand.has(seriesKey(g))).map(describe("baseline")), ...[...cand.values()].filter((g) => !baseKeys.has(seriesKey(g))).map(describe("candidate"))],
    excludedRuns: excluded.map((r) => ({ side: num(r.side) === 0 ? ("baseline" as const) : ("candidate" as const), promptId: r.prompt_id as string, reason: r.reason as string })),
  };
}

/** The labels in the export (for the message when a label names no run). */
export async function exportLabels(connection: DuckDBConnection): Promise<string[]> {
  return (await rows(connection, LABELS_SQL)).map((r) => r.label as string);
}

interface NodeSamples {
  nodeId: string;
  times: number[];
  leftOut: number;
  firstRunClass: string | null;
  firstSeen: number;
}

/** Per "side/workflow/cache" group: its node ids' samples. */
async function nodeSamples(connection: DuckDBConnection, side: string, settings: ComparisonSettings): Promise<Map<string, Map<string, NodeSamples>>> {
  const out = new Map<string, Map<string, NodeSamples>>();
  for (const r of await rows(connection, nodeSamplesSql(side, settings.noiseThreshold))) {
    const key = `${num(r.side)}/${r.workflow_fingerprint as string}/${r.cache_use as string}`;
    const group = out.get(key) ?? new Map<string, NodeSamples>();
    const nodeId = r.node_id as string;
    group.set(nodeId, { nodeId, times: ((r.times as unknown[] | null) ?? []).map(num), leftOut: num(r.left_out), firstRunClass: (r.first_run_class as string | null) ?? null, firstSeen: num(r.first_seen) });
    out.set(key, group);
  }
  return out;
}

/** Each node of the baseline group's runs (in the order first seen), compared with the same id on the candidate side. */
function nodeComparisons(samples: Map<string, Map<string, NodeSamples>>, b: Group, settings: ComparisonSettings) {
  const base = samples.get(`0/${seriesKey(b)}`) ?? new Map<string, NodeSamples>();
  const cand = samples.get(`1/${seriesKey(b)}`) ?? new Map<string, NodeSamples>();
  return [...base.values()]
    .sort((x, y) => x.firstSeen - y.firstSeen)
    .map((n) => {
      const c = cand.get(n.nodeId);
      return compareSamples(`node ${n.nodeId} ${n.firstRunClass ?? "?"}`, n.nodeId, n.times, c?.times ?? [], settings, n.leftOut + (c?.leftOut ?? 0));
    })
    .filter((m) => m.baseline.n > 0 || m.candidate.n > 0);
}
