// Record against `comfyprof replay` of each real recording, analyze, and get
// the original's profile back: same outcomes, counts, statuses and critical
// path, node times within the jitter of replaying in real time, and the
// case's expected figures.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { analyzeFiles } from "../../../pipelines/analyze.js";
import { readRecording, type RecordedMessage, type Recording } from "../../../pipelines/replay/recorded-runs.js";
import { startReplayServer, type ReplayOptions } from "../../../pipelines/replay/replay-server.js";
import type { ProtocolServer } from "../../../pipelines/replay/protocol-server.js";
import { DEFAULT_RECORD_OPTIONS, record, type RecordOptions } from "../../../recorder/record.js";
import { openSink } from "../../../recorder/log-writer.js";
import { parseWorkflow } from "../../../recorder/workflow.js";
import { checkRuns, statedPlusMinusMs, type Expected } from "../../support/expectations.js";
import { RECORDING_CASES, RECORDING_POLL_MS } from "../../support/recording-cases.js";

const samples = fileURLToPath(new URL("../../../samples/", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "comfyprof-replay-"));

/**
 * Replaying at speed 1 re-times every message with a timer and the recorder
 * stamps it again: ±1–2 ms each on an idle machine, up to ~8 ms seen while
 * other test files kept both cores busy, ~20 ms under a burst. Long spans get 1 % on top.
 */
const REPLAY_TOLERANCE_MS = 10;
const within = (a: number, b: number, toleranceMs = REPLAY_TOLERANCE_MS) => Math.abs(a - b) <= toleranceMs + 0.01 * Math.abs(b);

/**
 * How far this replay moved the recording's messages: the largest shift of a message from its
 * recorded time, both counted from the prompt's acceptance. A node's time is two messages apart,
 * so it can be off by twice this with nothing wrong; more is a fault of the round trip. Fails when
 * the median message moved more than REPLAY_TOLERANCE_MS (the replay's own timing is off).
 */
async function replayShiftMs(played: Recording, replayedPath: string): Promise<number> {
  const replay = await readRecording(replayedPath);
  expect(replay.runs).toHaveLength(played.runs.length);
  const shifts: number[] = [];
  const type = (message: unknown) => (message as { type?: string } | null)?.type ?? "binary";
  // Server log lines are sent by the clock, not by prompt: one near a prompt's end may land in the next run's messages.
  const ofRun = (messages: readonly RecordedMessage[]) => messages.filter((m) => type(m.message) !== "logs");
  played.runs.forEach((run, i) => {
    const recorded = ofRun(run.messages);
    const replayed = ofRun(replay.runs[i]!.messages);
    expect(replayed.map((m) => type(m.message)), `run ${i}: messages replayed`).toEqual(recorded.map((m) => type(m.message)));
    recorded.forEach((m, k) => shifts.push(Math.abs(replayed[k]!.atMs - m.atMs)));
  });
  // Load delays some messages; a replay that kept bad time would move most of them.
  if (shifts.length === 0) return 0;
  shifts.sort((x, y) => x - y);
  expect(shifts[Math.floor(shifts.length / 2)], "median shift of a replayed message, ms").toBeLessThanOrEqual(REPLAY_TOLERANCE_MS);
  return shifts.at(-1)!;
}

let server: ProtocolServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** The case's expectations but its timings (critical path length, speedup, parallelizability, slack). */
function untimed(expected: Expected): Expected {
  return {
    ...expected,
    runs: expected.runs.map(({ criticalPathMs: _length, speedup: _speedup, parallelizability: _p, nodes, ...rest }) => ({
      ...rest,
      nodes: nodes && Object.fromEntries(Object.entries(nodes).map(([id, { slackMs: _slack, ...node }]) => [id, node])),
    })),
  };
}

async function replayAndRecord(name: string, workflowFile: string, options: Partial<RecordOptions>, replay: Partial<ReplayOptions> = {}) {
  const recording = await readRecording(join(samples, "recordings", name, "run.ndjson"));
  server = await startReplayServer(recording, { port: 0, speed: 1, loop: false, anyWorkflow: false, reject: null, ...replay });
  const out = join(work, `${name}-${Math.random().toString(36).slice(2)}.ndjson`);
  const result = await record(
    {
      ...DEFAULT_RECORD_OPTIONS,
      url: server.url,
      workflow: parseWorkflow(readFileSync(join(samples, "workflows", workflowFile), "utf8"), "workflow.json"),
      workflowSourceName: "workflow.json",
      pollMs: RECORDING_POLL_MS,
      reconnectTimeoutMs: 5_000,
      ...options,
    },
    { sink: openSink(out), progress: null },
  );
  return { result, out, recording };
}

describe("pipelines/replay round trip", () => {
  for (const c of RECORDING_CASES) {
    // Real-time playback: load on the machine moves messages, so the timing checks allow what this very
    // replay measurably moved them (replayShiftMs), and no more. On a saturated machine a replay can still
    // be disturbed beyond that (most messages late, a message read before its prompt's acceptance): such
    // a replay is tried again, not the bounds widened.
    it(`gives back the profile of ${c.name}`, { retry: 2, timeout: 30_000 }, async () => {
      const originalPath = join(samples, "recordings", c.name, "run.ndjson");
      const original = await analyzeFiles([originalPath]);
      const { result, out, recording } = await replayAndRecord(c.name, c.workflow, c.options);
      expect(result.reason).toBe(c.endReason);
      const replayed = await analyzeFiles([out]);
      const shift = await replayShiftMs(recording, out);
      /** What a sum of `nodes` node times may be off by. */
      const allowed = (nodes: number) => Math.max(REPLAY_TOLERANCE_MS, 2 * shift * nodes);
      const expected = JSON.parse(readFileSync(join(samples, "recordings", c.name, "expected.json"), "utf8")) as Expected;
      // The case's timings are the original recording's (its own tests hold them); here they are held to the original's.
      checkRuns(replayed, untimed(expected));
      expect(replayed.runs).toHaveLength(original.runs.length);
      replayed.runs.forEach((run, i) => {
        const orig = original.runs[i]!;
        expect(run.outcome.status).toBe(orig.outcome.status);
        expect(run.counts).toEqual(orig.counts);
        // What the nodes' own stated ± add to a sum of their times (either recording's).
        const stated = [...run.nodes, ...orig.nodes].reduce((sum, n) => sum + statedPlusMinusMs(n), 0);
        // The same critical path, or one that was equally long in the original (two outputs within jitter).
        const path = allowed(Math.max(run.criticalPath.nodeIds.length, orig.criticalPath.nodeIds.length)) + stated;
        const what = `${c.name} run ${i}: critical path ${run.criticalPath.nodeIds.join(",")} ${run.criticalPath.lengthMs.toFixed(1)} ms vs ${orig.criticalPath.nodeIds.join(",")} ${orig.criticalPath.lengthMs.toFixed(1)} ms, messages moved ≤ ${shift.toFixed(1)} ms (${out})`;
        expect(within(run.criticalPath.lengthMs, orig.criticalPath.lengthMs, path), what).toBe(true);
        const origLengthOfReplayedPath = run.criticalPath.nodeIds.reduce((a, id) => a + (orig.nodes.find((n) => n.nodeId === id)!.durationMs ?? 0), 0);
        expect(within(origLengthOfReplayedPath, orig.criticalPath.lengthMs, path), what).toBe(true);
        expect(within(run.criticalPath.workMs, orig.criticalPath.workMs, allowed(run.nodes.length) + stated), what).toBe(true);
        for (const node of run.nodes) {
          const o = orig.nodes.find((n) => n.nodeId === node.nodeId)!;
          const nodeWhat = `${c.name} node ${node.nodeId}: ${node.durationMs} vs ${o.durationMs}, slack ${node.slackMs} vs ${o.slackMs}, messages moved ≤ ${shift.toFixed(1)} ms, uncertainty ${JSON.stringify(node.uncertainty)} vs ${JSON.stringify(o.uncertainty)}, diagnostics ${run.diagnostics.map((d) => d.code).join(",")}`;
          expect(node.status).toBe(o.status);
          expect(node.durationKind).toBe(o.durationKind);
          if (o.durationMs === null) expect(node.durationMs).toBeNull();
          // A time that states its own ± (a burst, a stall) may land anywhere within it, in either recording.
          else expect(within(node.durationMs!, o.durationMs, allowed(1) + statedPlusMinusMs(node) + statedPlusMinusMs(o)), nodeWhat).toBe(true);
          if (o.slackMs === null) expect(node.slackMs).toBeNull();
          else expect(within(node.slackMs!, o.slackMs, allowed(run.nodes.length) + stated), nodeWhat).toBe(true);
        }
        if (orig.timing.executionMs !== null) expect(within(run.timing.executionMs!, orig.timing.executionMs, allowed(1))).toBe(true);
      });
    });
  }

  it("plays ten times faster with --speed 10", async () => {
    const original = await analyzeFiles([join(samples, "recordings/parallel-branches/run.ndjson")]);
    const { out } = await replayAndRecord("parallel-branches", "parallel-branches.json", {}, { speed: 10 });
    const replayed = await analyzeFiles([out]);
    // 1.406 s of execution ÷ 10, within the same jitter.
    expect(within(replayed.runs[0]!.timing.executionMs!, original.runs[0]!.timing.executionMs! / 10)).toBe(true);
    expect(replayed.runs[0]!.criticalPath.nodeIds).toEqual(original.runs[0]!.criticalPath.nodeIds);
  });

  it("refuses a workflow other than the recorded one, naming the node, unless anyWorkflow", async () => {
    const recording = await readRecording(join(samples, "recordings/parallel-branches/run.ndjson"));
    server = await startReplayServer(recording, { port: 0, speed: Infinity, loop: false, anyWorkflow: false, reject: null });
    const prompt = structuredClone(recording.runs[0]!.prompt);
    (prompt["3"]!.inputs as Record<string, unknown>).seconds = 9;
    const res = await fetch(`${server.url}/prompt`, { method: "POST", body: JSON.stringify({ prompt, client_id: "x" }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("node 3 (ComfyprofSleep) differs");
    await server.close();
    server = await startReplayServer(recording, { port: 0, speed: Infinity, loop: false, anyWorkflow: true, reject: null });
    const ok = await fetch(`${server.url}/api/prompt`, { method: "POST", body: JSON.stringify({ prompt, client_id: "x" }) });
    expect(ok.status).toBe(200);
  });

  it("serves the recorded /object_info and /system_stats", async () => {
    const recording = await readRecording(join(samples, "recordings/parallel-branches/run.ndjson"));
    server = await startReplayServer(recording, { port: 0, speed: Infinity, loop: false, anyWorkflow: false, reject: null });
    const info = (await (await fetch(`${server.url}/object_info/ComfyprofSleep`)).json()) as Record<string, unknown>;
    expect(Object.keys(info)).toEqual(["ComfyprofSleep"]);
    const stats = (await (await fetch(`${server.url}/system_stats`)).json()) as { system: { comfyui_version: string } };
    expect(stats.system.comfyui_version).toBe("0.21.0");
  });

  // Real-time playback, like the round trips above: a timer delayed by a burst of load is retried, not tolerated for all.
  it("lets the recorder survive a dropped socket, a restart and a rejected prompt on a replayed recording", { retry: 2, timeout: 30_000 }, async () => {
    const dropped = await replayAndRecord("parallel-branches", "parallel-branches.json", {}, { faults: { dropWsAfter: 10 } });
    expect(dropped.result.reason).toBe("done");
    const analysis = await analyzeFiles([dropped.out]);
    expect(analysis.runs[0]!.diagnostics.map((d) => d.code)).toContain("reconnect-during-run");
    // The original recording is the truth: every node the outage hid is still executed, and its time is
    // the original's within its stated ± (or, having run unseen, has none); no node is quietly off.
    const original = (await analyzeFiles([join(samples, "recordings/parallel-branches/run.ndjson")])).runs[0]!;
    for (const node of analysis.runs[0]!.nodes) {
      const truth = original.nodes.find((n) => n.nodeId === node.nodeId)!;
      expect(node.status, `node ${node.nodeId}`).toBe(truth.status);
      if (node.durationMs === null) {
        expect(node.uncertainty?.causes, `node ${node.nodeId} has no time`).toContain("ran-unseen");
        continue;
      }
      const allowed = 10 + (node.boundaryUncertain ? node.uncertainty!.durationPlusMinusMs! : 0);
      expect(Math.abs(node.durationMs - truth.durationMs!), `node ${node.nodeId}: ${node.durationMs} vs ${truth.durationMs} (± ${allowed})`).toBeLessThanOrEqual(allowed);
    }
    await server?.close();
    const restarted = await replayAndRecord("parallel-branches", "parallel-branches.json", { runs: 2 }, { loop: true, faults: { restartAfter: 8, restartDowntimeMs: 300 } });
    // The restart lost run 1; run 2 completed: the recording ends with server-lost (exit 2), not a clean "done".
    expect(restarted.result).toMatchObject({ reason: "server-lost", exitCode: 2, runsCompleted: 1 });
    const afterRestart = await analyzeFiles([restarted.out]);
    expect(afterRestart.runs.map((r) => r.outcome.status)).toEqual(["incomplete", "success"]);
    // The lost run's node in flight never finished: unknown, no duration, never "executed".
    const lost = afterRestart.runs[0]!;
    expect(lost.nodes.filter((n) => n.status === "unknown").map((n) => n.durationMs)).toEqual([null]);
    expect(lost.nodes.every((n) => n.status !== "executed" || n.uncertainty?.end.latestMs !== null)).toBe(true);
    await server?.close();
    const recorded = (await readRecording(join(samples, "recordings/validation-failure/run.ndjson"))).runs[0]!.rejection!;
    const rejected = await replayAndRecord("parallel-branches", "parallel-branches.json", {}, { reject: recorded });
    expect(rejected.result).toMatchObject({ reason: "error", exitCode: 3 });
  });
});
