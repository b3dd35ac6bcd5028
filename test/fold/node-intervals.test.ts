import { describe, expect, it } from "vitest";
import { NodeIntervals } from "../../src/fold/node-intervals.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import { MONO_ORIGIN_MS, monoAt, timeline, type Timeline } from "../support/timeline.js";

const prompt: ApiWorkflow = {
  "1": { class_type: "EmptyImage", inputs: {} },
  "2": { class_type: "ImageInvert", inputs: { image: ["1", 0] } },
  "3": { class_type: "PreviewImage", inputs: { images: ["2", 0] } },
  "4": { class_type: "PreviewImage", inputs: { images: ["1", 0] } },
  "7": { class_type: "ComfyprofExpand", inputs: {} },
};

/** Feeds the prompt's node messages to NodeIntervals as the run builder does; notes the terminal's receipt and the last one. */
function fold(t: Timeline) {
  const nodes = new NodeIntervals();
  let terminalMonoMs: number | null = null;
  let lastMonoMs = 0;
  for (const line of t.events()) {
    if (line.kind !== "ws") continue;
    const e = line.event;
    lastMonoMs = line.monoMs;
    if (e.type === "progress_state") nodes.onProgressState(e, line.monoMs);
    else if (e.type === "executing") nodes.onExecuting(e, line.monoMs);
    else if (e.type === "progress") nodes.onProgress(e, line.monoMs);
    else if (e.type === "executed") nodes.onExecuted(e, line.monoMs);
    else if (e.type === "execution_success" || e.type === "execution_interrupted" || (e.type === "execution_error" && e.serverWallMs !== null)) {
      terminalMonoMs ??= line.monoMs;
    }
  }
  return { nodes, terminalMonoMs, lastMonoMs };
}

/** Every started node in test time: start, end, how the end was decided, self segments. */
function resolved(t: Timeline, opts: { terminal?: "cut" } = {}) {
  const { nodes, terminalMonoMs, lastMonoMs } = fold(t);
  const rel = (m: number) => m - MONO_ORIGIN_MS;
  return nodes.resolve({ terminalMonoMs: opts.terminal === "cut" ? null : terminalMonoMs, lastMonoMs }).map((n) => ({
    nodeId: n.nodeId,
    start: rel(n.startMonoMs),
    end: rel(n.endMonoMs),
    endSource: n.endSource,
    segments: n.segments.map((s) => [rel(s.startMonoMs), rel(s.endMonoMs)]),
    executions: n.executions,
  }));
}

describe("fold/node-intervals", () => {
  it("runs each node of a chain from its running to its finished, in one segment equal to its span", () => {
    const t = timeline({ prompt });
    t.at(0).start();
    t.at(10).running("1").executing("1");
    t.at(110).finished("1").running("2").executing("2");
    t.at(310).finished("2").running("3").executing("3");
    t.at(605).executed("3");
    t.at(610).finished("3");
    t.at(620).success();
    // 1: 10–110; 2: 110–310; 3: 310–610 (it ends at its finished, not at its executed 5 ms earlier).
    expect(resolved(t)).toEqual([
      { nodeId: "1", start: 10, end: 110, endSource: "finished", segments: [[10, 110]], executions: 1 },
      { nodeId: "2", start: 110, end: 310, endSource: "finished", segments: [[110, 310]], executions: 1 },
      { nodeId: "3", start: 310, end: 610, endSource: "finished", segments: [[310, 610]], executions: 1 },
    ]);
  });

  it("starts a node at its progress_state running when that comes before its executing", () => {
    const t = timeline({ prompt });
    t.at(10).running("1");
    t.at(12).executing("1");
    t.at(110).finished("1");
    t.at(120).success();
    // Start 10 (running), not 12; the self segment starts at the executing.
    expect(resolved(t)).toEqual([{ nodeId: "1", start: 10, end: 110, endSource: "finished", segments: [[12, 110]], executions: 1 }]);
  });

  it("gives a lazy node one segment per executing, the input it asked for running in between", () => {
    // L = 2 (lazy input from I = 1): executing L at 0, I runs 100–250, executing L again at 250, L finished at 400.
    const t = timeline({ prompt });
    t.at(0).running("2").executing("2");
    t.at(100).running("1").executing("1");
    t.at(250).finished("1").executing("2");
    t.at(400).finished("2");
    t.at(410).success();
    // L: segments 0–100 and 250–400 (self 100 + 150 = 250), span 0–400; I: 100–250.
    expect(resolved(t)).toEqual([
      { nodeId: "2", start: 0, end: 400, endSource: "finished", segments: [[0, 100], [250, 400]], executions: 2 },
      { nodeId: "1", start: 100, end: 250, endSource: "finished", segments: [[100, 250]], executions: 1 },
    ]);
  });

  it("ends an async node only at its finished, its own segment cut by the next node's executing", () => {
    // A = 3 and B = 4 are async: executing A at 0, B at 1 while A waits; B finished at 301, A at 501.
    const t = timeline({ prompt });
    t.at(0).running("3").executing("3");
    t.at(1).running("4").executing("4");
    t.at(301).finished("4");
    t.at(501).finished("3");
    t.at(510).success();
    // A: span 0–501, self 0–1; B: span 1–301 = self.
    expect(resolved(t)).toEqual([
      { nodeId: "3", start: 0, end: 501, endSource: "finished", segments: [[0, 1]], executions: 1 },
      { nodeId: "4", start: 1, end: 301, endSource: "finished", segments: [[1, 301]], executions: 1 },
    ]);
  });

  it("ends a failed node, which stays running, at the terminal event", () => {
    const t = timeline({ prompt });
    t.at(10).running("1").executing("1");
    t.at(110).finished("1").running("2").executing("2");
    t.at(310).error("2", "RuntimeError", "boom");
    t.at(312).done();
    // 2: 110 → the error at 310.
    expect(resolved(t)).toEqual([
      { nodeId: "1", start: 10, end: 110, endSource: "finished", segments: [[10, 110]], executions: 1 },
      { nodeId: "2", start: 110, end: 310, endSource: "terminal", segments: [[110, 310]], executions: 1 },
    ]);
  });

  it("without progress_state, ends a node at the next executing, its executed, or the terminal event", () => {
    const t = timeline({ prompt, progressState: false });
    t.at(10).executing("1");
    t.at(110).executing("2");
    t.at(310).executing("3");
    t.at(410).executed("3").executing("4");
    t.at(600).success();
    // 1: 10 → executing 2 at 110; 2: 110 → 310; 3: 310 → its executed at 410; 4: 410 → success at 600.
    expect(resolved(t)).toEqual([
      { nodeId: "1", start: 10, end: 110, endSource: "last-segment", segments: [[10, 110]], executions: 1 },
      { nodeId: "2", start: 110, end: 310, endSource: "last-segment", segments: [[110, 310]], executions: 1 },
      { nodeId: "3", start: 310, end: 410, endSource: "executed", segments: [[310, 410]], executions: 1 },
      { nodeId: "4", start: 410, end: 600, endSource: "last-segment", segments: [[410, 600]], executions: 1 },
    ]);
  });

  it("does not start a cached output node that is only replayed (executed, then finished)", () => {
    const t = timeline({ prompt });
    t.at(0).start().cached(["1", "2", "3"]);
    t.at(1).executed("3").finished("3");
    t.at(2).success();
    expect(resolved(t)).toEqual([]);
  });

  it("ends running nodes at the last message when the log stops before a terminal event", () => {
    const t = timeline({ prompt });
    t.at(10).running("1").executing("1");
    t.at(110).finished("1").running("2").executing("2");
    t.at(250).progress("2", 1, 4);
    // Cut: 2 ends at 250, the last message.
    expect(resolved(t, { terminal: "cut" })).toEqual([
      { nodeId: "1", start: 10, end: 110, endSource: "finished", segments: [[10, 110]], executions: 1 },
      { nodeId: "2", start: 110, end: 250, endSource: "terminal", segments: [[110, 250]], executions: 1 },
    ]);
  });

  it("keeps an expanded child's parent and real node, the child's executing ending the parent's segment", () => {
    const t = timeline({ prompt });
    t.at(100).running("7").executing("7");
    t.at(110).running("7.0.0.1", { parent: "7" }).executing("7.0.0.1");
    t.at(310).finished("7.0.0.1");
    t.at(470).finished("7");
    t.at(480).success();
    const { nodes, terminalMonoMs, lastMonoMs } = fold(t);
    const [parent, child] = nodes.resolve({ terminalMonoMs, lastMonoMs });
    // 7: self 100–110, span 100–470; 7.0.0.1: 110–310.
    expect(parent).toMatchObject({ nodeId: "7", parentNodeId: null, realNodeId: "7", startMonoMs: monoAt(100), endMonoMs: monoAt(470) });
    expect(parent?.segments).toEqual([{ startMonoMs: monoAt(100), endMonoMs: monoAt(110) }]);
    expect(child).toMatchObject({ nodeId: "7.0.0.1", parentNodeId: "7", realNodeId: "7", displayNodeId: "7", startMonoMs: monoAt(110), endMonoMs: monoAt(310) });
  });

  it("takes one progress sample per new value, from progress_state and progress alike", () => {
    const t = timeline({ prompt });
    t.at(100).running("1").executing("1"); // value 0 while running is no sample
    t.at(200).progress("1", 1, 3); // progress_state 1/3, then progress 1/3: one sample
    t.at(250).running("4"); // 1 listed again at 1/3: no sample
    t.at(300).progress("1", 2, 3, { via: "progress_state" });
    t.at(400).progress("1", 3, 3, { via: "progress" });
    t.at(400).finished("1");
    const { nodes } = fold(t);
    const [one] = nodes.resolve({ terminalMonoMs: monoAt(500), lastMonoMs: monoAt(500) });
    expect(one?.progress).toEqual([
      { monoMs: monoAt(200), value: 1, max: 3 },
      { monoMs: monoAt(300), value: 2, max: 3 },
      { monoMs: monoAt(400), value: 3, max: 3 },
    ]);
  });
});
