import { describe, expect, it } from "vitest";
import { buildRunTimelines } from "../../src/fold/index.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import type { BuiltNode, RunTimeline } from "../../src/model/profile.js";
import { GB, MONO_ORIGIN_MS, timeline, type Timeline } from "../support/timeline.js";

// Each run below starts at t = 0 (execution_start), so run-relative ms are test times.

const link = (id: string): [string, number] => [id, 0];

/** 1 → 2 → 3, 3 an output. */
const chain: ApiWorkflow = {
  "1": { class_type: "EmptyImage", inputs: {} },
  "2": { class_type: "ImageInvert", inputs: { image: link("1") } },
  "3": { class_type: "PreviewImage", inputs: { images: link("2") } },
};

/** What the recorder writes before a run: run-start, the POST /prompt (sent −18, reply −10), then execution_start and execution_cached at 0. */
function begin(t: Timeline, cached: string[] = []): void {
  t.at(-20).runStart();
  t.at(-10).submit(-18);
  t.at(0).start().cached(cached);
}

/** And after it: executing null, the /history reply (queued at −15), run-end. */
function end(t: Timeline, at: number, outputs?: string[]): void {
  t.at(at).done().history({ createTime: -15, ...(outputs ? { outputs } : {}) }).runEnd();
}

function build(t: Timeline): RunTimeline {
  const { runs } = buildRunTimelines(t.events(), "run.ndjson");
  expect(runs).toHaveLength(1);
  return runs[0]!;
}

const codes = (run: RunTimeline) => run.diagnostics.map((d) => d.code).sort();
const node = (run: RunTimeline, id: string): BuiltNode => {
  const n = run.nodes.find((x) => x.nodeId === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};
/** The timing figures of a node, intervals as [start, end] pairs. */
const times = (n: BuiltNode) => ({
  status: n.status,
  intervals: n.intervals.map((i) => [i.startMs, i.endMs]),
  selfMs: n.selfMs,
  spanMs: n.spanMs,
  durationMs: n.durationMs,
  durationKind: n.durationKind,
});

describe("fold/run-builder", () => {
  it("times a sequential chain: one interval per node, self = span, gaps before, after and between", () => {
    const t = timeline({ prompt: chain });
    begin(t);
    t.at(10).running("1").executing("1");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(110).finished("1").running("2").executing("2");
    t.at(310).finished("2").running("3").executing("3");
    t.at(605).executed("3", { images: [] });
    t.at(610).finished("3");
    t.at(620).success();
    end(t, 625);
    const run = build(t);
    // 1: 10–110 = 100; 2: 110–310 = 200; 3: 310–610 = 300 (its end is its finished, not its executed at 605).
    expect(times(node(run, "1"))).toEqual({ status: "executed", intervals: [[10, 110]], selfMs: 100, spanMs: 100, durationMs: 100, durationKind: "span" });
    expect(times(node(run, "2"))).toEqual({ status: "executed", intervals: [[110, 310]], selfMs: 200, spanMs: 200, durationMs: 200, durationKind: "span" });
    expect(times(node(run, "3"))).toEqual({ status: "executed", intervals: [[310, 610]], selfMs: 300, spanMs: 300, durationMs: 300, durationKind: "span" });
    expect(node(run, "3").outputs).toEqual(["images"]);
    // Execution 0 → success 620 (server clock); busy 10–610 = 600; gap 620 − 600 = 20, largest 10 (0–10 and 610–620).
    // Submit −18 → −10 = 8; queue −15 → 0 = 15 (server clock); total −18 → 620 = 638; Σ 600.
    expect(run.timing).toEqual({
      submitMs: 8,
      queueWaitMs: 15,
      queueWaitSource: "server",
      executionMs: 620,
      executionSource: "server",
      totalMs: 638,
      nodeBusyMs: 600,
      gapMs: 20,
      largestGapMs: 10,
      executionStartMonoMs: MONO_ORIGIN_MS,
      // start, cached and success, all received CLOCK_OFFSET_MS (5) after their stamp.
      clockOffset: { medianMs: 5, spreadMs: 0, samples: 3 },
      workMs: 600,
    });
    expect(run.counts).toEqual({ total: 3, executed: 3, cached: 0, failed: 0, interrupted: 0, notRun: 0 });
    expect(run.outcome).toEqual({ status: "success", nodeId: null, nodeType: null, exceptionType: null, message: null, traceback: null, validationErrors: null });
    expect(run.dataQuality).toMatchObject({ hasProgressState: true, reconnects: 0, stalls: [], missingServerTimestamps: 0, clockJumps: 0 });
    expect(run.diagnostics).toEqual([]);
  });

  it("starts a node's first interval at its running, when that precedes its executing, so a sync node's self time is its span", () => {
    const t = timeline({ prompt: chain });
    begin(t);
    t.at(10).running("1");
    t.at(12).executing("1");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(110).finished("1").running("2");
    t.at(112).executing("2");
    t.at(310).finished("2").running("3");
    t.at(312).executing("3");
    t.at(400).executed("3").finished("3");
    t.at(410).success();
    end(t, 415);
    const run = build(t);
    // 1: 10–110, 2: 110–310, 3: 310–400, from each running (2 ms before the executing).
    expect(times(node(run, "1"))).toEqual({ status: "executed", intervals: [[10, 110]], selfMs: 100, spanMs: 100, durationMs: 100, durationKind: "span" });
    expect(times(node(run, "2"))).toEqual({ status: "executed", intervals: [[110, 310]], selfMs: 200, spanMs: 200, durationMs: 200, durationKind: "span" });
    expect(times(node(run, "3"))).toEqual({ status: "executed", intervals: [[310, 400]], selfMs: 90, spanMs: 90, durationMs: 90, durationKind: "span" });
    expect(run.diagnostics).toEqual([]);
  });

  it("uses receipt times, and says so, when the server stamps none of the run's messages", () => {
    // Servers before v0.0.3: no timestamp on execution_start, execution_cached or execution_success.
    const t = timeline({ prompt: chain });
    t.at(-20).runStart();
    t.at(-10).submit(-18);
    t.at(0).start({ serverAt: null }).cached([], { serverAt: null });
    t.at(10).running("1").executing("1");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(110).finished("1").running("2").executing("2");
    t.at(310).finished("2").running("3").executing("3");
    t.at(400).executed("3").finished("3");
    t.at(410).success({ serverAt: null });
    end(t, 415);
    const run = build(t);
    // Receipts: execution 0 → 410; queue wait POST /prompt (−18) → execution_start's receipt (0), create_time having no start stamp to meet.
    expect(run.timing).toMatchObject({ executionMs: 410, executionSource: "receipt", clockOffset: null, queueWaitMs: 18, queueWaitSource: "receipt" });
    expect(run.startedAtMs).toBeNull();
    expect(run.dataQuality.missingServerTimestamps).toBe(3);
    expect(codes(run)).toEqual(["execution-from-receipt", "queue-wait-from-receipt"]);
  });

  it("counts needed nodes in execution_cached as cached (0 ms) and the ones the outputs do not need as not run", () => {
    // 1 → 2 → 3 (the output executed); 4 → 5 is a second output, left out of outputs_to_execute.
    const prompt: ApiWorkflow = {
      ...chain,
      "4": { class_type: "EmptyImage", inputs: {} },
      "5": { class_type: "PreviewImage", inputs: { images: link("4") } },
    };
    const t = timeline({ prompt });
    begin(t, ["1", "4"]); // 4 is cached, but the run never needs it
    t.at(10).running("2").executing("2");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(110).finished("2").running("3").executing("3");
    t.at(150).executed("3").finished("3");
    t.at(160).success();
    end(t, 165, ["3"]);
    const run = build(t);
    expect(times(node(run, "1"))).toEqual({ status: "cached", intervals: [], selfMs: null, spanMs: null, durationMs: 0, durationKind: null });
    expect(times(node(run, "4"))).toMatchObject({ status: "not-run", intervals: [], durationMs: null });
    expect(times(node(run, "5"))).toMatchObject({ status: "not-run", intervals: [], durationMs: null });
    // 2 executed + 1 cached + 2 not run = 5 nodes; Σ = 100 + 40.
    expect(run.counts).toEqual({ total: 5, executed: 2, cached: 1, failed: 0, interrupted: 0, notRun: 2 });
    expect(run.timing.workMs).toBe(140);
    expect(run.diagnostics).toEqual([]);
  });

  it("calls a replayed cached output node (executed and finished, never running) cached, not executed in 0 ms", () => {
    const t = timeline({ prompt: chain });
    begin(t, ["1", "2", "3"]);
    t.at(1).executed("3", { images: [] }).finished("3");
    t.at(2).success();
    end(t, 3);
    const run = build(t);
    for (const id of ["1", "2", "3"]) {
      expect(times(node(run, id))).toEqual({ status: "cached", intervals: [], selfMs: null, spanMs: null, durationMs: 0, durationKind: null });
    }
    expect(run.counts).toEqual({ total: 3, executed: 0, cached: 3, failed: 0, interrupted: 0, notRun: 0 });
    // Nothing ran: execution 2 ms, all gap.
    expect(run.timing).toMatchObject({ executionMs: 2, nodeBusyMs: 0, gapMs: 2, workMs: 0 });
    // A 2 ms run falls between two polls.
    expect(codes(run)).toEqual(["no-memory-samples"]);
  });

  it("reports a lazy node's self time, its two segments around the input it asked for", () => {
    // L = 2 (lazy input from I = 1): executing L at 0, I runs 100–250, executing L again at 250, L finished at 400.
    const prompt: ApiWorkflow = {
      "1": { class_type: "ComfyprofSleep", inputs: {} },
      "2": { class_type: "ComfyprofLazy", inputs: { a: link("1") } },
    };
    const t = timeline({ prompt });
    begin(t);
    t.at(0).running("2").executing("2");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(100).running("1").executing("1");
    t.at(250).finished("1").executing("2");
    t.at(400).finished("2");
    t.at(410).success();
    end(t, 415);
    const run = build(t);
    // L: self 100 + 150 = 250, span 400; I: 150.
    expect(times(node(run, "2"))).toEqual({ status: "executed", intervals: [[0, 100], [250, 400]], selfMs: 250, spanMs: 400, durationMs: 250, durationKind: "self" });
    expect(node(run, "2").executions).toBe(2);
    expect(times(node(run, "1"))).toEqual({ status: "executed", intervals: [[100, 250]], selfMs: 150, spanMs: 150, durationMs: 150, durationKind: "span" });
    // Busy 0–400; gap 410 − 400 = 10; Σ 250 + 150 = 400.
    expect(run.timing).toMatchObject({ executionMs: 410, nodeBusyMs: 400, gapMs: 10, workMs: 400 });
    expect(run.diagnostics).toEqual([]);
  });

  it("reports overlapping async nodes by their span, and counts the time they overlap once in the busy time", () => {
    // A = 1, B = 2, async: executing A at 0, B at 1 (A still running), B finished at 301, A at 501.
    const prompt: ApiWorkflow = {
      "1": { class_type: "ComfyprofAsyncSleep", inputs: {} },
      "2": { class_type: "ComfyprofAsyncSleep", inputs: {} },
    };
    const t = timeline({ prompt });
    begin(t);
    t.at(0).running("1").executing("1");
    t.at(1).running("2").executing("2");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(301).finished("2");
    t.at(501).finished("1");
    t.at(510).success();
    end(t, 515);
    const run = build(t);
    // A: span 0–501 = 501, self 0–1 = 1 (B's executing); B: 1–301 = 300.
    expect(times(node(run, "1"))).toEqual({ status: "executed", intervals: [[0, 1]], selfMs: 1, spanMs: 501, durationMs: 501, durationKind: "span" });
    expect(times(node(run, "2"))).toEqual({ status: "executed", intervals: [[1, 301]], selfMs: 300, spanMs: 300, durationMs: 300, durationKind: "span" });
    // Busy = union 0–501 = 501 (not 801); gap 510 − 501 = 9; Σ 501 + 300 = 801, above the wall time.
    expect(run.timing).toMatchObject({ executionMs: 510, nodeBusyMs: 501, gapMs: 9, largestGapMs: 9, workMs: 801 });
    expect(run.diagnostics).toEqual([]);
  });

  it("rolls expanded children into their parent: parent self + children self, never the parent's span + children", () => {
    // 6 → 7 (expands into 7.0.0.1 and 7.0.0.2) → 8.
    const prompt: ApiWorkflow = {
      "6": { class_type: "ComfyprofSleep", inputs: {} },
      "7": { class_type: "ComfyprofExpand", inputs: { value: link("6") } },
      "8": { class_type: "PreviewAny", inputs: { source: link("7") } },
    };
    const t = timeline({ prompt });
    begin(t);
    t.at(10).running("6").executing("6");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(100).finished("6").running("7").executing("7");
    t.at(110).running("7.0.0.1", { parent: "7" }).executing("7.0.0.1");
    t.at(310).finished("7.0.0.1").running("7.0.0.2", { parent: "7" }).executing("7.0.0.2");
    t.at(460).finished("7.0.0.2");
    t.at(470).finished("7").running("8").executing("8");
    t.at(500).executed("8", { text: [] }).finished("8");
    t.at(510).success();
    end(t, 515);
    const run = build(t);
    // 7: self 100–110 = 10, span 100–470 = 370; children 200 + 150; rolled up 10 + 350 = 360 (not 370 + 350).
    expect(times(node(run, "7"))).toEqual({ status: "executed", intervals: [[100, 110]], selfMs: 10, spanMs: 370, durationMs: 360, durationKind: "rolled-up" });
    expect(node(run, "7").children).toEqual([
      { nodeId: "7.0.0.1", classType: null, intervals: [{ startMs: 110, endMs: 310 }], selfMs: 200, spanMs: 200 },
      { nodeId: "7.0.0.2", classType: null, intervals: [{ startMs: 310, endMs: 460 }], selfMs: 150, spanMs: 150 },
    ]);
    expect(run.nodes.map((n) => n.nodeId)).toEqual(["6", "7", "8"]);
    // Busy 10–500 = 490; gap 510 − 490 = 20; Σ 90 + 360 + 30 = 480.
    expect(run.timing).toMatchObject({ executionMs: 510, nodeBusyMs: 490, gapMs: 20, workMs: 480 });
    expect(run.counts).toEqual({ total: 3, executed: 3, cached: 0, failed: 0, interrupted: 0, notRun: 0 });
    expect(run.diagnostics).toEqual([]);
  });

  it("attributes nested children to their top-level node by real_node_id, whatever node they are displayed as", () => {
    // 7 expands into 7.0.0.1, which expands into 7.0.0.1.0.0.1, shown in the editor as node 6.
    const prompt: ApiWorkflow = {
      "6": { class_type: "ComfyprofSleep", inputs: {} },
      "7": { class_type: "ComfyprofExpand", inputs: { value: link("6") } },
    };
    const t = timeline({ prompt });
    begin(t);
    t.at(10).running("6").executing("6");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(100).finished("6").running("7").executing("7");
    t.at(110).running("7.0.0.1", { parent: "7" }).executing("7.0.0.1");
    t.at(150).running("7.0.0.1.0.0.1", { parent: "7.0.0.1", real: "7", display: "6" }).executing("7.0.0.1.0.0.1");
    t.at(250).finished("7.0.0.1.0.0.1");
    t.at(260).finished("7.0.0.1");
    t.at(270).finished("7");
    t.at(280).success();
    end(t, 285);
    const run = build(t);
    // 7: self 100–110 = 10; 7.0.0.1: self 110–150 = 40 (span 110–260); its child: 150–250 = 100. Rolled up 10 + 40 + 100 = 150.
    expect(times(node(run, "7"))).toEqual({ status: "executed", intervals: [[100, 110]], selfMs: 10, spanMs: 170, durationMs: 150, durationKind: "rolled-up" });
    expect(node(run, "7").children.map((c) => [c.nodeId, c.selfMs, c.spanMs])).toEqual([
      ["7.0.0.1", 40, 150],
      ["7.0.0.1.0.0.1", 100, 100],
    ]);
    // Node 6 is only the display node: its own time stays 10–100.
    expect(times(node(run, "6"))).toMatchObject({ intervals: [[10, 100]], durationMs: 90, durationKind: "span" });
    expect(node(run, "6").children).toEqual([]);
    expect(run.diagnostics).toEqual([]);
  });

  it("attributes a child that no progress_state names to the node its id begins with", () => {
    // An older server (no progress_state): executing 7 at 100, its child 7.0.0.1 at 110, 8 at 310.
    const prompt: ApiWorkflow = {
      "6": { class_type: "ComfyprofSleep", inputs: {} },
      "7": { class_type: "ComfyprofExpand", inputs: { value: link("6") } },
      "8": { class_type: "PreviewAny", inputs: { source: link("7") } },
    };
    const t = timeline({ prompt, progressState: false });
    begin(t);
    t.at(10).executing("6");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(100).executing("7");
    t.at(110).executing("7.0.0.1", { display: "7" });
    t.at(310).executing("8");
    t.at(340).executed("8", { text: [] });
    t.at(350).success();
    end(t, 355);
    const run = build(t);
    // 7: self 100–110 = 10; child 110–310 = 200; rolled up 210.
    expect(node(run, "7")).toMatchObject({ status: "executed", intervals: [{ startMs: 100, endMs: 110 }], selfMs: 10, durationMs: 210, durationKind: "rolled-up" });
    expect(node(run, "7").children).toEqual([{ nodeId: "7.0.0.1", classType: null, intervals: [{ startMs: 110, endMs: 310 }], selfMs: 200, spanMs: 200 }]);
    expect(codes(run)).toEqual(["no-progress-state"]);
  });

  it("ends a failed node, left running, at the terminal error; the nodes after it did not run", () => {
    const prompt: ApiWorkflow = {
      "1": { class_type: "ComfyprofSleep", inputs: {} },
      "2": { class_type: "ComfyprofRaise", inputs: { value: link("1") } },
      "3": { class_type: "ComfyprofSleep", inputs: { value: link("2") } },
      "4": { class_type: "PreviewAny", inputs: { source: link("3") } },
    };
    const t = timeline({ prompt });
    begin(t);
    t.at(10).running("1").executing("1");
    t.at(110).finished("1").running("2").executing("2");
    t.at(150).stats({ ramUsedBytes: 4 * GB });
    t.at(310).error("2", "RuntimeError", "boom", { executed: ["1"] });
    end(t, 312);
    const run = build(t);
    // 2: 110 → the error at 310 = 200.
    expect(times(node(run, "2"))).toEqual({ status: "failed", intervals: [[110, 310]], selfMs: 200, spanMs: 200, durationMs: 200, durationKind: "span" });
    expect(times(node(run, "3"))).toEqual({ status: "not-run", intervals: [], selfMs: null, spanMs: null, durationMs: null, durationKind: null });
    expect(times(node(run, "4"))).toMatchObject({ status: "not-run", durationMs: null });
    expect(run.outcome).toEqual({
      status: "error", nodeId: "2", nodeType: "ComfyprofRaise", exceptionType: "RuntimeError", message: "boom", traceback: null, validationErrors: null,
    });
    expect(node(run, "2").error).toEqual({ exceptionType: "RuntimeError", message: "boom", traceback: null });
    expect(node(run, "1").error).toBeNull();
    expect(run.counts).toEqual({ total: 4, executed: 1, cached: 0, failed: 1, interrupted: 0, notRun: 2 });
    expect(run.timing).toMatchObject({ executionMs: 310, executionSource: "server", nodeBusyMs: 300, gapMs: 10 });
    expect(run.diagnostics).toEqual([]);
  });

  it("goes on past an ExecutionBlocked error (no timestamp) to the run's success", () => {
    // 1 → 2 (its input blocked) and 1 → 3 → 4.
    const prompt: ApiWorkflow = {
      "1": { class_type: "ComfyprofSwitch", inputs: {} },
      "2": { class_type: "PreviewAny", inputs: { source: link("1") } },
      "3": { class_type: "ImageInvert", inputs: { image: link("1") } },
      "4": { class_type: "SaveImage", inputs: { images: link("3") } },
    };
    const t = timeline({ prompt });
    begin(t);
    t.at(10).running("1").executing("1");
    t.at(60).finished("1").running("2").executing("2");
    t.at(61).blocked("2");
    t.at(62).finished("2").running("3").executing("3");
    t.at(100).stats({ ramUsedBytes: 4 * GB });
    t.at(162).finished("3").running("4").executing("4");
    t.at(200).executed("4").finished("4");
    t.at(210).success();
    end(t, 215);
    const run = build(t);
    expect(run.outcome.status).toBe("success");
    // Execution 0 → 210, not → 61.
    expect(run.timing).toMatchObject({ executionMs: 210, executionSource: "server" });
    expect(times(node(run, "2"))).toMatchObject({ status: "executed", intervals: [[60, 62]] });
    expect(times(node(run, "4"))).toMatchObject({ status: "executed", intervals: [[162, 200]] });
    expect(run.counts).toEqual({ total: 4, executed: 4, cached: 0, failed: 0, interrupted: 0, notRun: 0 });
    // The error's missing stamp is not a missing run-level stamp.
    expect(run.dataQuality.missingServerTimestamps).toBe(0);
    expect(codes(run)).toEqual(["execution-blocked"]);
  });

  it("ends an interrupted run at execution_interrupted, the node then running marked interrupted", () => {
    const prompt: ApiWorkflow = {
      "1": { class_type: "EmptyImage", inputs: {} },
      "2": { class_type: "ComfyprofSleep", inputs: { value: link("1") } },
      "3": { class_type: "PreviewAny", inputs: { source: link("2") } },
    };
    const t = timeline({ prompt });
    begin(t);
    t.at(10).running("1").executing("1");
    t.at(110).finished("1").running("2").executing("2");
    t.at(150).stats({ ramUsedBytes: 4 * GB });
    t.at(300).interrupted("2", { executed: ["1"] });
    end(t, 302);
    const run = build(t);
    expect(run.outcome).toEqual({
      status: "interrupted", nodeId: "2", nodeType: "ComfyprofSleep", exceptionType: null, message: null, traceback: null, validationErrors: null,
    });
    // 2: 110 → 300 = 190.
    expect(times(node(run, "2"))).toEqual({ status: "interrupted", intervals: [[110, 300]], selfMs: 190, spanMs: 190, durationMs: 190, durationKind: "span" });
    expect(node(run, "3").status).toBe("not-run");
    expect(run.counts).toEqual({ total: 3, executed: 1, cached: 0, failed: 0, interrupted: 1, notRun: 1 });
    expect(run.timing).toMatchObject({ executionMs: 300, executionSource: "server" });
    expect(run.diagnostics).toEqual([]);
  });

  it("without progress_state, ends each node at the next executing or its executed, and says so", () => {
    const t = timeline({ prompt: chain, progressState: false });
    begin(t);
    t.at(10).executing("1");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(110).executing("2");
    t.at(310).executing("3");
    t.at(610).executed("3");
    t.at(620).success();
    end(t, 625);
    const run = build(t);
    // 1: 10 → executing 2 at 110; 2: 110 → 310; 3: 310 → its executed at 610.
    expect(run.nodes.map((n) => [n.nodeId, n.intervals.map((i) => [i.startMs, i.endMs]), n.durationMs])).toEqual([
      ["1", [[10, 110]], 100],
      ["2", [[110, 310]], 200],
      ["3", [[310, 610]], 300],
    ]);
    expect(run.timing).toMatchObject({ executionMs: 620, nodeBusyMs: 600, gapMs: 20 });
    expect(run.dataQuality.hasProgressState).toBe(false);
    expect(codes(run)).toEqual(["no-progress-state"]);
  });

  it("measures a run without execution_start from its first message, on receipt times", () => {
    const t = timeline({ prompt: chain });
    t.at(-20).runStart();
    t.at(-10).submit(-18);
    // execution_start and execution_cached never came; the first message is node 1's running at 10.
    t.at(10).running("1").executing("1");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(110).finished("1").running("2").executing("2");
    t.at(310).finished("2").running("3").executing("3");
    t.at(400).executed("3").finished("3");
    t.at(410).success();
    end(t, 415);
    const run = build(t);
    // Run-relative from 10: 1: 0–100, 2: 100–300, 3: 300–390; execution 10 → 410 = 400; gap 400 − 390 = 10.
    expect(run.nodes.map((n) => [n.nodeId, n.intervals.map((i) => [i.startMs, i.endMs])])).toEqual([
      ["1", [[0, 100]]],
      ["2", [[100, 300]]],
      ["3", [[300, 390]]],
    ]);
    expect(run.timing).toMatchObject({
      executionMs: 400,
      executionSource: "receipt",
      nodeBusyMs: 390,
      gapMs: 10,
      queueWaitMs: null,
      queueWaitSource: null,
      executionStartMonoMs: null,
    });
    expect(run.startedAtMs).toBeNull();
    expect(codes(run)).toEqual(["execution-from-receipt", "missing-execution-start"]);
  });

  describe("queue wait", () => {
    /** A one-node run: queued at `createTime` (server clock), POST /prompt sent at −18, execution_start at 0. */
    function queued(history: "fetched" | "missing" | "no-create-time"): RunTimeline {
      const t = timeline({ prompt: { "1": { class_type: "EmptyImage", inputs: {} } } });
      begin(t);
      t.at(10).running("1").executing("1");
      t.at(50).stats({ ramUsedBytes: 4 * GB });
      t.at(110).finished("1");
      t.at(120).success();
      t.at(125).done();
      // The recorder fetches the history after executing null, before run-end.
      if (history === "fetched") t.at(130).history({ createTime: -14 });
      if (history === "no-create-time") t.at(130).history({ createTime: null });
      t.at(131).runEnd();
      return build(t);
    }

    it("is execution_start's stamp − the history's create_time, on the server clock", () => {
      const run = queued("fetched");
      // −14 → 0 = 14.
      expect(run.timing).toMatchObject({ queueWaitMs: 14, queueWaitSource: "server" });
      expect(run.diagnostics).toEqual([]);
    });

    it("falls back to POST /prompt → execution_start's receipt when there is no history", () => {
      const run = queued("missing");
      // Sent at −18, execution_start received at 0: 18.
      expect(run.timing).toMatchObject({ queueWaitMs: 18, queueWaitSource: "receipt" });
      expect(codes(run)).toEqual(["history-missing", "queue-wait-from-receipt"]);
    });

    it("falls back to receipt times when the history has no create_time", () => {
      const run = queued("no-create-time");
      expect(run.timing).toMatchObject({ queueWaitMs: 18, queueWaitSource: "receipt" });
      expect(codes(run)).toEqual(["queue-wait-from-receipt"]);
    });
  });

  it("ends a failed node and the execution time at the server's stamp when the terminal message came late", () => {
    // The error is stamped at 400 but received at 700 (the server's end-of-prompt gc.collect held it back).
    const prompt: ApiWorkflow = {
      "1": { class_type: "ComfyprofSleep", inputs: {} },
      "2": { class_type: "ComfyprofRaise", inputs: { value: link("1") } },
    };
    const t = timeline({ prompt });
    begin(t);
    t.at(10).running("1").executing("1");
    t.at(110).finished("1").running("2").executing("2");
    t.at(150).stats({ ramUsedBytes: 4 * GB });
    t.at(700).error("2", "RuntimeError", "boom", { serverAt: 400 });
    end(t, 702);
    const run = build(t);
    // 2: 110 → 400 = 290 (not → 700); execution 0 → 400; busy 100 + 290 = 390; gap 10.
    expect(times(node(run, "2"))).toEqual({ status: "failed", intervals: [[110, 400]], selfMs: 290, spanMs: 290, durationMs: 290, durationKind: "span" });
    expect(run.timing).toMatchObject({ executionMs: 400, executionSource: "server", nodeBusyMs: 390, gapMs: 10 });
    // Offsets 5, 5 (start, cached) and 305 (the error): median 5, spread 300. The client waited −18 → 700.
    expect(run.timing.clockOffset).toEqual({ medianMs: 5, spreadMs: 300, samples: 3 });
    expect(run.timing.totalMs).toBe(718);
    expect(run.diagnostics).toEqual([]);
  });

  describe("memory", () => {
    it("gives each node the highest RAM sample in its span, null when none fell in it, and the run's baseline, peak and least free", () => {
      // Polls answered 2 ms after sending; a sample sits in the middle (sent x − 1, received x + 1 → at x).
      const t = timeline({ prompt: chain, pollMs: 100 });
      t.at(-60).runStart();
      t.at(-49).stats({ ramUsedBytes: 4 * GB, sentAt: -51 }); // baseline, at −50
      t.at(-10).submit(-18);
      t.at(0).start().cached([]);
      t.at(10).running("1").executing("1");
      t.at(51).stats({ ramUsedBytes: 5 * GB, sentAt: 49 }); // at 50: node 1
      t.at(110).finished("1").running("2").executing("2");
      t.at(151).stats({ ramUsedBytes: 6 * GB, sentAt: 149 }); // at 150: node 2
      t.at(251).stats({ ramUsedBytes: 9 * GB, sentAt: 249 }); // at 250: node 2, the run's peak
      t.at(351).stats({ ramUsedBytes: 7 * GB, sentAt: 349 }); // at 350: node 2
      t.at(410).finished("2").running("3").executing("3");
      t.at(430).executed("3").finished("3"); // 410–430: shorter than a poll interval, between two samples
      t.at(451).stats({ ramUsedBytes: 5.5 * GB, sentAt: 449 }); // at 450: no node
      t.at(460).success();
      end(t, 465);
      const run = build(t);
      // Rises: node 1 starts at 10, the level then is the sample at −50 (4 GB, 60 ms old): 5 − 4 = 1 GB;
      // node 2 starts at 110, the level is the sample at 50 (5 GB, 60 ms old): 9 − 5 = 4 GB. Samples ± 1 ms.
      const rise = (ramBytes: number, levelAgeMs: number) => ({ ramBytes, vramBytes: null, torchReservedBytes: null, levelAgeMs, sampleUncertaintyMs: 1, source: "system_stats" });
      expect(node(run, "1").memory).toEqual({ peakRamBytes: 5 * GB, peakVramBytes: null, peakTorchReservedBytes: null, samples: 1, shared: false, rise: rise(1 * GB, 60) });
      expect(node(run, "2").memory).toEqual({ peakRamBytes: 9 * GB, peakVramBytes: null, peakTorchReservedBytes: null, samples: 3, shared: false, rise: rise(4 * GB, 60) });
      // Not sampled: null, never 0.
      expect(node(run, "3").memory).toEqual({ peakRamBytes: null, peakVramBytes: null, peakTorchReservedBytes: null, samples: 0, shared: false, rise: null });
      // Baseline 4 GB (last before 0); peak 9 GB; delta 5 GB; least free 16 − 9 = 7 GB.
      expect(run.memory.ram).toEqual({ baselineBytes: 4 * GB, peakUsedBytes: 9 * GB, peakDeltaBytes: 5 * GB, minFreeBytes: 7 * GB });
      // Samples at 50, 150, 250, 350, 450 during the run: 100 apart, each ± 1.
      expect(run.memory).toMatchObject({ sampleIntervalMs: 100, pollMs: 100, devices: [] });
      expect(run.memory.samples.map((s) => [s.atMs, s.uncertaintyMs, s.source])).toEqual([
        [-50, 1, "system_stats"], [50, 1, "system_stats"], [150, 1, "system_stats"], [250, 1, "system_stats"], [350, 1, "system_stats"], [450, 1, "system_stats"],
      ]);
      expect(run.diagnostics).toEqual([]);
    });

    it("marks a peak taken while two nodes were in flight as shared by both", () => {
      // Async A = 1 (0–501) and B = 2 (1–301) overlap; samples at 200 (both in flight) and 400 (A only).
      const prompt: ApiWorkflow = {
        "1": { class_type: "ComfyprofAsyncSleep", inputs: {} },
        "2": { class_type: "ComfyprofAsyncSleep", inputs: {} },
      };
      const t = timeline({ prompt });
      begin(t);
      t.at(0).running("1").executing("1");
      t.at(1).running("2").executing("2");
      t.at(201).stats({ ramUsedBytes: 8 * GB, sentAt: 199 });
      t.at(301).finished("2");
      t.at(401).stats({ ramUsedBytes: 7 * GB, sentAt: 399 });
      t.at(501).finished("1");
      t.at(510).success();
      end(t, 515);
      const run = build(t);
      expect(node(run, "1").memory).toMatchObject({ peakRamBytes: 8 * GB, samples: 2, shared: true });
      expect(node(run, "2").memory).toMatchObject({ peakRamBytes: 8 * GB, samples: 1, shared: true });
      expect(run.diagnostics).toEqual([]);
    });

    it("finds a server stall in a poll's huge round trip and marks the node boundaries inside it uncertain", () => {
      // Node 2 holds the GIL from 150: the poll sent at 200 is answered at 1402 (1202 ms), and 2's finished arrives at 1401.
      const t = timeline({ prompt: chain });
      t.at(-60).runStart();
      t.at(-50).stats({ ramUsedBytes: 4 * GB, sentAt: -52 });
      t.at(-10).submit(-18);
      t.at(0).start().cached([]);
      t.at(10).running("1").executing("1");
      t.at(50).stats({ ramUsedBytes: 4 * GB, sentAt: 48 });
      t.at(100).stats({ ramUsedBytes: 4 * GB, sentAt: 98 });
      t.at(150).finished("1").running("2").executing("2");
      t.at(1401).finished("2").running("3").executing("3");
      t.at(1402).stats({ ramUsedBytes: 6 * GB, sentAt: 200 });
      t.at(1450).stats({ ramUsedBytes: 4 * GB, sentAt: 1448 });
      t.at(1500).executed("3").finished("3");
      t.at(1510).success();
      end(t, 1515);
      const run = build(t);
      // Round trips 2, 2, 2, 1202, 2: the log's lower quartile 2; 1202 > max(10 × 2, 2 + 30) is a stall, 200–1402.
      expect(run.dataQuality.medianPollRoundTripMs).toBe(2);
      // The last message before the poll was sent came at 150 (node 1's end): the server may have frozen since.
      expect(run.dataQuality.stalls).toEqual([{ startMs: 200, endMs: 1402, roundTripMs: 1202, silentSinceMs: 150 }]);
      // 1: 10–150, clear of it; 2 ends at 1401 and 3 starts at 1401, inside it: made any time since the last message before the poll (150).
      expect(run.nodes.map((n) => [n.nodeId, n.boundaryUncertain])).toEqual([["1", false], ["2", true], ["3", true]]);
      expect(node(run, "2").uncertainty).toMatchObject({ end: { earliestMs: 150 }, endPlusMinusMs: 1251, causes: ["stall"] });
      expect(node(run, "3").uncertainty).toMatchObject({ start: { earliestMs: 150 }, startPlusMinusMs: 1251, causes: ["stall"] });
      expect(run.dataQuality.uncertainties).toEqual([{ cause: "stall", sizeMs: 1252, startMs: 150, endMs: 1402, nodeIds: ["2", "3"] }]);
      expect(codes(run)).toEqual(["stall-nodes-uncertain"]);
    });
  });

  describe("progress", () => {
    /** One sampler node started at 100; progress values at the given times. */
    function sampler(steps: [atMs: number, value: number][], max: number): BuiltNode {
      const t = timeline({ prompt: { "1": { class_type: "KSampler", inputs: {} } } });
      begin(t);
      t.at(50).stats({ ramUsedBytes: 4 * GB });
      t.at(100).running("1").executing("1");
      for (const [at, value] of steps) t.at(at).progress("1", value, max); // progress_state, then progress: the same value twice
      const last = steps.at(-1)![0];
      t.at(last).finished("1");
      t.at(last + 10).success();
      end(t, last + 15);
      const run = build(t);
      expect(run.diagnostics).toEqual([]);
      return node(run, "1");
    }

    it("gives the steady rate from the first to the last sample and finds a slow first step", () => {
      // Start 100; values 1..4 at 400, 500, 600, 700: first step 300 ms; then 3 steps in 300 ms = 10/s, 100 ms a step; 300 > 1.5 × 100.
      const n = sampler([[400, 1], [500, 2], [600, 3], [700, 4]], 4);
      expect(n.progress).toMatchObject({ maxSteps: 4, firstValue: 1, lastValue: 4, samples: 4, firstStepMs: 300, firstStepSlower: true });
      expect(n.progress?.stepsPerSec).toBeCloseTo(10, 6);
    });

    it("does not call a first step slow when it took the steady step time", () => {
      // Start 100; values 1..3 at 200, 300, 400: first step 100 ms = the steady 100 ms.
      const n = sampler([[200, 1], [300, 2], [400, 3]], 3);
      expect(n.progress).toMatchObject({ maxSteps: 3, firstValue: 1, lastValue: 3, samples: 3, firstStepMs: 100, firstStepSlower: false });
      expect(n.progress?.stepsPerSec).toBeCloseTo(10, 6);
    });
  });

  it("calls a run without a terminal event incomplete, and its running node unknown: seen until the last message, no duration", () => {
    const t = timeline({ prompt: chain });
    begin(t);
    t.at(10).running("1").executing("1");
    t.at(110).finished("1").running("2").executing("2");
    t.at(150).stats({ ramUsedBytes: 4 * GB });
    t.at(250).progress("2", 1, 4);
    // The log ends here: no terminal event, no run-end.
    const run = build(t);
    expect(run.outcome).toEqual({ status: "incomplete", nodeId: null, nodeType: null, exceptionType: null, message: null, traceback: null, validationErrors: null });
    // 2: seen running 110 → the last message at 250; its end is unknown (≥ 250), so no duration, and it is not "executed".
    expect(node(run, "2")).toMatchObject({ status: "unknown", intervals: [{ startMs: 110, endMs: 250 }], spanMs: 140, durationMs: null, durationKind: null });
    expect(node(run, "2").uncertainty).toMatchObject({ end: { earliestMs: 250, latestMs: null }, endPlusMinusMs: null, causes: ["unfinished"] });
    expect(node(run, "3").status).toBe("not-run");
    expect(run.timing).toMatchObject({ executionMs: null, gapMs: null });
    // A cut run has no history either: queue wait falls back to POST /prompt → execution_start's receipt.
    expect(run.timing).toMatchObject({ queueWaitMs: 18, queueWaitSource: "receipt" });
    expect(codes(run)).toEqual(["node-unfinished", "queue-wait-from-receipt", "run-incomplete"]);
    expect(run.dataQuality.uncertainties).toEqual([{ cause: "unfinished", sizeMs: null, startMs: 110, endMs: 250, nodeIds: ["2"] }]);
  });
});
