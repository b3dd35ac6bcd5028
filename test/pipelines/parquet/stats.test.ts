import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFiles } from "../../../pipelines/analyze.js";
import { compareFromParquet, trendFromParquet } from "../../../pipelines/parquet-stats-command.js";
import { buildTrend } from "../../../src/analysis/trend.js";
import { compareAnalyses } from "../../../src/analysis/compare.js";
import { DEFAULT_SETTINGS } from "../../../src/model/comparison.js";
import type { ComparisonSettings } from "../../../src/model/comparison.js";
import type { ApiWorkflow } from "../../../src/model/events.js";
import { runMain } from "../../support/main-in-process.js";
import { stretchedLog } from "../../support/stretched-log.js";

const recording = (name: string) => new URL(`../../../samples/recordings/${name}/run.ndjson`, import.meta.url).pathname;
const BENCHMARK = recording("benchmark");
const HOUR = 3_600_000;
const settings: ComparisonSettings = { ...DEFAULT_SETTINGS, resamples: 2000, seed: 7 };

describe("pipelines/parquet/stats", () => {
  const dir = mkdtempSync(join(tmpdir(), "comfyprof-parquet-stats-"));
  // The benchmark's 10 measured runs (281 ms median) as six recordings an hour apart: two at ×1.0, one at ×1.02
  // (noise), then three at ×1.4 (a regression and a change point); gc-chain and cold add other workflows and states.
  let logs: string[];
  const exportDir = join(dir, "export");

  beforeAll(async () => {
    logs = [
      stretchedLog(BENCHMARK, dir, 1.0, 0, "before-1"),
      stretchedLog(BENCHMARK, dir, 1.0, HOUR, "before-2"),
      stretchedLog(BENCHMARK, dir, 1.02, 2 * HOUR, "before-3"),
      stretchedLog(BENCHMARK, dir, 1.4, 3 * HOUR, "after-1"),
      stretchedLog(BENCHMARK, dir, 1.4, 4 * HOUR, "after-2"),
      stretchedLog(BENCHMARK, dir, 1.4, 5 * HOUR, "after-3"),
      recording("gc-chain"),
      recording("cold"),
    ];
    const { code, stderr } = await runMain(["export", "--parquet", exportDir, ...logs]);
    expect(stderr).toContain("wrote");
    expect(code).toBe(0);
  });

  it("gives the trend of the recordings: the same points, medians, intervals (same seed), verdicts and change points", async () => {
    const inputs = await Promise.all(logs.map(async (path) => {
      const analysis = await analyzeFiles([path]);
      return { name: analysis.inputs[0]?.label ?? path, analysis };
    }));
    const expected = buildTrend(inputs, settings);
    const actual = await trendFromParquet(exportDir, settings);
    expect(actual).toEqual(expected);
    // What the equality covers: the benchmark's series has six points, the fourth one slower, and a change point there.
    const bench = actual.series.find((s) => s.points.length === 6)!;
    expect(bench.points.map((p) => p.change?.verdict ?? null)).toEqual([null, "within-noise", "within-noise", "slower", "within-noise", "within-noise"]);
    expect(bench.points[0]!.execution.medianMs).toBe(281);
    expect(bench.changePoints.map((c) => c.index)).toEqual([3]);
  });

  it("compares two labels as compare compares the recordings: medians, ratio interval, rank test, node verdicts", async () => {
    const before = await analyzeFiles(logs.slice(0, 1));
    const after = await analyzeFiles(logs.slice(3, 4));
    const expected = compareAnalyses(before, after, settings);
    const actual = await compareFromParquet(exportDir, "before-1", "after-1", settings);
    expect(actual).toEqual(expected);
    expect(actual.groups[0]!.execution.verdict).toBe("slower");
    expect(actual.groups[0]!.execution.ratio!.point).toBeCloseTo(1.4, 2);
    expect(actual.groups[0]!.nodes.length).toBeGreaterThan(0);
  });

  it("lists a side's excluded runs and the groups found on one side only, as compare does; a side's logs in time order", async () => {
    // Two sides of two logs each, given to compare in time order (error-mid-run was recorded before gc-chain, cold before interrupt).
    const side = (label: string, names: string[]) => names.map((n) => stretchedLog(recording(n), dir, 1, 0, label, `${label}-${n}.ndjson`));
    const left = side("left", ["error-mid-run", "gc-chain"]);
    const right = side("right", ["cold", "interrupt"]);
    const sides = join(dir, "sides");
    // Exported in another order, and appended one by one: the export orders a side's logs by their first run.
    for (const p of [right[1]!, left[1]!, right[0]!, left[0]!]) expect((await runMain(["export", "--parquet", sides, "--append", p])).code).toBe(0);
    // As the compare command does: one map of prompts for both sides, so that variants are paired.
    const workflows = new Map<string, ApiWorkflow>();
    const expected = compareAnalyses(await analyzeFiles(left, { workflows }), await analyzeFiles(right, { workflows }), settings, workflows);
    expect(expected.excludedRuns.map((e) => e.reason)).toContain("outcome error");
    expect(expected.unmatched.length).toBeGreaterThan(0);
    expect(await compareFromParquet(sides, "left", "right", settings)).toEqual(expected);
  });

  it("pairs a variant of a workflow (one input changed) with the workflow it came from, as compare does", async () => {
    // The benchmark's upscale method changed from bicubic to bilinear, and 30 % slower: another fingerprint, the same nodes.
    const slower = stretchedLog(BENCHMARK, dir, 1.3, HOUR, "variant");
    writeFileSync(slower, readFileSync(slower, "utf8").replaceAll('"upscale_method":"bicubic"', '"upscale_method":"bilinear"'));
    const base = stretchedLog(BENCHMARK, dir, 1, 0, "original");
    const variants = join(dir, "variants");
    expect((await runMain(["export", "--parquet", variants, base, slower])).code).toBe(0);
    const workflows = new Map<string, ApiWorkflow>();
    const expected = compareAnalyses(await analyzeFiles([base], { workflows }), await analyzeFiles([slower], { workflows }), settings, workflows);
    expect(expected.groups[0]!.variant?.differences.map((d) => d.inputs.map((i) => [i.name, i.baseline, i.candidate]))).toEqual([[["upscale_method", '"bicubic"', '"bilinear"']]]);
    expect(expected.groups[0]!.execution.verdict).toBe("slower");
    expect(await compareFromParquet(variants, "original", "variant", settings)).toEqual(expected);
  });
});
