import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";
import { classifyChange, compareAnalyses, compareSamples, summarize } from "../../src/analysis/compare.js";
import { DEFAULT_SETTINGS } from "../../src/model/comparison.js";
import { buildTrend } from "../../src/analysis/trend.js";
import type { Analysis, RunProfile } from "../../src/model/profile.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import { readFileSync } from "node:fs";

const BENCHMARK = new URL("../../samples/recordings/benchmark/run.ndjson", import.meta.url).pathname;
const FAST = { ...DEFAULT_SETTINGS, resamples: 2000 };

let benchmark: Analysis;
beforeAll(async () => {
  benchmark = await analyzeFiles([BENCHMARK]);
});

/** The benchmark recording with every measured run's execution time (and node times) × factor. */
function scaled(a: Analysis, factor: number, edit: (r: RunProfile) => RunProfile = (r) => r): Analysis {
  return {
    ...a,
    runs: a.runs.map((r) =>
      edit({
        ...r,
        timing: { ...r.timing, executionMs: r.timing.executionMs! * factor },
        nodes: r.nodes.map((n) => ({ ...n, durationMs: n.durationMs === null ? null : n.durationMs * factor })),
      }),
    ),
  };
}

/** The benchmark's workflow, as recorded in its header. */
function promptOf(_a: Analysis): ApiWorkflow {
  const header = JSON.parse(readFileSync(BENCHMARK, "utf8").split("\n", 1)[0]!) as { workflow: { prompt: ApiWorkflow } };
  return header.workflow.prompt;
}


describe("analysis/compare", () => {
  it("leaves out a node time whose uncertainty exceeds the noise threshold, and counts it", () => {
    // Node 4 (the sleep) of one candidate run held back ±100 ms (±10 % of a 200 ms node, above the 5 % threshold): left out.
    const uncertain = (r: RunProfile, i: number) =>
      i !== 3 ? r : {
        ...r,
        nodes: r.nodes.map((n) =>
          n.nodeId !== "4" ? n : { ...n, boundaryUncertain: true, uncertainty: { ...n.uncertainty!, durationPlusMinusMs: 100, causes: ["held-back-end" as const] } },
        ),
      };
    const cand = { ...benchmark, runs: benchmark.runs.map(uncertain) };
    const c = compareAnalyses(benchmark, cand, FAST);
    const four = c.groups[0]!.nodes.find((m) => m.nodeId === "4")!;
    expect(four.leftOutUncertain).toBe(1);
    expect(four.candidate.n).toBe(four.baseline.n - 1);
    // A ±3 ms doubt on a 200 ms node (1.5 %) decides nothing: kept.
    const slight = (r: RunProfile, i: number) =>
      i !== 3 ? r : { ...r, nodes: r.nodes.map((n) => (n.nodeId !== "4" ? n : { ...n, boundaryUncertain: true, uncertainty: { ...n.uncertainty!, durationPlusMinusMs: 3 } })) };
    expect(compareAnalyses(benchmark, { ...benchmark, runs: benchmark.runs.map(slight) }, FAST).groups[0]!.nodes.find((m) => m.nodeId === "4")!.leftOutUncertain).toBe(0);
    expect(c.groups[0]!.execution.leftOutUncertain).toBe(0);
  });

  it("calls a change only when the whole interval clears the noise threshold", () => {
    const est = (lower: number, upper: number) => ({ point: (lower + upper) / 2, lower, upper, confidenceLevel: 0.95, resamples: 1000, endsWithin: 0 });
    expect(classifyChange(est(1.06, 1.2), 0.05)).toBe("slower");
    expect(classifyChange(est(1.04, 1.2), 0.05)).toBe("within-noise");
    expect(classifyChange(est(0.8, 0.94), 0.05)).toBe("faster");
    expect(classifyChange(est(0.8, 0.96), 0.05)).toBe("within-noise");
    expect(classifyChange(null, 0.05)).toBe("insufficient-data");
  });

  it("needs at least three runs a side", () => {
    expect(compareSamples("execution", null, [1, 2], [1, 2, 3], FAST).verdict).toBe("insufficient-data");
    expect(compareSamples("execution", null, [1, 2, 3], [1, 2, 3], FAST).verdict).toBe("within-noise");
  });

  it("flags outliers without dropping them", () => {
    // median 10, |x − 10| = [0,0,0,1,1,40] → MAD 0.5, scaled 0.741; 50 is 40 away → an outlier
    const s = summarize([10, 10, 10, 11, 9, 50]);
    expect(s).toMatchObject({ n: 6, medianMs: 10, outliers: 1, maxMs: 50 });
  });

  it("finds the same recording within noise, 30 % slower slower, 30 % faster faster", () => {
    const same = compareAnalyses(benchmark, benchmark, FAST);
    expect(same.groups).toHaveLength(1);
    expect(same.groups[0]!.execution).toMatchObject({ verdict: "within-noise", baseline: { n: 10 }, candidate: { n: 10 } });
    expect(same.groups[0]!.execution.ratio!.point).toBe(1);
    expect(same.excludedRuns).toEqual([]);
    const slower = compareAnalyses(benchmark, scaled(benchmark, 1.3), FAST).groups[0]!;
    expect(slower.execution.verdict).toBe("slower");
    expect(slower.execution.ratio!.point).toBeCloseTo(1.3, 10);
    expect(slower.nodes.find((n) => n.nodeId === "4")!.verdict).toBe("slower");
    expect(compareAnalyses(benchmark, scaled(benchmark, 0.7), FAST).groups[0]!.execution.verdict).toBe("faster");
  });

  it("never compares across workflows or cache states, and says what it left unmatched", () => {
    // Grouped by how the runs used the cache (cache.use), as observed.
    const other = scaled(benchmark, 1, (r) => ({ ...r, source: { ...r.source, cacheState: "cold" }, cache: { ...r.cache, use: "cold" } }));
    const c = compareAnalyses(benchmark, other, FAST);
    expect(c.groups).toEqual([]);
    expect(c.unmatched.map((u) => [u.side, u.cacheState, u.runs])).toEqual([["baseline", "model-warm", 10], ["candidate", "cold", 10]]);
  });

  it("names environment changes between the sides", () => {
    const upgraded = scaled(benchmark, 1, (r) => ({ ...r, environment: { ...r.environment!, pytorchVersion: "2.15.0+cu130" } }));
    expect(compareAnalyses(benchmark, upgraded, FAST).groups[0]!.environmentChanges).toEqual([{ field: "PyTorch", baseline: "2.14.1+cu130", candidate: "2.15.0+cu130" }]);
  });

  it("finds two halves of one benchmark (A/A) within noise, the run and every node, by the bootstrap and the rank test", () => {
    const measured = benchmark.runs.filter((r) => !r.source.warmup);
    const half = (parity: number) => ({ ...benchmark, runs: measured.filter((_, i) => i % 2 === parity) });
    const g = compareAnalyses(half(0), half(1), FAST).groups[0]!;
    for (const m of [g.execution, ...g.nodes]) {
      expect(m.verdict, m.metric).toBe("within-noise");
      expect(m.rankTest!.pValue, m.metric).toBeGreaterThan(0.05);
    }
  });

  it("pairs variants of a workflow (A/B), names what differs per node, and compares the nodes alike", () => {
    // The candidate ran a variant: node 4's sleep set to 0.3 s, 1.5× its time.
    const prompt = benchmark.runs.find((r) => !r.source.warmup)!;
    const base = new Map([[prompt.workflow.fingerprint, promptOf(benchmark)]]);
    const variantPrompt = structuredClone(promptOf(benchmark));
    variantPrompt["4"]!.inputs.seconds = 0.3;
    const variant = scaled(benchmark, 1, (r) => ({
      ...r,
      workflow: { ...r.workflow, fingerprint: "variant-fp" },
      nodes: r.nodes.map((n) => (n.nodeId === "4" && n.durationMs !== null ? { ...n, durationMs: n.durationMs * 1.5 } : n)),
    }));
    const workflows = new Map([...base, ["variant-fp", variantPrompt]]);
    const c = compareAnalyses(benchmark, variant, FAST, workflows);
    expect(c.unmatched).toEqual([]);
    const g = c.groups[0]!;
    expect(g.variant).toMatchObject({ candidateFingerprint: "variant-fp", similarity: 1, differences: [{ nodeId: "4", change: "inputs", inputs: [{ name: "seconds", baseline: "0.2", candidate: "0.3" }] }] });
    expect(g.nodes.find((m) => m.nodeId === "4")!.verdict).toBe("slower");
    expect(g.nodes.find((m) => m.nodeId === "1")!.verdict).toBe("within-noise");
    // Without the prompts nothing says they are variants: nothing is compared.
    expect(compareAnalyses(benchmark, variant, FAST).groups).toEqual([]);
  });

  it("never mixes runs that used the cache differently: a run with cached nodes is cache-assisted, apart from model-warm ones", () => {
    const assisted = scaled(benchmark, 1, (r) => (r.source.run === 3 ? { ...r, cache: { ...r.cache, use: "cache-assisted" } } : r));
    const c = compareAnalyses(benchmark, assisted, FAST);
    expect(c.groups.map((g) => [g.cacheState, g.execution.candidate.n])).toEqual([["model-warm", 9]]);
    expect(c.unmatched).toEqual([{ side: "candidate", workflowName: "workflow.json", workflowFingerprint: benchmark.runs[0]!.workflow.fingerprint, cacheState: "cache-assisted", runs: 1 }]);
  });

  it("leaves failed runs out and says so", () => {
    const oneFailed = scaled(benchmark, 1, (r) => (r.source.run === 3 ? { ...r, outcome: { ...r.outcome, status: "error" } } : r));
    const c = compareAnalyses(benchmark, oneFailed, FAST);
    expect(c.excludedRuns).toHaveLength(1);
    expect(c.groups[0]!.execution.candidate.n).toBe(9);
  });
});

describe("analysis/trend", () => {
  it("marks a change point where the time shifted and stayed, with the environment change that came with it", () => {
    const at = (a: Analysis, factor: number, hours: number, pytorch: string) =>
      scaled(a, factor, (r) => ({ ...r, startedAtMs: r.startedAtMs! + hours * 3_600_000, environment: { ...r.environment!, pytorchVersion: pytorch } }));
    const inputs = [0, 1, 2, 3, 4].map((h) => ({ name: `r${h}`, analysis: at(benchmark, h < 2 ? 1 : 1.3, h, h < 2 ? "2.14.1" : "2.15.0") }));
    const [c] = buildTrend(inputs, FAST).series[0]!.changePoints;
    expect(c).toMatchObject({ index: 2, environmentChanges: [{ field: "PyTorch", baseline: "2.14.1", candidate: "2.15.0" }] });
    expect(c!.ratio).toBeCloseTo(1.3, 2);
  });

  it("orders recordings by time and compares each with the one before", () => {
    const shift = (a: Analysis, factor: number, hours: number) =>
      scaled(a, factor, (r) => ({ ...r, startedAtMs: r.startedAtMs! + hours * 3_600_000 }));
    const trend = buildTrend(
      [
        { name: "c", analysis: shift(benchmark, 1.4, 2) },
        { name: "a", analysis: benchmark },
        { name: "b", analysis: shift(benchmark, 1.0, 1) },
      ],
      FAST,
    );
    expect(trend.series).toHaveLength(1);
    // Three recordings: too few for a change point (two a side).
    expect(trend.series[0]!.changePoints).toEqual([]);
    const points = trend.series[0]!.points;
    expect(points.map((p) => p.name)).toEqual(["a", "b", "c"]);
    expect(points.map((p) => p.change?.verdict ?? null)).toEqual([null, "within-noise", "slower"]);
    expect(points[0]!.medianMs!.lower).toBeLessThanOrEqual(points[0]!.execution.medianMs!);
  });
});
