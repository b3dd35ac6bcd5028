// The fold of a probe's log (header source "probe"): the server's own times, no delivery lag.
// Every expected figure is a difference of the times the log was built with (test/support/probe-log.ts).

import { describe, expect, it } from "vitest";
import { buildRunTimelines } from "../../src/fold/index.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import type { RunTimeline } from "../../src/model/profile.js";
import { ProbeLog, probeStampAt, probeWallAt } from "../support/probe-log.js";

const GB = 1_000_000_000;
const chain: ApiWorkflow = {
  "1": { class_type: "ComfyprofSleep", inputs: { seconds: 0.1, steps: 2 } },
  "2": { class_type: "ComfyprofSleep", inputs: { seconds: 0.2, steps: 1, value: ["1", 0] } },
};
const intervals = (run: RunTimeline) => run.nodes.map((n) => [n.nodeId, n.intervals.map((i) => [i.startMs, i.endMs])]);
const fold = (log: ProbeLog) => buildRunTimelines(log.events(), "probe.ndjson").runs;

/** One run of `chain` from t0: start, node 1 for 100 ms, node 2 for 200 ms, success, done 0.5 ms later. */
function chainRun(log: ProbeLog, promptId: string, t0: number): ProbeLog {
  return log
    .prompt(t0, promptId, chain, t0 - 40, ["2"])
    .start(t0, promptId)
    .stats(t0 + 0.5, 2 * GB) // the probe samples as a run starts
    .running(t0 + 3.25, promptId, "1")
    .progress(t0 + 53.25, promptId, "1", 1, 2)
    .progress(t0 + 103, promptId, "1", 2, 2)
    .finished(t0 + 103.5, promptId, "1")
    .running(t0 + 104, promptId, "2")
    .finished(t0 + 304, promptId, "2")
    .success(t0 + 305, promptId)
    .done(t0 + 305.5, promptId);
}

describe("fold/session: a probe's log", () => {
  it("places every node boundary at its message's own time, ± 0, and says the times are the server's", () => {
    const [run, ...rest] = fold(chainRun(new ProbeLog(), "p1", 1_000));
    expect(rest).toEqual([]);
    // Run-relative to execution_start at 1000: node 1 from 3.25 to its finished at 103.5; node 2 from 104 to 304.
    expect(intervals(run!)).toEqual([
      ["1", [[3.25, 103.5]]],
      ["2", [[104, 304]]],
    ]);
    for (const n of run!.nodes) {
      const u = n.uncertainty!;
      expect([u.start.earliestMs, u.start.latestMs]).toEqual([n.intervals[0]!.startMs, n.intervals[0]!.startMs]);
      expect([u.end.earliestMs, u.end.latestMs]).toEqual([n.intervals[0]!.endMs, n.intervals[0]!.endMs]);
      expect(n.boundaryUncertain).toBe(false);
    }
    expect(run!.dataQuality).toMatchObject({ timeSource: "probe", deliveryJitterMs: 0, uncertainties: [], stalls: [] });
    expect(run!.diagnostics).toEqual([]);
  });

  it("takes the run's prompt, queue wait and needed outputs from the probe's prompt line", () => {
    const [run] = fold(chainRun(new ProbeLog(), "p1", 1_000));
    expect(run!.prompt).toEqual(chain);
    // Queued at 960, started at 1000; executed 1000 → 1305 (the server's whole-ms stamps: 1767225601305 − 1767225601000).
    expect(run!.timing).toMatchObject({ queueWaitMs: 40, queueWaitSource: "server", executionMs: probeStampAt(1_305) - probeStampAt(1_000), executionSource: "server" });
    expect(run!.timing.executionMs).toBe(305);
    expect(run!.counts).toMatchObject({ executed: 2, cached: 0 });
  });

  it("profiles every client's prompts, each run closed at its executing {node: null}", () => {
    const log = new ProbeLog("gateway-1");
    chainRun(log, "p1", 1_000);
    const other = new ProbeLog("gateway-2");
    chainRun(other, "p2", 0);
    // The second client's run, shifted to 2000 in the same log.
    for (const line of other.text().split("\n").slice(1, -1)) {
      const l = JSON.parse(line) as Record<string, unknown> & { monoMs: number; wallMs: number };
      (log as unknown as { lines: unknown[] }).lines.push({ ...l, monoMs: l.monoMs + 2_000, wallMs: l.wallMs + 2_000, ...(l.kind === "prompt" ? { createTimeMs: (l.createTimeMs as number) + 2_000 } : {}) });
    }
    log.stats(2_400, 5 * GB);
    const runs = fold(log);
    expect(runs.map((r) => r.promptId)).toEqual(["p1", "p2"]);
    expect(intervals(runs[1]!)).toEqual(intervals(runs[0]!));
    // The sample at 2400 came after p2's done (2305.5): in no run.
    expect(runs[1]!.memory.samples.filter((s) => s.atMs > 305.5)).toEqual([]);
  });

  it("keeps a node's end at its finished when it came long after its last progress (no hold-up to suspect)", () => {
    const log = new ProbeLog()
      .prompt(0, "p1", chain, 0)
      .start(0, "p1")
      .stats(0.5, 2 * GB)
      .running(1, "p1", "1")
      .progress(20, "p1", "1", 2, 2)
      .finished(90, "p1", "1")
      .running(90, "p1", "2")
      .finished(290, "p1", "2")
      .success(290, "p1")
      // ComfyUI's garbage collection after the run: the done message comes 400 ms later, which says nothing of the nodes.
      .done(690, "p1");
    const [run] = fold(log);
    expect(intervals(run!)).toEqual([
      ["1", [[1, 90]]],
      ["2", [[90, 290]]],
    ]);
    expect(run!.diagnostics).toEqual([]);
  });

  it("gives memory samples the server's own time: a node gets the sample taken while it ran", () => {
    const log = new ProbeLog().prompt(0, "p1", chain, 0).start(0, "p1").stats(0.5, 2 * GB).running(1, "p1", "1").stats(50, 7 * GB).finished(100, "p1", "1");
    log.running(100, "p1", "2").stats(150, 3 * GB).finished(300, "p1", "2").success(300, "p1").done(300.5, "p1");
    const [run] = fold(log);
    // A sample is placed at the middle of its taking (0.2 ms): 49.9 and 149.9.
    expect(run!.nodes.map((n) => [n.nodeId, n.memory.peakRamBytes])).toEqual([
      ["1", 7 * GB],
      ["2", 3 * GB],
    ]);
    expect(run!.memory.ram).toMatchObject({ peakUsedBytes: 7 * GB });
  });

  it("places the server's own log lines at their own time, not at their flush", () => {
    const log = new ProbeLog().prompt(0, "p1", chain, 0).start(0, "p1").stats(0.5, 2 * GB).running(1, "p1", "1");
    // Written at 49.75 (the server's wall clock then is a whole ms: its local time says it to the ms), flushed at 60.
    log.serverLog(60, [{ at: 49.75, text: "Requested to load AutoencodingEngine\n" }]);
    log.finished(100, "p1", "1").running(100, "p1", "2").finished(300, "p1", "2").success(300, "p1").done(300.5, "p1");
    const [run] = fold(log);
    expect(run!.serverLog).toEqual([{ atMs: 49.75, serverMs: probeWallAt(49.75), text: "Requested to load AutoencodingEngine\n" }]);
  });

  it("without a prompt line, still profiles the run, its nodes unknown to the prompt", () => {
    const log = new ProbeLog().start(0, "p9").stats(0.5, 2 * GB).running(1, "p9", "1").finished(11, "p9", "1").success(12, "p9").done(12.5, "p9");
    const [run] = fold(log);
    expect(run!.prompt).toEqual({});
    expect(run!.timing.queueWaitMs).toBeNull();
    expect(run!.diagnostics.map((d) => d.code)).toEqual(["unknown-node", "prompt-not-captured"]);
  });
});
