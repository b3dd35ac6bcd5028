// trend and compare over a Parquet export: the same Trend and Comparison as
// over recordings, from the same statistics code. DuckDB groups the measured
// runs and hands over each group's per-run values in run order
// (pipelines/parquet/stats-sql.ts); the figures come from src/analysis:
// summarize, compareSamples (bootstrap ratio, rank test, verdict),
// bootstrapMedian and findChangePoints; medians from src/stats.
// Variants of a workflow are paired by their prompts (the `workflows` table)
// with diffWorkflows, by the rule of compareAnalyses.

import type { DuckDBConnection } from "@duckdb/node-api";
import type { ChangePoint, Comparison, ComparisonSettings, EnvironmentChange, GroupComparison, Trend, TrendPoint, TrendSeries } from "../../src/model/comparison.js";
import type { RunCacheUse } from "../../src/model/profile.js";
import { compareSamples, environmentDifferences, pairVariants, summarize } from "../../src/analysis/compare.js";
import type { WorkflowDiff } from "../../src/analysis/workflow-diff.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import { bootstrapMedian } from "../../src/analysis/bootstrap.js";
import { findChangePoints } from "../../src/analysis/change-points.js";
import { median } from "../../src/stats/descriptive.js";
import { isNonEmpty } from "../../src/model/non-empty.js";
import { classSumsSql, compareSide, ENVIRONMENT_FIELDS, excludedSql, groupsSql, LABELS_SQL, nodeSamplesSql, promptsSql, TREND_SIDE } from "./stats-sql.js";

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

/** compare.ts's rule over the export's columns (ENVIRONMENT_FIELDS is in ENVIRONMENT_FIELD_NAMES' order). */
const environmentChanges = (baseline: Group, candidate: Group): EnvironmentChange[] => environmentDifferences(baseline.environment, candidate.environment);

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

/** The runs labelled `baselineLabel` against those labelled `candidateLabel`, by workflow and cache state (and variants). */
export async function parquetCompare(connection: DuckDBConnection, baselineLabel: string, candidateLabel: string, settings: ComparisonSettings): Promise<Comparison> {
  const side = compareSide(baselineLabel, candidateLabel);
  const groups = await readGroups(connection, side);
  const base = groups.filter((g) => g.side === 0);
  const candAll = groups.filter((g) => g.side === 1);
  const cand = new Map(candAll.map((g) => [seriesKey(g), g]));
  const baseKeys = new Set(base.map(seriesKey));
  const nodes = await nodeSamples(connection, side, settings);
  const compare = (b: Group, c: Group, diff: WorkflowDiff | null): GroupComparison => ({
    // Variants are named as the baseline's workflow; the candidate's name is in `variant`.
    workflowName: diff ? b.workflowName : (c.workflowName ?? b.workflowName),
    workflowFingerprint: b.workflowFingerprint,
    cacheState: b.cacheState,
    execution: compareSamples("execution", null, b.times, c.times, settings),
    nodes: nodeComparisons(nodes, b, c, diff, settings),
    environmentChanges: environmentChanges(b, c),
    variant: diff ? { candidateFingerprint: c.workflowFingerprint, candidateName: c.workflowName, similarity: diff.similarity, differences: diff.differences } : null,
  });
  const same = base.flatMap((b) => (cand.has(seriesKey(b)) ? [compare(b, cand.get(seriesKey(b))!, null)] : []));
  const baseAlone = base.filter((g) => !cand.has(seriesKey(g)));
  const candAlone = candAll.filter((g) => !baseKeys.has(seriesKey(g)));
  const variants = pairVariants(baseAlone, candAlone, await readPrompts(connection, [...baseAlone, ...candAlone]));
  const paired = new Set(variants.flatMap(([b, c]) => [b, c]));
  const describe = (sideName: "baseline" | "candidate") => (g: Group) => ({ side: sideName, workflowName: g.workflowName, workflowFingerprint: g.workflowFingerprint, cacheState: g.cacheState, runs: g.times.length });
  const excluded = await rows(connection, excludedSql(side));
  return {
    settings,
    groups: [...same, ...variants.map(([b, c, diff]) => compare(b, c, diff))],
    unmatched: [...baseAlone.filter((g) => !paired.has(g)).map(describe("baseline")), ...candAlone.filter((g) => !paired.has(g)).map(describe("candidate"))],
    excludedRuns: excluded.map((r) => ({ side: num(r.side) === 0 ? ("baseline" as const) : ("candidate" as const), promptId: r.prompt_id as string, reason: r.reason as string })),
  };
}

/** The prompts of the groups' workflows, from the `workflows` table. */
async function readPrompts(connection: DuckDBConnection, groups: readonly Group[]): Promise<Map<string, ApiWorkflow>> {
  const fingerprints = [...new Set(groups.map((g) => g.workflowFingerprint))];
  if (fingerprints.length === 0) return new Map();
  return new Map((await rows(connection, promptsSql(fingerprints))).map((r) => [r.workflow_fingerprint as string, JSON.parse(r.prompt_json as string) as ApiWorkflow]));
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

/** Each node of the baseline group's runs (in the order first seen), compared with the same id on the candidate side; for variants, the matched ids only. */
function nodeComparisons(samples: Map<string, Map<string, NodeSamples>>, b: Group, c: Group, diff: WorkflowDiff | null, settings: ComparisonSettings) {
  const base = samples.get(`0/${seriesKey(b)}`) ?? new Map<string, NodeSamples>();
  const cand = samples.get(`1/${seriesKey(c)}`) ?? new Map<string, NodeSamples>();
  const comparable = diff ? new Set(diff.matched) : null;
  return [...base.values()]
    .filter((n) => comparable === null || comparable.has(n.nodeId))
    .sort((x, y) => x.firstSeen - y.firstSeen)
    .map((n) => {
      const other = cand.get(n.nodeId);
      return compareSamples(`node ${n.nodeId} ${n.firstRunClass ?? "?"}`, n.nodeId, n.times, other?.times ?? [], settings, n.leftOut + (other?.leftOut ?? 0));
    })
    .filter((m) => m.baseline.n > 0 || m.candidate.n > 0);
}
