import { describe, expect, it } from "vitest";
import { buildRunTimelines } from "../../src/fold/index.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import type { RunTimeline } from "../../src/model/profile.js";
import { GB, PROMPT_ID, timeline } from "../support/timeline.js";

const chain: ApiWorkflow = {
  "1": { class_type: "EmptyImage", inputs: {} },
  "2": { class_type: "ImageInvert", inputs: { image: ["1", 0] } },
  "3": { class_type: "PreviewImage", inputs: { images: ["2", 0] } },
};

const codes = (run: RunTimeline) => run.diagnostics.map((d) => d.code).sort();
const intervals = (run: RunTimeline) => run.nodes.map((n) => [n.nodeId, n.intervals.map((i) => [i.startMs, i.endMs])]);

describe("fold/session", () => {
  it("keeps another prompt's messages out of this prompt's profile", () => {
    const t = timeline({ prompt: chain });
    const other = t.forPrompt("prompt-2");
    t.at(-20).runStart();
    t.at(-10).submit(-18);
    t.at(0).start().cached([]);
    t.at(10).running("1").executing("1");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(110).finished("1").running("2").executing("2");
    // Another client's prompt, same node ids: had it been mixed in, its executing 1 would cut our node 2 at 150.
    other.at(150).running("1").executing("1").progress("1", 1, 2);
    other.at(200).executed("1").finished("1");
    t.at(310).finished("2").running("3").executing("3");
    t.at(400).executed("3").finished("3");
    t.at(410).success();
    t.at(415).done().history({ createTime: -15 }).runEnd();
    const { runs } = buildRunTimelines(t.events(), "run.ndjson");
    // Our recorder's log names its prompts (run-start notes): the other prompt gets no profile.
    expect(runs.map((r) => r.promptId)).toEqual([PROMPT_ID]);
    const run = runs[0]!;
    expect(intervals(run)).toEqual([
      ["1", [[10, 110]]],
      ["2", [[110, 310]]],
      ["3", [[310, 400]]],
    ]);
    expect(run.nodes.map((n) => [n.executions, n.progress, n.outputs])).toEqual([
      [1, null, null],
      [1, null, null],
      [1, null, ["images"]],
    ]);
    expect(run.diagnostics).toEqual([]);
  });

  it("gives a prompt's executing without prompt id, resent after a reconnect, to the prompt running then", () => {
    const t = timeline({ prompt: chain });
    t.at(-20).runStart();
    t.at(-10).submit(-18);
    t.at(0).start().cached([]);
    t.at(10).running("1").executing("1");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(110).finished("1").running("2").executing("2");
    t.at(140).finished("2");
    t.at(150).disconnect();
    t.at(160).running("3").executing("3"); // lost
    t.at(200).reconnect().executing("3", { promptId: null });
    t.at(400).executed("3").finished("3");
    t.at(410).success();
    t.at(415).done().history({ createTime: -15 }).runEnd();
    const [run] = buildRunTimelines(t.events(), "run.ndjson").runs;
    // 3 started somewhere in the outage, 150–200 (truth 160): placed at its middle, 175 ± 25, to its finished at 400.
    expect(intervals(run!)).toEqual([
      ["1", [[10, 110]]],
      ["2", [[110, 140]]],
      ["3", [[175, 400]]],
    ]);
    expect(run!.nodes.map((n) => n.status)).toEqual(["executed", "executed", "executed"]);
    expect(run!.dataQuality.reconnects).toBe(1);
    expect(codes(run!)).toEqual(["outage-nodes-uncertain", "reconnect-during-run"]);
    // The outage runs from the close (150) to the first message after reconnecting (200): 3's start there is only bounded.
    expect(run!.dataQuality.disconnections).toEqual([{ startMs: 150, endMs: 200 }]);
    expect(run!.nodes.map((n) => n.boundaryUncertain)).toEqual([false, false, true]);
    const three = run!.nodes[2]!.uncertainty!;
    // Bounds: the close (150) to the catch-up (200) + the jitter (2 ms, the floor: no stamp lagged).
    expect(three.start).toEqual({ earliestMs: 150, latestMs: 202 });
    expect(three.startPlusMinusMs).toBe(27);
    expect(three.causes).toEqual(["outage"]);
    expect(run!.dataQuality.uncertainties).toEqual([{ cause: "outage", sizeMs: 50, startMs: 150, endMs: 200, nodeIds: ["3"] }]);
  });

  it("profiles each prompt of a log without run-start notes, from its execution_start to its executing null", () => {
    // Another recorder: no run-start or run-end notes, no submit or history, so no queue wait and no outputs list.
    const t = timeline({ prompt: chain });
    const second = t.forPrompt("prompt-2");
    t.at(0).start().cached([]);
    t.at(10).running("1").executing("1");
    t.at(50).stats({ ramUsedBytes: 4 * GB });
    t.at(110).finished("1").running("2").executing("2");
    t.at(310).finished("2").running("3").executing("3");
    t.at(400).executed("3").finished("3");
    t.at(410).success();
    t.at(415).done();
    second.at(500).start().cached(["1", "2"]);
    second.at(510).running("3").executing("3");
    second.at(550).stats({ ramUsedBytes: 4 * GB });
    second.at(600).executed("3").finished("3");
    second.at(610).success();
    second.at(615).done();
    const { runs } = buildRunTimelines(t.events(), "run.ndjson");
    expect(runs.map((r) => r.promptId)).toEqual([PROMPT_ID, "prompt-2"]);
    const [first, next] = runs;
    expect(intervals(first!)).toEqual([
      ["1", [[10, 110]]],
      ["2", [[110, 310]]],
      ["3", [[310, 400]]],
    ]);
    // The second run counts from its own execution_start at 500: 3 ran 10–100; 1 and 2 cached.
    expect(intervals(next!)).toEqual([
      ["1", []],
      ["2", []],
      ["3", [[10, 100]]],
    ]);
    expect(next!.counts).toMatchObject({ executed: 1, cached: 2 });
    expect(next!.timing).toMatchObject({ executionMs: 110, queueWaitMs: null });
    // Without a history fetch, each says so.
    expect(codes(first!)).toEqual(["history-missing"]);
    expect(codes(next!)).toEqual(["history-missing"]);
  });
});
