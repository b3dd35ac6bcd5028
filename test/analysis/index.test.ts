import { describe, expect, it } from "vitest";
import { analyzeRun, analyzeTimelines } from "../../src/analysis/index.js";
import { buildRunTimelines } from "../../src/fold/index.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import type { RunProfile } from "../../src/model/profile.js";
import { GB, timeline, type Timeline } from "../support/timeline.js";

// Each run's execution_start is at t = `from` (default 0), so run-relative ms are t − from.

const link = (id: string): [string, number] => [id, 0];
const sleep = (...inputs: string[]) => ({
  class_type: "ComfyprofSleep",
  inputs: Object.fromEntries(inputs.map((id, i) => [`in${i}`, link(id)])),
});

interface RunOptions {
  from?: number;
  cached?: string[];
  outputs?: string[];
  run?: number;
  warmup?: boolean;
}

/**
 * The executor's order: `steps` one after another (each [node, ms]), the first 10 ms after
 * execution_start; success 10 ms after the last. With the recorder's lines around: run-start,
 * POST /prompt, a RAM poll, the history (queued 15 ms before the start), run-end.
 */
function runInOrder(t: Timeline, steps: [string, number][], opts: RunOptions = {}): void {
  const from = opts.from ?? 0;
  t.at(from - 20).runStart({ run: opts.run, warmup: opts.warmup });
  t.at(from - 10).submit(from - 18);
  t.at(from).start().cached(opts.cached ?? []);
  t.at(from + 5).stats({ ramUsedBytes: 4 * GB, sentAt: from + 3 });
  let at = from + 10;
  let previous: string | null = null;
  for (const [id, ms] of steps) {
    const now = t.at(at);
    if (previous !== null) now.finished(previous);
    now.running(id).executing(id);
    previous = id;
    at += ms;
  }
  if (previous !== null) t.at(at).finished(previous);
  t.at(at + 10).success();
  t.at(at + 15).done().history({ createTime: from - 15, ...(opts.outputs ? { outputs: opts.outputs } : {}) }).runEnd({ run: opts.run });
}

function analyze(t: Timeline): RunProfile {
  const { runs } = buildRunTimelines(t.events(), "run.ndjson");
  expect(runs).toHaveLength(1);
  return analyzeRun(runs[0]!, null);
}

const slack = (p: RunProfile) => Object.fromEntries(p.nodes.map((n) => [n.nodeId, n.slackMs]));
const onPath = (p: RunProfile) => p.nodes.filter((n) => n.onCriticalPath).map((n) => n.nodeId);

describe("analysis/index", () => {
  it("keeps the workflow graph's problems on the profile, from the catalogue, with the run's file and prompt", () => {
    // 2 links to 99, which the prompt does not have: the link is ignored, the run analysed, and the profile says so.
    const t = timeline({ prompt: { "1": sleep(), "2": { class_type: "ComfyprofSleep", inputs: { a: link("1"), b: link("99") } } } });
    runInOrder(t, [["1", 100], ["2", 100]]);
    const p = analyze(t);
    expect(p.criticalPath.nodeIds).toEqual(["1", "2"]);
    expect(p.diagnostics).toEqual([
      { code: "workflow-link-missing-source", severity: "warning", nodeId: "2", file: "run.ndjson", promptId: p.promptId, message: expect.stringContaining("node 99") },
    ]);
  });

  it("gives a sequential chain as its own critical path: speedup 1, parallelizability 0", () => {
    const t = timeline({ prompt: { "1": sleep(), "2": sleep("1"), "3": sleep("2") } });
    // 1: 10–110, 2: 110–310, 3: 310–610; success at 620.
    runInOrder(t, [["1", 100], ["2", 200], ["3", 300]]);
    const p = analyze(t);
    // CP = Σ = 100 + 200 + 300 = 600: speedup 600/600 = 1, parallelizability 1 − 600/600 = 0.
    expect(p.criticalPath).toEqual({
      nodeIds: ["1", "2", "3"],
      lengthMs: 600,
      workMs: 600,
      speedup: 1,
      parallelizability: 0,
      band: "low",
      overlapObserved: false,
      // Nothing overlapped: concurrency 1, and all of Σ / CP is left.
      observedConcurrency: 1,
      remainingSpeedup: 1,
      whatIf: [
        { nodeId: "3", factor: 2, lengthMs: 450, savedMs: 150, nodeIds: ["1", "2", "3"] },
        { nodeId: "2", factor: 2, lengthMs: 500, savedMs: 100, nodeIds: ["1", "2", "3"] },
        { nodeId: "1", factor: 2, lengthMs: 550, savedMs: 50, nodeIds: ["1", "2", "3"] },
      ],
    });
    expect(slack(p)).toEqual({ "1": 0, "2": 0, "3": 0 });
    expect(onPath(p)).toEqual(["1", "2", "3"]);
    expect(p.timing).toMatchObject({ executionMs: 620, nodeBusyMs: 600, gapMs: 20, workMs: 600 });
    // Mean 200: nothing reaches 2× = 400; 3 holds 300/600 = 50 % of the CP.
    expect(p.bottlenecks).toMatchObject([{ nodeId: "3", kind: "dominates-critical-path", durationMs: 300, shareOfWall: 300 / 620, onCriticalPath: true }]);
    expect(p.diagnostics).toEqual([]);
  });

  it("takes the longer branch plus the join as the critical path, not the slowest node", () => {
    // A: 1 → 2 → 3 (100 + 200 + 300 = 600); B: 4 → 5 (450 + 50 = 500); join 6 (50).
    const t = timeline({ prompt: { "1": sleep(), "2": sleep("1"), "3": sleep("2"), "4": sleep(), "5": sleep("4"), "6": sleep("3", "5") } });
    // Run one after another: 1: 10–110, 2: 110–310, 3: 310–610, 4: 610–1060, 5: 1060–1110, 6: 1110–1160; success at 1170.
    runInOrder(t, [["1", 100], ["2", 200], ["3", 300], ["4", 450], ["5", 50], ["6", 50]]);
    const p = analyze(t);
    // CP = A + join = 650 (the slowest node, 4 at 450, is off it); Σ = 1150;
    // speedup 1150/650 ≈ 1.77; parallelizability 1 − 650/1150 = 500/1150 ≈ 43 %: moderate.
    expect(p.criticalPath).toMatchObject({ nodeIds: ["1", "2", "3", "6"], lengthMs: 650, workMs: 1150, band: "moderate", overlapObserved: false });
    expect(p.criticalPath.speedup).toBeCloseTo(1150 / 650, 6);
    expect(p.criticalPath.parallelizability).toBeCloseTo(500 / 1150, 6);
    // B could take 600 − 500 = 100 ms longer before it decides the run.
    expect(slack(p)).toEqual({ "1": 0, "2": 0, "3": 0, "4": 100, "5": 100, "6": 0 });
    // 3 twice as fast: A = 450 < B = 500, the CP moves to 4 → 5 → 6 (550). 2 twice as fast: A = B = 500,
    // ties go to the path through the lower id, still A (550). 1 twice as fast: 600.
    expect(p.criticalPath.whatIf).toEqual([
      { nodeId: "3", factor: 2, lengthMs: 550, savedMs: 100, nodeIds: ["4", "5", "6"] },
      { nodeId: "2", factor: 2, lengthMs: 550, savedMs: 100, nodeIds: ["1", "2", "3", "6"] },
      { nodeId: "1", factor: 2, lengthMs: 600, savedMs: 50, nodeIds: ["1", "2", "3", "6"] },
    ]);
    // Mean 1150/6 ≈ 192: 4 (450) is over 2× it, a slow node off the CP; 3 holds 300/650 ≈ 46 % of the CP, under half.
    expect(p.bottlenecks).toMatchObject([{ nodeId: "4", kind: "slow-node", durationMs: 450, shareOfWall: 450 / 1170, onCriticalPath: false }]);
    expect(p.bottlenecks).toHaveLength(1);
    expect(p.diagnostics).toEqual([]);
  });

  it("takes the heavier side of a diamond", () => {
    // 1 → {2, 3} → 4: 100, 300, 200, 50, run 1, 2, 3, 4: 10–110, 110–410, 410–610, 610–660.
    const t = timeline({ prompt: { "1": sleep(), "2": sleep("1"), "3": sleep("1"), "4": sleep("2", "3") } });
    runInOrder(t, [["1", 100], ["2", 300], ["3", 200], ["4", 50]]);
    const p = analyze(t);
    // CP 1 → 2 → 4 = 450; Σ = 650; speedup 650/450; parallelizability 200/650 ≈ 31 %: moderate.
    expect(p.criticalPath).toMatchObject({ nodeIds: ["1", "2", "4"], lengthMs: 450, workMs: 650, band: "moderate" });
    expect(p.criticalPath.speedup).toBeCloseTo(650 / 450, 6);
    expect(p.criticalPath.parallelizability).toBeCloseTo(200 / 650, 6);
    // 3 has 300 − 200 = 100 to spare.
    expect(slack(p)).toEqual({ "1": 0, "2": 0, "3": 100, "4": 0 });
    // 2 halved: 1 → 2 → 4 = 300 < 1 → 3 → 4 = 350, the CP moves to 3.
    expect(p.criticalPath.whatIf).toEqual([
      { nodeId: "2", factor: 2, lengthMs: 350, savedMs: 100, nodeIds: ["1", "3", "4"] },
      { nodeId: "1", factor: 2, lengthMs: 400, savedMs: 50, nodeIds: ["1", "2", "4"] },
      { nodeId: "4", factor: 2, lengthMs: 425, savedMs: 25, nodeIds: ["1", "2", "4"] },
    ]);
    expect(p.diagnostics).toEqual([]);
  });

  it("never makes a cached node a bottleneck or puts it on the path; nodes that did not run have no slack", () => {
    // 1 → 2 → 3 (the output run); 4 → 5 left out of outputs_to_execute. 1 and 4 cached; 2: 10–110, 3: 110–150.
    const t = timeline({ prompt: { "1": sleep(), "2": sleep("1"), "3": sleep("2"), "4": sleep(), "5": sleep("4") } });
    runInOrder(t, [["2", 100], ["3", 40]], { cached: ["1", "4"], outputs: ["3"] });
    const p = analyze(t);
    expect(p.nodes.map((n) => [n.nodeId, n.status, n.durationMs])).toEqual([
      ["1", "cached", 0],
      ["2", "executed", 100],
      ["3", "executed", 40],
      ["4", "not-run", null],
      ["5", "not-run", null],
    ]);
    // CP 2 → 3 = 140 = Σ (the cached 1 adds nothing and is trimmed).
    expect(p.criticalPath).toMatchObject({ nodeIds: ["2", "3"], lengthMs: 140, workMs: 140, speedup: 1 });
    expect(onPath(p)).toEqual(["2", "3"]);
    expect(slack(p)).toMatchObject({ "4": null, "5": null });
    // Of the executed nodes only: 2 holds 100/140 of the CP.
    expect(p.bottlenecks.map((b) => [b.nodeId, b.kind])).toEqual([["2", "dominates-critical-path"]]);
    expect(p.diagnostics).toEqual([]);
  });

  it("finds nothing to run and no bottleneck in a fully cached rerun", () => {
    const t = timeline({ prompt: { "1": sleep(), "2": sleep("1"), "3": { class_type: "PreviewImage", inputs: { images: link("2") } } } });
    runInOrder(t, [], { cached: ["1", "2", "3"] });
    const p = analyze(t);
    expect(p.criticalPath).toEqual({
      nodeIds: [], lengthMs: 0, workMs: 0, speedup: null, parallelizability: null, band: null, overlapObserved: false, observedConcurrency: null, remainingSpeedup: null, whatIf: [],
    });
    expect(p.bottlenecks).toEqual([]);
    expect(p.counts).toMatchObject({ cached: 3, executed: 0 });
  });

  it("names a node off the critical path a bottleneck when its self time is at least half the critical path", () => {
    // A: 1 → 2 → 3 → 4, 175 each = 700 (the CP); B: 5 alone, 400. Run 1, 2, 3, 4, 5 from 10.
    const t = timeline({ prompt: { "1": sleep(), "2": sleep("1"), "3": sleep("2"), "4": sleep("3"), "5": sleep() } });
    runInOrder(t, [["1", 175], ["2", 175], ["3", 175], ["4", 175], ["5", 400]]);
    const p = analyze(t);
    expect(p.criticalPath).toMatchObject({ nodeIds: ["1", "2", "3", "4"], lengthMs: 700, workMs: 1100 });
    // metrics.md: self time ≥ 2× the mean of executed nodes (2 × 1100/5 = 440: none), or ≥ 50 % of the CP
    // (350: node 5, 400 ms, off the path). The A nodes hold 175/700 = 25 % each.
    expect(p.bottlenecks.map((b) => [b.nodeId, b.durationMs, b.onCriticalPath])).toEqual([["5", 400, false]]);
  });

  it("names the failed node that stopped the run a bottleneck", () => {
    const prompt: ApiWorkflow = { "1": sleep(), "2": { class_type: "ComfyprofRaise", inputs: { value: link("1") } }, "3": sleep("2"), "4": sleep("3") };
    const t = timeline({ prompt });
    t.at(-20).runStart();
    t.at(-10).submit(-18);
    t.at(0).start().cached([]);
    t.at(5).stats({ ramUsedBytes: 4 * GB, sentAt: 3 });
    t.at(10).running("1").executing("1");
    t.at(110).finished("1").running("2").executing("2");
    t.at(310).error("2", "RuntimeError", "boom", { executed: ["1"] });
    t.at(312).done().history({ createTime: -15 }).runEnd();
    const p = analyze(t);
    // 1: 100, 2: 110 → 310 = 200; 3 and 4 never ran. CP 1 → 2 = 300.
    expect(p.criticalPath).toMatchObject({ nodeIds: ["1", "2"], lengthMs: 300, workMs: 300 });
    expect(p.bottlenecks).toMatchObject([{ nodeId: "2", classType: "ComfyprofRaise", kind: "failed-node", durationMs: 200, shareOfWall: 200 / 310, onCriticalPath: true }]);
    expect(p.bottlenecks).toHaveLength(1);
    expect(slack(p)).toMatchObject({ "3": null, "4": null });
    expect(p.diagnostics).toEqual([]);
  });

  it("says when async nodes overlapped, so the wall time is below Σ", () => {
    // A = 1 (0–501) and B = 2 (1–301), async, in flight together.
    const prompt: ApiWorkflow = { "1": { class_type: "ComfyprofAsyncSleep", inputs: {} }, "2": { class_type: "ComfyprofAsyncSleep", inputs: {} } };
    const t = timeline({ prompt });
    t.at(-20).runStart();
    t.at(-10).submit(-18);
    t.at(0).start().cached([]).running("1").executing("1");
    t.at(1).running("2").executing("2");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(301).finished("2");
    t.at(501).finished("1");
    t.at(510).success();
    t.at(515).done().history({ createTime: -15 }).runEnd();
    const p = analyze(t);
    // Σ = 501 + 300 = 801 > wall 510; CP = A = 501; speedup 801/501; parallelizability 300/801 ≈ 37 %.
    expect(p.criticalPath).toMatchObject({ nodeIds: ["1"], lengthMs: 501, workMs: 801, band: "moderate", overlapObserved: true });
    expect(p.criticalPath.speedup).toBeCloseTo(801 / 501, 6);
    expect(p.criticalPath.parallelizability).toBeCloseTo(300 / 801, 6);
    expect(p.timing.executionMs).toBe(510);
    // The run already had that overlap: busy 0–501 = 501, concurrency 801/501; nothing is left to gain (501/501 = 1).
    expect(p.criticalPath.observedConcurrency).toBeCloseTo(801 / 501, 6);
    expect(p.criticalPath.remainingSpeedup).toBe(1);
    // B could end 501 − 300 = 201 later.
    expect(slack(p)).toEqual({ "1": 0, "2": 201 });
    expect(p.diagnostics).toEqual([]);
  });

  it("weighs an expanding node by its rolled-up time, and does not call its children overlap", () => {
    // 6 (10–100) → 7 (self 100–110, children 110–310 and 310–460, finished 470) → 8 (470–500).
    const prompt: ApiWorkflow = { "6": sleep(), "7": { class_type: "ComfyprofExpand", inputs: { value: link("6") } }, "8": sleep("7") };
    const t = timeline({ prompt });
    t.at(-20).runStart();
    t.at(-10).submit(-18);
    t.at(0).start().cached([]);
    t.at(10).running("6").executing("6");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(100).finished("6").running("7").executing("7");
    t.at(110).running("7.0.0.1", { parent: "7" }).executing("7.0.0.1");
    t.at(310).finished("7.0.0.1").running("7.0.0.2", { parent: "7" }).executing("7.0.0.2");
    t.at(460).finished("7.0.0.2");
    t.at(470).finished("7").running("8").executing("8");
    t.at(500).finished("8");
    t.at(510).success();
    t.at(515).done().history({ createTime: -15 }).runEnd();
    const p = analyze(t);
    // 6: 90; 7: 10 + 200 + 150 = 360; 8: 30. CP = Σ = 480.
    expect(p.criticalPath).toMatchObject({ nodeIds: ["6", "7", "8"], lengthMs: 480, workMs: 480, speedup: 1, overlapObserved: false });
    expect(p.edges).toEqual([["6", "7"], ["7", "8"]]);
    expect(p.diagnostics).toEqual([]);
  });

  it("does not call a lazy node's span around its input overlap", () => {
    // L = 2 (lazy input from I = 1): L 0–100 and 250–400 (self 250), I 100–250 (150).
    const prompt: ApiWorkflow = { "1": sleep(), "2": { class_type: "ComfyprofLazy", inputs: { a: link("1") } } };
    const t = timeline({ prompt });
    t.at(-20).runStart();
    t.at(-10).submit(-18);
    t.at(0).start().cached([]).running("2").executing("2");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(100).running("1").executing("1");
    t.at(250).finished("1").executing("2");
    t.at(400).finished("2");
    t.at(410).success();
    t.at(415).done().history({ createTime: -15 }).runEnd();
    const p = analyze(t);
    // CP 1 → 2 = 150 + 250 = 400 = Σ.
    expect(p.criticalPath).toMatchObject({ nodeIds: ["1", "2"], lengthMs: 400, workMs: 400, speedup: 1, overlapObserved: false });
    expect(p.diagnostics).toEqual([]);
  });

  it("leaves warm-up runs out of the node-type statistics, but keeps their profiles", () => {
    const prompt: ApiWorkflow = {
      "1": { class_type: "EmptyImage", inputs: {} },
      "2": { class_type: "ImageInvert", inputs: { image: link("1") } },
      "3": { class_type: "PreviewImage", inputs: { images: link("2") } },
    };
    const warm = timeline({ prompt, promptId: "warm-up" });
    const measured = warm.forPrompt("measured");
    runInOrder(warm, [["1", 500], ["2", 500], ["3", 500]], { run: 0, warmup: true });
    runInOrder(measured, [["1", 100], ["2", 200], ["3", 300]], { from: 2000, run: 1 });
    const log = buildRunTimelines(warm.events(), "run.ndjson");
    const analysis = analyzeTimelines([{ ...log, diagnostics: [] }]);
    expect(analysis.runs.map((r) => [r.promptId, r.source.warmup, r.source.run])).toEqual([
      ["warm-up", true, 0],
      ["measured", false, 1],
    ]);
    // Measured only: 300 + 200 + 100 = 600.
    expect(analysis.nodeTypes.map((s) => [s.classType, s.count, s.totalMs, s.meanMs, s.stdevMs])).toEqual([
      ["PreviewImage", 1, 300, 300, null],
      ["ImageInvert", 1, 200, 200, null],
      ["EmptyImage", 1, 100, 100, null],
    ]);
    expect(analysis.nodeTypes.map((s) => s.shareOfTotal)).toEqual([300 / 600, 200 / 600, 100 / 600]);
    expect(analysis.runs.flatMap((r) => r.diagnostics)).toEqual([]);
  });
});
