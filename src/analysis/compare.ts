// Baseline vs candidate (docs/metrics.md "Across runs"): runs grouped by
// workflow fingerprint and cache state (never mixed), warm-ups and failed runs
// left out, medians compared with a bootstrap interval of their ratio, and a
// change called only when the whole interval clears the noise threshold
// (Criterion's rule). Environment differences are listed, never ignored.

import type { ApiWorkflow } from "../model/events.js";
import type { RunCacheUse } from "../model/profile.js";
import type { ComparableNode, ComparableRun } from "../model/comparable-run.js";
import { DEFAULT_SETTINGS, OUTLIER_MADS, type ChangeVerdict, type Comparison, type ComparisonSettings, type EnvironmentChange, type Estimate, type GroupComparison, type MetricComparison, type SampleSummary } from "../model/comparison.js";
import { assertNonEmpty } from "../model/non-empty.js";
import { bootstrapRatioOfMedians } from "./bootstrap.js";
import { mannWhitneyU } from "./rank-test.js";
import { diffWorkflows, type WorkflowDiff } from "./workflow-diff.js";
import { mad, max, mean, median, min, stdev } from "../stats/descriptive.js";

export interface RunGroup {
  workflowName: string | null;
  workflowFingerprint: string;
  cacheState: RunCacheUse | null;
  runs: ComparableRun[];
}

/** A side of a comparison, or a trend's recording: its runs (a RunProfile is a ComparableRun, so an Analysis is one). */
export interface RunSet {
  runs: readonly ComparableRun[];
}

/** Measured, successful runs by workflow and cache state; the rest listed with why. */
export function groupRuns(analysis: RunSet): { groups: RunGroup[]; excluded: { promptId: string; reason: string }[] } {
  const groups = new Map<string, RunGroup>();
  const excluded: { promptId: string; reason: string }[] = [];
  for (const run of analysis.runs) {
    if (run.source.warmup) continue;
    if (run.outcome.status !== "success" || run.timing.executionMs === null) {
      excluded.push({ promptId: run.promptId, reason: `outcome ${run.outcome.status}` });
      continue;
    }
    if (run.diagnostics.some((d) => d.code === "cold-run-not-cold")) {
      excluded.push({ promptId: run.promptId, reason: "recorded as cold but had cached nodes" });
      continue;
    }
    // Grouped by how the run used the cache as observed, not as asked: a "model-warm" run with cached nodes is cache-assisted.
    const key = `${run.workflow.fingerprint}/${run.cache.use}`;
    const g = groups.get(key) ?? { workflowName: run.workflow.name, workflowFingerprint: run.workflow.fingerprint, cacheState: run.cache.use, runs: [] };
    g.runs.push(run);
    groups.set(key, g);
  }
  return { groups: [...groups.values()], excluded };
}

export function summarize(values: readonly number[]): SampleSummary {
  if (values.length === 0) return { n: 0, medianMs: null, meanMs: null, minMs: null, maxMs: null, stdevMs: null, outliers: 0 };
  const v = [...values];
  assertNonEmpty(v, "summarize");
  const m = median(v);
  const scaledMad = mad(v) * 1.4826;
  return {
    n: v.length,
    medianMs: m,
    meanMs: mean(v),
    minMs: min(v),
    maxMs: max(v),
    stdevMs: stdev(v),
    outliers: scaledMad > 0 ? v.filter((x) => Math.abs(x - m) > OUTLIER_MADS * scaledMad).length : 0,
  };
}

/** Criterion's rule: a change only when the whole interval lies beyond the noise threshold. */
export function classifyChange(ratio: Estimate | null, noiseThreshold: number): ChangeVerdict {
  if (ratio === null) return "insufficient-data";
  if (ratio.lower > 1 + noiseThreshold) return "slower";
  if (ratio.upper < 1 - noiseThreshold) return "faster";
  return "within-noise";
}

export function isRegression(c: MetricComparison): boolean {
  return c.verdict === "slower";
}

export function compareSamples(
  metric: string,
  nodeId: string | null,
  baseline: readonly number[],
  candidate: readonly number[],
  s: ComparisonSettings,
  leftOutUncertain = 0,
): MetricComparison {
  const base = summarize(baseline);
  const cand = summarize(candidate);
  // A ratio needs enough runs on both sides and a baseline median above 0 (a cached node's 0 ms has no ratio).
  const enough = base.n >= s.minSamples && cand.n >= s.minSamples && (base.medianMs ?? 0) > 0;
  const ratio = enough ? bootstrapRatioOfMedians(baseline, candidate, s) : null;
  const rankTest = base.n > 0 && cand.n > 0 ? mannWhitneyU(baseline, candidate) : null;
  return {
    metric, nodeId, baseline: base, candidate: cand, ratio, verdict: classifyChange(ratio, s.noiseThreshold), leftOutUncertain, rankTest,
    baselineMs: [...baseline], candidateMs: [...candidate],
  };
}

/**
 * Two groups compared: the run's execution time, and each node's time. For
 * variants (`diff` given), only nodes with the same id and class on both
 * sides are compared, and the differences are listed.
 */
function compareGroups(base: RunGroup, cand: RunGroup, s: ComparisonSettings, diff: WorkflowDiff | null): GroupComparison {
  const execution = compareSamples("execution", null, base.runs.map((r) => r.timing.executionMs!), cand.runs.map((r) => r.timing.executionMs!), s);
  const timed = (g: RunGroup, id: string) => g.runs.flatMap((r) => r.nodes.filter((n) => n.nodeId === id && n.status === "executed" && n.durationMs !== null));
  // A node time whose uncertainty is larger than the smallest change we would call could decide the verdict by itself: left out, counted.
  const decisive = (n: ComparableNode) => !uncertainBeyond(n, s.noiseThreshold);
  const comparable = diff ? new Set(diff.matched) : null;
  const ids = [...new Set(base.runs.flatMap((r) => r.nodes.map((n) => n.nodeId)))].filter((id) => comparable === null || comparable.has(id));
  const nodes = ids
    .map((id) => {
      const type = base.runs[0]!.nodes.find((n) => n.nodeId === id)?.classType ?? "?";
      const [b, c] = [timed(base, id), timed(cand, id)];
      const leftOut = [...b, ...c].filter((n) => !decisive(n)).length;
      return compareSamples(`node ${id} ${type}`, id, b.filter(decisive).map((n) => n.durationMs!), c.filter(decisive).map((n) => n.durationMs!), s, leftOut);
    })
    .filter((m) => m.baseline.n > 0 || m.candidate.n > 0);
  return {
    // Variants are named as the baseline's workflow; the candidate's name is in `variant`.
    workflowName: diff ? base.workflowName : (cand.workflowName ?? base.workflowName),
    workflowFingerprint: base.workflowFingerprint,
    cacheState: base.cacheState,
    execution,
    nodes,
    environmentChanges: environmentChanges(base.runs, cand.runs),
    variant: diff
      ? { candidateFingerprint: cand.workflowFingerprint, candidateName: cand.workflowName, similarity: diff.similarity, differences: diff.differences }
      : null,
  };
}

/** True when a node's time is uncertain (beyond the receipt jitter) by more than `share` of itself. */
export function uncertainBeyond(n: Pick<ComparableNode, "boundaryUncertain" | "uncertainty" | "durationMs">, share: number): boolean {
  if (!n.boundaryUncertain || n.durationMs === null) return false;
  const pm = n.uncertainty?.durationPlusMinusMs ?? null;
  return pm === null || pm > share * n.durationMs;
}

/** The environment fields compared, in order (an export has one column for each: pipelines/parquet/stats-sql.ts). */
export const ENVIRONMENT_FIELD_NAMES = ["ComfyUI", "Python", "PyTorch", "OS", "devices", "launch arguments", "node classes"] as const;
export type EnvironmentField = (typeof ENVIRONMENT_FIELD_NAMES)[number];

const ENVIRONMENT_VALUE: Record<EnvironmentField, (r: ComparableRun) => string | null> = {
  ComfyUI: (r) => r.environment?.comfyuiVersion ?? null,
  Python: (r) => r.environment?.pythonVersion?.split(" ")[0] ?? null,
  PyTorch: (r) => r.environment?.pytorchVersion ?? null,
  OS: (r) => r.environment?.os ?? null,
  devices: (r) => r.environment?.devices.map((d) => d.name).join(", ") ?? null,
  "launch arguments": (r) => r.environment?.argv?.slice(1).join(" ") ?? null,
  "node classes": (r) => [...new Set(r.nodes.map((n) => n.classType))].sort().join(", "),
};

/** The most common value of each environment field on each side, where they differ. */
export function environmentChanges(baseline: readonly ComparableRun[], candidate: readonly ComparableRun[]): EnvironmentChange[] {
  const values = (runs: readonly ComparableRun[]) => ENVIRONMENT_FIELD_NAMES.map((field) => runs.map(ENVIRONMENT_VALUE[field]));
  return environmentDifferences(values(baseline), values(candidate));
}

/**
 * Per field of ENVIRONMENT_FIELD_NAMES (by index), each run's value on each side → the fields whose
 * most common value differs (ties: the value seen first).
 */
export function environmentDifferences(baseline: readonly (readonly (string | null)[])[], candidate: readonly (readonly (string | null)[])[]): EnvironmentChange[] {
  const mode = (values: readonly (string | null)[]) => {
    const counts = new Map<string | null, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  };
  return ENVIRONMENT_FIELD_NAMES.flatMap((field, i) => {
    const [a, b] = [mode(baseline[i] ?? []), mode(candidate[i] ?? [])];
    return a === b ? [] : [{ field, baseline: a, candidate: b }];
  });
}

/** Variants share at least this share of their node ids with the same class: less, and they are different workflows. */
export const VARIANT_MIN_SIMILARITY = 0.5;

/**
 * Baseline vs candidate. Groups of the same workflow and cache state are
 * compared; the rest, where `workflows` gives their prompts (by fingerprint),
 * are paired as variants of a workflow (same cache state, the most similar
 * structure, at least VARIANT_MIN_SIMILARITY) and compared node by node.
 */
export function compareAnalyses(
  baseline: RunSet,
  candidate: RunSet,
  settings: ComparisonSettings = DEFAULT_SETTINGS,
  workflows: ReadonlyMap<string, ApiWorkflow> = new Map(),
): Comparison {
  const base = groupRuns(baseline);
  const cand = groupRuns(candidate);
  const key = (g: RunGroup) => `${g.workflowFingerprint}/${g.cacheState}`;
  const candByKey = new Map(cand.groups.map((g) => [key(g), g]));
  const baseKeys = new Set(base.groups.map(key));
  const same = base.groups.filter((g) => candByKey.has(key(g))).map((g) => compareGroups(g, candByKey.get(key(g))!, settings, null));
  const variants = pairVariants(base.groups.filter((g) => !candByKey.has(key(g))), cand.groups.filter((g) => !baseKeys.has(key(g))), workflows);
  const paired = new Set(variants.flatMap(([b, c]) => [b, c]));
  const describe = (side: "baseline" | "candidate") => (g: RunGroup) => ({ side, workflowName: g.workflowName, workflowFingerprint: g.workflowFingerprint, cacheState: g.cacheState, runs: g.runs.length });
  return {
    settings,
    groups: [...same, ...variants.map(([b, c, diff]) => compareGroups(b, c, settings, diff))],
    unmatched: [
      ...base.groups.filter((g) => !candByKey.has(key(g)) && !paired.has(g)).map(describe("baseline")),
      ...cand.groups.filter((g) => !baseKeys.has(key(g)) && !paired.has(g)).map(describe("candidate")),
    ],
    excludedRuns: [
      ...base.excluded.map((e) => ({ side: "baseline" as const, ...e })),
      ...cand.excluded.map((e) => ({ side: "candidate" as const, ...e })),
    ],
  };
}

/**
 * Greedy: the most similar pairs of the same cache state first (at least VARIANT_MIN_SIMILARITY);
 * each group in one pair at most. Groups of runs, or of an export's rows (pipelines/parquet/stats.ts).
 */
export function pairVariants<G extends Pick<RunGroup, "workflowFingerprint" | "cacheState">>(
  base: readonly G[],
  cand: readonly G[],
  workflows: ReadonlyMap<string, ApiWorkflow>,
): [G, G, WorkflowDiff][] {
  const candidates: [G, G, WorkflowDiff][] = [];
  for (const b of base) {
    for (const c of cand) {
      const [pb, pc] = [workflows.get(b.workflowFingerprint), workflows.get(c.workflowFingerprint)];
      if (b.cacheState !== c.cacheState || !pb || !pc) continue;
      const diff = diffWorkflows(pb, pc);
      if (diff.similarity >= VARIANT_MIN_SIMILARITY) candidates.push([b, c, diff]);
    }
  }
  candidates.sort((x, y) => y[2].similarity - x[2].similarity);
  const used = new Set<G>();
  return candidates.filter(([b, c]) => {
    if (used.has(b) || used.has(c)) return false;
    used.add(b).add(c);
    return true;
  });
}
