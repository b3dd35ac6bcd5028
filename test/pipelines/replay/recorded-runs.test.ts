// pipelines/replay/recorded-runs.ts: a recording split into the runs the replay server plays back.

import { describe, expect, it } from "vitest";
import { readRecording } from "../../../pipelines/replay/recorded-runs.js";
import { collectLog } from "../../../pipelines/read-log.js";

const recording = (name: string) => new URL(`../../../samples/recordings/${name}/run.ndjson`, import.meta.url).pathname;

describe("pipelines/replay/recorded-runs", () => {
  it("keeps a message about the prompt that was read before the reply to POST /prompt, at its negative time", async () => {
    // model-warm's measured run: ComfyUI's execution_start reached the recorder 0.7 ms before the reply.
    const path = recording("model-warm");
    const { events } = await collectLog(path, { lenient: false });
    const runStarts = events.filter((e) => e.kind === "note" && e.note === "run-start");
    const promptId = (runStarts[1] as { promptId: string }).promptId;
    const replyIndex = events.findIndex((e) => e.kind === "prompt-reply" && events.indexOf(runStarts[1]!) < events.indexOf(e));
    const early = events.slice(events.indexOf(runStarts[1]!), replyIndex).filter((e) => e.kind === "ws" && "promptId" in e.event && e.event.promptId === promptId);
    expect(early.map((e) => e.kind === "ws" && e.event.type)).toEqual(["execution_start"]);

    const run = (await readRecording(path)).runs[1]!;
    expect(run.promptId).toBe(promptId);
    const first = run.messages[0]!;
    expect((first.message as { type: string }).type).toBe("execution_start");
    expect(first.atMs).toBeCloseTo(early[0]!.monoMs - events[replyIndex]!.monoMs, 9);
    expect(first.atMs).toBeLessThan(0);
    // In order: every later message after it.
    expect(run.messages.map((m) => m.atMs)).toEqual([...run.messages.map((m) => m.atMs)].sort((a, b) => a - b));
  });
});
