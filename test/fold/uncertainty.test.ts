import { describe, expect, it } from "vitest";
import { buildRunTimelines } from "../../src/fold/index.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import type { BuiltNode, RunTimeline } from "../../src/model/profile.js";
import { timeline, type Timeline } from "../support/timeline.js";

// Ground truth for the bounds on node times (docs/metrics.md "Uncertainty"). Every run starts at
// t = 0 (execution_start, stamped on time), so run-relative ms are test times. The jitter is the
// floor, 2 ms: every on-time stamp here lags 0 ms.

const link = (id: string): [string, number] => [id, 0];
const sleep = (input?: string) => ({ class_type: "ComfyprofSleep", inputs: input ? { value: link(input) } : {} });
const chain: ApiWorkflow = { "1": sleep(), "2": sleep("1"), "3": sleep("2") };

function begin(t: Timeline): void {
  t.at(-20).runStart();
  t.at(-10).submit(-18);
  t.at(0).start().cached([]);
}

function build(t: Timeline): RunTimeline {
  const { runs } = buildRunTimelines(t.events(), "run.ndjson");
  expect(runs).toHaveLength(1);
  return runs[0]!;
}

const node = (run: RunTimeline, id: string): BuiltNode => run.nodes.find((n) => n.nodeId === id)!;
const span = (n: BuiltNode) => [n.intervals[0]!.startMs, n.intervals.at(-1)!.endMs];
// These runs have no memory polls: that diagnostic is beside the point here.
const codes = (run: RunTimeline) => run.diagnostics.map((d) => d.code).filter((c) => c !== "no-memory-samples").sort();

describe("fold/uncertainty", () => {
  it("places the last node's end at the success stamp when garbage collection held the run's last messages back 335 ms", () => {
    // 1: 10–300, 2: 300–600, 3: 600–900 (its last progress, 3/3, at 850 on time); success stamped at 901,
    // then the collection holds the GIL: 3's finished, executed and success arrive together at 1236 (lag 335).
    const t = timeline({ prompt: chain });
    begin(t);
    t.at(10).running("1").executing("1");
    t.at(300).finished("1").running("2").executing("2");
    t.at(600).finished("2").running("3").executing("3");
    t.at(850).progress("3", 2, 3);
    t.at(1236).progress("3", 3, 3).finished("3").success({ serverAt: 901 });
    t.at(1237).done().history({ createTime: -15 }).runEnd();
    const run = build(t);
    // The burst (1236) moves back by the lag, 335, as far as the last message before it (850) allows: 3 ends at 901.
    expect(span(node(run, "3"))).toEqual([600, 901]);
    expect(node(run, "3").durationMs).toBe(301);
    // Its end lies between the last message before the burst (850) and the stamp (901) + the jitter (2).
    expect(node(run, "3").uncertainty).toMatchObject({ end: { earliestMs: 850, latestMs: 903 }, endPlusMinusMs: 51, causes: ["held-back-end"] });
    expect(node(run, "2").uncertainty).toMatchObject({ startPlusMinusMs: 2, endPlusMinusMs: 2, causes: [] });
    expect(run.dataQuality.uncertainties).toEqual([{ cause: "held-back-end", sizeMs: 335, startMs: 850, endMs: 1237, nodeIds: ["3"] }]);
    expect(codes(run)).toEqual(["run-end-held-back"]);
    expect(run.diagnostics[0]!.message).toContain("held back 335 ms");
    // The execution time is the server's: 0 → 901.
    expect(run.timing.executionMs).toBe(901);
  });

  it("bounds the nodes of a burst that followed a held-back execution_cached, and moves only the first start to the stamp", () => {
    // Cached stamped at 0 but received at 50 with the first nodes' messages (1: 0–?, 2: ?–?, 3 from ?).
    const t = timeline({ prompt: chain });
    t.at(-20).runStart();
    t.at(-10).submit(-18);
    t.at(0).start();
    t.at(50).cached([], { serverAt: -5 + 0 + 5 - 5 + 5 }).running("1").executing("1");
    t.at(50.2).finished("1").running("2").executing("2");
    t.at(50.4).finished("2").running("3").executing("3");
    t.at(400).finished("3").success();
    t.at(401).done().history({ createTime: -15 }).runEnd();
    const run = build(t);
    // execution_cached lagged 50 ms: 1 starts at its stamp (0); 1's end, 2 and 3's start only bounded by 0 … receipt.
    expect(node(run, "1").intervals[0]!.startMs).toBe(0);
    expect(node(run, "2").uncertainty).toMatchObject({ start: { earliestMs: 0 }, end: { earliestMs: 0 }, causes: ["backlog-burst"] });
    expect(node(run, "3").uncertainty!.start.earliestMs).toBe(0);
    expect(node(run, "3").uncertainty!.end).toEqual({ earliestMs: 398, latestMs: 402 });
    expect(run.dataQuality.uncertainties.map((u) => [u.cause, u.sizeMs, u.nodeIds])).toEqual([["backlog-burst", 50, ["1", "2", "3"]]]);
    expect(codes(run)).toEqual(["backlog-burst"]);
  });

  it("tells one backlog once when execution_start and execution_cached were both held back in its burst", () => {
    // Both stamped at 0 (start) and 1 (cached), received together at 40 with node 1's start.
    const t = timeline({ prompt: chain });
    t.at(-20).runStart();
    t.at(-10).submit(-18);
    t.at(40).start({ serverAt: 0 }).cached([], { serverAt: 1 }).running("1").executing("1");
    t.at(300).finished("1").running("2").executing("2");
    t.at(500).finished("2").running("3").executing("3");
    t.at(700).finished("3").success();
    t.at(701).done().history({ createTime: -15 }).runEnd();
    const run = build(t);
    expect(run.dataQuality.uncertainties.filter((u) => u.cause === "backlog-burst")).toHaveLength(1);
    expect(codes(run).filter((c) => c === "backlog-burst")).toHaveLength(1);
  });

  it("gives a node that ran wholly in a WebSocket outage no duration, and the one started in it bounds from the outage", () => {
    // Down 100–400: 1 (10–200) ends in it, 2 runs 200–300 unseen, 3 starts at 300; the catch-up at 400 says so.
    const t = timeline({ prompt: chain });
    begin(t);
    t.at(10).running("1").executing("1");
    t.at(100).disconnect();
    t.at(200).finished("1").running("2").executing("2");
    t.at(300).finished("2").running("3").executing("3");
    t.at(400).reconnect().progress("3", 1, 4, { via: "progress_state" });
    t.at(700).finished("3").success();
    t.at(701).done().history({ createTime: -15 }).runEnd();
    const run = build(t);
    expect(run.nodes.map((n) => n.status)).toEqual(["executed", "executed", "executed"]);
    // 2: known to have run (finished in the catch-up), when is unknown: no interval, no duration.
    expect(node(run, "2")).toMatchObject({ intervals: [], durationMs: null, boundaryUncertain: true });
    expect(node(run, "2").uncertainty!.causes).toEqual(expect.arrayContaining(["outage", "ran-unseen"]));
    // 1's end and 3's start: somewhere in 100–400, placed at the middle, 250.
    expect(span(node(run, "1"))).toEqual([10, 250]);
    expect(span(node(run, "3"))).toEqual([250, 700]);
    expect(node(run, "3").uncertainty!.start).toEqual({ earliestMs: 100, latestMs: 402 });
    // One line for the outage, one for the node that ran unseen.
    expect(codes(run)).toEqual(["outage-nodes-uncertain", "outage-nodes-uncertain", "reconnect-during-run"]);
    expect(run.dataQuality.uncertainties.map((u) => [u.cause, u.nodeIds])).toEqual([["outage", ["1", "2", "3"]], ["ran-unseen", ["2"]]]);
  });

  it("bounds a node's end from its final progress step when the end arrived well after it (a GIL-holding start next)", () => {
    // 1 reports 4/4 at 500 (its true end); 2 takes the GIL as it starts: 1's finished and 2's start arrive at 518.
    const t = timeline({ prompt: chain });
    begin(t);
    t.at(10).running("1").executing("1");
    t.at(500).progress("1", 4, 4);
    t.at(518).finished("1").running("2").executing("2");
    t.at(900).finished("2").running("3").executing("3");
    t.at(1000).finished("3").success();
    t.at(1001).done().history({ createTime: -15 }).runEnd();
    const run = build(t);
    expect(node(run, "1").uncertainty).toMatchObject({ end: { earliestMs: 500, latestMs: 520 }, endPlusMinusMs: 18, causes: ["end-held-up"] });
    expect(node(run, "2").uncertainty).toMatchObject({ start: { earliestMs: 500 }, causes: ["end-held-up"] });
    expect(node(run, "3").boundaryUncertain).toBe(false);
    expect(codes(run)).toEqual(["node-end-held-up"]);
  });

  it("keeps a short last node inside the run's stamped end, in order and longer than zero, when the end came a little late", () => {
    // 3 (a join) runs 600.0–600.1; success stamped at 599 (its messages 1.1–1.2 ms behind): below the held-back threshold.
    const t = timeline({ prompt: chain });
    begin(t);
    t.at(10).running("1").executing("1");
    t.at(300).finished("1").running("2").executing("2");
    t.at(598.9).finished("2");
    t.at(600).running("3").executing("3");
    t.at(600.1).finished("3");
    t.at(600.2).success({ serverAt: 599 });
    t.at(601).done().history({ createTime: -15 }).runEnd();
    const run = build(t);
    const three = span(node(run, "3"));
    // Received after the stamp was made (599), so made before it: squeezed into 598.9 (the message before) … 599, in order.
    expect(three[0]).toBeGreaterThan(598.9);
    expect(three[1]).toBeLessThanOrEqual(599);
    expect(node(run, "3").durationMs).toBeGreaterThan(0);
    expect(codes(run)).toEqual([]);
  });

  it("says nothing when the final step and the end arrive together", () => {
    const t = timeline({ prompt: chain });
    begin(t);
    t.at(10).running("1").executing("1");
    t.at(500).progress("1", 4, 4);
    t.at(501).finished("1").running("2").executing("2");
    t.at(900).finished("2").running("3").executing("3");
    t.at(1000).finished("3").success();
    t.at(1001).done().history({ createTime: -15 }).runEnd();
    const run = build(t);
    expect(run.nodes.map((n) => n.boundaryUncertain)).toEqual([false, false, false]);
    expect(codes(run)).toEqual([]);
    expect(run.dataQuality.uncertainties).toEqual([]);
  });
});
