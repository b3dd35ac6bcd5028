import { describe, expect, it } from "vitest";
import { parseWsMessage } from "../../src/ingest/ws-message.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import type { LogEvent, ServerEvent } from "../../src/model/server-events.js";
import { CLOCK_OFFSET_MS, GB, MONO_ORIGIN_MS, PROMPT_ID, RECORDER_EPOCH_MS, serverAt, timeline } from "./timeline.js";

const prompt: ApiWorkflow = {
  "1": { class_type: "EmptyImage", inputs: { width: 8, height: 8 } },
  "2": { class_type: "ImageInvert", inputs: { image: ["1", 0] } },
  "3": { class_type: "PreviewImage", inputs: { images: ["2", 0] } },
};

const wsEvents = (events: LogEvent[]): ServerEvent[] => events.flatMap((e) => (e.kind === "ws" ? [e.event] : []));
/** progress_state as `id:state:value/max` strings, in the order sent. */
const states = (e: ServerEvent | undefined) =>
  e?.type === "progress_state" ? e.nodes.map((n) => `${n.nodeId}:${n.state}:${n.value}/${n.max}`) : null;

describe("support/timeline", () => {
  it("numbers lines from 1 after the header and stamps each at the origin plus t on both receipt clocks", () => {
    const t = timeline({ prompt });
    t.at(-20).runStart();
    t.at(0).start();
    t.at(12.5).executing("1");
    const events = t.events();
    expect(events.map((e) => [e.kind, e.lineNo, e.monoMs, e.wallMs])).toEqual([
      ["header", 1, 0, RECORDER_EPOCH_MS],
      ["note", 2, MONO_ORIGIN_MS - 20, RECORDER_EPOCH_MS + MONO_ORIGIN_MS - 20],
      ["ws", 3, MONO_ORIGIN_MS, RECORDER_EPOCH_MS + MONO_ORIGIN_MS],
      ["ws", 4, MONO_ORIGIN_MS + 12.5, RECORDER_EPOCH_MS + MONO_ORIGIN_MS + 12.5],
    ]);
    expect(events[0]).toMatchObject({ kind: "header", workflow: { prompt }, plan: { pollMs: 100 } });
    expect(events[1]).toMatchObject({ kind: "note", note: "run-start", promptId: PROMPT_ID, prompt, warmup: false });
  });

  it("stamps run-level messages on the server clock, CLOCK_OFFSET_MS behind the receipt, unless told otherwise", () => {
    const t = timeline({ prompt });
    t.at(0).start().cached(["1"]);
    t.at(700).error("2", "RuntimeError", "boom", { serverAt: 400 }).blocked("3");
    const [start, cached, error, blocked] = wsEvents(t.events());
    expect(start).toEqual({ type: "execution_start", promptId: PROMPT_ID, serverWallMs: RECORDER_EPOCH_MS + MONO_ORIGIN_MS - CLOCK_OFFSET_MS });
    expect(cached).toEqual({ type: "execution_cached", promptId: PROMPT_ID, nodeIds: ["1"], serverWallMs: serverAt(0) });
    // Held back: stamped at 400, received at 700.
    expect(error).toMatchObject({ nodeId: "2", nodeType: "ImageInvert", exceptionType: "RuntimeError", exceptionMessage: "boom", serverWallMs: serverAt(400) });
    expect(blocked).toMatchObject({ nodeId: "3", exceptionType: "ExecutionBlocked", serverWallMs: null });
  });

  it("lists every node started so far, with its state, in each progress_state", () => {
    const t = timeline({ prompt });
    t.at(0).running("1").executing("1");
    t.at(50).progress("1", 1, 2);
    t.at(100).finished("1").running("2");
    const events = wsEvents(t.events());
    expect(events.map((e) => e.type)).toEqual(["progress_state", "executing", "progress_state", "progress", "progress_state", "progress_state"]);
    expect(states(events[0])).toEqual(["1:running:0/1"]);
    expect(states(events[2])).toEqual(["1:running:1/2"]);
    expect(events[3]).toEqual({ type: "progress", promptId: PROMPT_ID, nodeId: "1", value: 1, max: 2 });
    // finished sets value = max, as the server does.
    expect(states(events[4])).toEqual(["1:finished:2/2"]);
    expect(states(events[5])).toEqual(["1:finished:2/2", "2:running:0/1"]);
  });

  it("names an expanded child's parent and real node, and its display node after the real one", () => {
    const t = timeline({ prompt });
    t.at(0).running("2").running("2.0.0.1", { parent: "2" }).executing("2.0.0.1");
    const [, childState, executing] = wsEvents(t.events());
    expect(childState?.type === "progress_state" && childState.nodes[1]).toEqual({
      nodeId: "2.0.0.1", state: "running", value: 0, max: 1, displayNodeId: "2", parentNodeId: "2", realNodeId: "2",
    });
    expect(executing).toEqual({ type: "executing", promptId: PROMPT_ID, nodeId: "2.0.0.1", displayNodeId: "2" });
  });

  it("sends only `progress` on a server without progress_state, and refuses running/finished there", () => {
    const t = timeline({ prompt, progressState: false });
    t.at(0).executing("1").progress("1", 1, 2);
    expect(wsEvents(t.events()).map((e) => e.type)).toEqual(["executing", "progress"]);
    expect(() => t.at(1).running("1")).toThrow(/without progress_state/);
    expect(() => t.at(1).finished("1")).toThrow(/without progress_state/);
  });

  it("loses WebSocket messages between disconnect and reconnect, but keeps the server's state", () => {
    const t = timeline({ prompt });
    t.at(0).running("1");
    t.at(10).disconnect();
    t.at(20).finished("1").running("2").executing("2");
    t.at(30).stats({ ramUsedBytes: GB }); // HTTP still works while the socket is down
    t.at(40).reconnect().executing("2", { promptId: null });
    t.at(50).finished("2");
    const lines = t.events().slice(1);
    expect(lines.map((e) => (e.kind === "ws" ? e.event.type : e.kind === "note" ? e.note : e.kind))).toEqual([
      "progress_state", "ws-close", "stats", "reconnect", "executing", "progress_state",
    ]);
    expect(lines[4]).toMatchObject({ event: { type: "executing", promptId: null, nodeId: "2" } });
    expect(states(wsEvents(lines).at(-1))).toEqual(["1:finished:1/1", "2:finished:1/1"]);
  });

  it("writes polls, the submit and the history as the recorder does, times on the right clocks", () => {
    const t = timeline({ prompt });
    t.at(-10).submit(-18);
    t.at(50).stats({ ramUsedBytes: 6 * GB, sentAt: 40 });
    t.at(200).history({ createTime: -15 });
    const [, submit, stats, history] = t.events();
    // Typed, as ingest makes them from the recorder's lines.
    expect(submit).toMatchObject({ kind: "prompt-reply", promptId: PROMPT_ID, sentMonoMs: MONO_ORIGIN_MS - 18, monoMs: MONO_ORIGIN_MS - 10, status: 200, rejection: null });
    expect(submit).toMatchObject({ body: { prompt_id: PROMPT_ID } });
    expect(stats).toMatchObject({ kind: "stats", sentMonoMs: MONO_ORIGIN_MS + 40, monoMs: MONO_ORIGIN_MS + 50 });
    expect(stats).toMatchObject({ body: { system: { ram_total: 16 * GB, ram_free: 10 * GB } }, reading: { sample: { ramUsedBytes: 6 * GB } } });
    // outputs_to_execute defaults to the sinks; create_time is a server stamp.
    expect(history).toMatchObject({ kind: "history", promptId: PROMPT_ID, createTimeMs: serverAt(-15), outputsToExecute: ["3"] });
    expect(history).toMatchObject({ entry: { prompt: [1, PROMPT_ID, prompt, { create_time: serverAt(-15) }, ["3"]] } });
  });

  it("refuses to go back in time", () => {
    const t = timeline({ prompt });
    t.at(100).start();
    expect(() => t.at(99)).toThrow(RangeError);
  });

  it("keeps each prompt's progress_state apart in one log", () => {
    const t = timeline({ prompt });
    const other = t.forPrompt("prompt-2");
    t.at(0).running("1");
    other.at(1).running("2");
    const [mine, theirs] = wsEvents(t.events());
    expect(mine).toMatchObject({ promptId: PROMPT_ID });
    expect(states(mine)).toEqual(["1:running:0/1"]);
    expect(theirs).toMatchObject({ promptId: "prompt-2" });
    expect(states(theirs)).toEqual(["2:running:0/1"]);
  });

  it("gives what ingest makes of the server's own messages (ComfyUI 0.21, as recorded)", () => {
    const t = timeline({ prompt });
    t.at(0).start().cached([]).running("1").executing("1");
    t.at(30).progress("1", 1, 2, { via: "progress" }).executed("1", { images: [] });
    t.at(40).error("2", "RuntimeError", "boom").done();
    const p = PROMPT_ID;
    const raw = [
      { type: "execution_start", data: { prompt_id: p, timestamp: serverAt(0) } },
      { type: "execution_cached", data: { nodes: [], prompt_id: p, timestamp: serverAt(0) } },
      { type: "progress_state", data: { prompt_id: p, nodes: { "1": { value: 0, max: 1, state: "running", node_id: "1", prompt_id: p, display_node_id: "1", parent_node_id: null, real_node_id: "1" } } } },
      { type: "executing", data: { node: "1", display_node: "1", prompt_id: p } },
      { type: "progress", data: { value: 1, max: 2, prompt_id: p, node: "1" } },
      { type: "executed", data: { node: "1", display_node: "1", output: { images: [] }, prompt_id: p } },
      {
        type: "execution_error",
        data: {
          prompt_id: p, node_id: "2", node_type: "ImageInvert", executed: [], exception_message: "boom", exception_type: "RuntimeError",
          traceback: [], current_inputs: null, current_outputs: null, timestamp: serverAt(40),
        },
      },
      { type: "executing", data: { node: null, prompt_id: p } },
    ].map((msg) => {
      const parsed = parseWsMessage(msg);
      if (!parsed.ok) throw new Error(parsed.detail);
      return parsed.event;
    });
    expect(wsEvents(t.events())).toEqual(raw);
  });
});
