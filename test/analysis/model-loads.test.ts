import { describe, expect, it } from "vitest";
import { analyzeRun } from "../../src/analysis/index.js";
import { buildRunTimelines } from "../../src/fold/index.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import { runView } from "../../reports/run-view.js";
import { GB, timeline } from "../support/timeline.js";

const prompt: ApiWorkflow = {
  "1": { class_type: "CheckpointLoaderSimple", inputs: {} },
  "2": { class_type: "KSampler", inputs: { model: ["1", 0] } },
};

describe("analysis/model-loads", () => {
  it("times each load from its request line to its loaded line, gives it to the node in flight, and splits that node's time", () => {
    // 1: 10–110; 2: 110–1110, which loads the model 150–450 (a partial load: 300 MB on the CPU), then samples.
    const t = timeline({ prompt });
    t.at(-20).runStart();
    t.at(-10).submit(-18);
    t.at(0).start().cached([]);
    t.at(5).stats({ ramUsedBytes: 4 * GB, sentAt: 3 });
    t.at(10).running("1").executing("1");
    t.at(110).finished("1").running("2").executing("2");
    // The lines arrive later, in one logs message; each is placed at its own time.
    t.at(600).logs([
      { text: "Requested to load SDXL\n", loggedAt: 150 },
      { text: "loaded partially; 5120.00 MB usable, 4800.50 MB loaded, 300.25 MB offloaded, 0.00 MB buffer reserved, lowvram patches: 0\n", loggedAt: 450 },
      { text: "Unloaded partially: 120.00 MB freed, 4680.50 MB remains loaded, 0.00 MB buffer reserved, lowvram patches: 0\n", loggedAt: 500 },
    ]);
    t.at(1110).finished("2").success();
    t.at(1115).done().history({ createTime: -15 }).runEnd();
    const [timelineOfRun] = buildRunTimelines(t.events(), "run.ndjson").runs;
    const run = analyzeRun(timelineOfRun!, null);
    expect(run.modelLoads).toEqual({
      logLines: 3,
      loads: [{ model: "SDXL", startMs: 150, endMs: 450, loadedMb: 4800.5, offloadedMb: 300.25, partial: true, nodeId: "2", nodeStartLateMs: 0 }],
      unloadedMb: 120,
    });
    // Node 2 ran 1000 ms: 300 loading, 700 computing.
    expect(run.nodes.find((n) => n.nodeId === "2")!.loadSplit).toEqual({ loadMs: 300, computeMs: 700 });
    expect(run.nodes.find((n) => n.nodeId === "1")!.loadSplit).toBeNull();
    // The partial load and the unload say the model did not fit: one out-of-VRAM recommendation, naming node 2.
    const advice = run.recommendations.filter((r) => r.rule === "out-of-vram");
    expect(advice).toHaveLength(1);
    expect(advice[0]).toMatchObject({ nodeIds: ["2"], evidence: { partialLoads: 1, offloadedMb: 300.25, unloadedMb: 120 } });
    expect(advice[0]!.message).toContain("SDXL loaded only partially, 300 MB left on the CPU");
  });

  it("gives a load to the node whose start was held back behind it, not to the one received as ended before the load ended", () => {
    // Node 2 starts (server side) at ~55 and requests its model at 60; holding Python's GIL as it loads, node 1's end and
    // node 2's start are received only at 70 and 90. The load ends at 130: node 1, received ended at 70, cannot have run it.
    const t = timeline({ prompt });
    t.at(-20).runStart();
    t.at(-10).submit(-18);
    t.at(0).start().cached([]);
    t.at(10).running("1").executing("1");
    t.at(70).finished("1");
    t.at(90).running("2").executing("2");
    t.at(400).logs([{ text: "Requested to load SDXL\n", loggedAt: 60 }, { text: "loaded completely; 9000.00 MB usable, 4800.00 MB loaded, full load: True\n", loggedAt: 130 }]);
    t.at(1090).finished("2").success();
    t.at(1095).done().history({ createTime: -15 }).runEnd();
    const [timelineOfRun] = buildRunTimelines(t.events(), "run.ndjson").runs;
    const run = analyzeRun(timelineOfRun!, null);
    expect(run.modelLoads.loads).toEqual([{ model: "SDXL", startMs: 60, endMs: 130, loadedMb: 4800, offloadedMb: null, partial: false, nodeId: "2", nodeStartLateMs: 30 }]);
    // Node 2's received time (1000 ms) holds 70 ms of loading.
    expect(run.nodes.find((n) => n.nodeId === "2")!.loadSplit).toEqual({ loadMs: 70, computeMs: 930 });
    expect(runView(run).modelLoads[0]).toBe(
      "SDXL: 4.69 GB loaded in 70.0 ms (#2 KSampler: 70.0 ms loading, 930.0 ms computing); its start was received 30.0 ms after the request, held back behind the load: its time is short by at least that",
    );
  });

  it("says when there is nothing to read: no log lines at all", () => {
    const t = timeline({ prompt: { "1": { class_type: "EmptyImage", inputs: {} } } });
    t.at(0).start().cached([]);
    t.at(10).running("1").executing("1");
    t.at(20).finished("1").success();
    const [timelineOfRun] = buildRunTimelines(t.events(), "run.ndjson").runs;
    const quiet = analyzeRun(timelineOfRun!, null);
    expect(quiet.modelLoads).toEqual({ logLines: 0, loads: [], unloadedMb: 0 });
    expect(quiet.recommendations.some((r) => r.rule === "out-of-vram")).toBe(false);
  });
});
