import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeRun } from "../../src/analysis/index.js";
import { buildRunTimelines } from "../../src/fold/index.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import { runView } from "../../reports/run-view.js";
import { timeline } from "../support/timeline.js";

// The editor's own API output for samples/workflows/editor/subgraphs.json: instances 11 and 12 of
// "Sampler stage", each with a nested "Soften" (#10); plain nodes 1, 6, 9, 13.
const prompt = JSON.parse(readFileSync(new URL("../../samples/workflows/editor/subgraphs.api.json", import.meta.url), "utf8")) as ApiWorkflow;
const NAMES = { "11": "Stage one", "11:10": "Soften", "12": "Stage two", "12:10": "Soften" };

describe("analysis/subgraphs", () => {
  it("rolls each instance's nodes up (span, own time, share, critical path) and shows nodes under their instance", () => {
    // In the order the server runs them, 100 ms each but 11:10:3 (300 ms); 13 and 9 are outputs.
    const order = ["1", "6", "11:2", "11:10:3", "11:5", "12:2", "12:10:3", "12:5", "13", "9"];
    const t = timeline({ prompt });
    t.at(-20).runStart();
    t.at(-10).submit(-18);
    t.at(0).start().cached([]);
    let at = 0;
    for (const [i, id] of order.entries()) {
      const cursor = t.at(at);
      if (i > 0) cursor.finished(order[i - 1]!);
      cursor.running(id).executing(id);
      at += id === "11:10:3" ? 300 : 100;
    }
    t.at(at).finished("9").success();
    t.at(at + 5).done().history({ createTime: -15 }).runEnd();
    const [timelineOfRun] = buildRunTimelines(t.events(), "run.ndjson").runs;
    const run = analyzeRun({ ...timelineOfRun!, subgraphNames: NAMES }, null);
    const byPath = Object.fromEntries(run.subgraphs.map((g) => [g.path, g]));
    expect(run.subgraphs.map((g) => g.path)).toEqual(["11", "11:10", "12", "12:10"]);
    // 11: 11:2 200–300, 11:10:3 300–600, 11:5 600–700 → span 200–700, own 500 of 1200 ms.
    expect(byPath["11"]).toMatchObject({ name: "Stage one", nodeIds: ["11:2", "11:10:3", "11:5"], startMs: 200, endMs: 700, spanMs: 500, selfMs: 500 });
    expect(byPath["11"]!.shareOfExecution).toBeCloseTo(500 / 1200, 9);
    expect(byPath["11:10"]).toMatchObject({ name: "Stage one › Soften", nodeIds: ["11:10:3"], spanMs: 300, selfMs: 300 });
    expect(byPath["12:10"]!.name).toBe("Stage two › Soften");
    // Stage one (with the 300 ms node) sets the pace; the critical path runs through it.
    expect(byPath["11"]!.onCriticalPath && byPath["11:10"]!.onCriticalPath).toBe(true);
    // The reports show a node inside an instance under it.
    const row = runView(run).nodes.rows.find((r) => r[0] === "11:10:3")!;
    expect(row[2]).toBe("Stage one › Soften › Image Blur");
    expect(runView(run).subgraphs[0]).toMatch(/^Stage one \(#11\): 3 node\(s\), own time 500\.0 ms \(41\.7 % of execution\), span 200\.0 ms → 700\.0 ms, on the critical path$/);
  });
});
