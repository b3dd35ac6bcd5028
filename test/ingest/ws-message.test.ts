import { describe, expect, it } from "vitest";
import { parseWsMessage } from "../../src/ingest/ws-message.js";

const P = "p-1";
const parse = (type: string, data: unknown) => parseWsMessage({ type, data });
const event = (type: string, data: unknown) => {
  const parsed = parse(type, data);
  if (!parsed.ok) throw new Error(`unexpected failure: ${parsed.detail}`);
  return parsed.event;
};

describe("ingest/ws-message", () => {
  it("reads status, with the sid only on connect", () => {
    expect(event("status", { status: { exec_info: { queue_remaining: 2 } }, sid: "abc" })).toEqual({ type: "status", queueRemaining: 2, sid: "abc" });
    expect(event("status", {})).toEqual({ type: "status", queueRemaining: null, sid: null });
  });

  it("reads run events with the server's timestamp, null on servers that send none", () => {
    expect(event("execution_start", { prompt_id: P, timestamp: 1700000000123 })).toEqual({ type: "execution_start", promptId: P, serverWallMs: 1700000000123 });
    expect(event("execution_success", { prompt_id: P })).toEqual({ type: "execution_success", promptId: P, serverWallMs: null });
    expect(event("execution_cached", { nodes: ["1", 2], prompt_id: P, timestamp: 5 })).toEqual({
      type: "execution_cached",
      promptId: P,
      nodeIds: ["1", "2"],
      serverWallMs: 5,
    });
  });

  it("reads every progress_state node, unknown states as null", () => {
    const nodes = {
      "4": { value: 0, max: 1, state: "running", node_id: "4", prompt_id: P, display_node_id: "4", parent_node_id: null, real_node_id: "4" },
      "4.0.0.1": { value: 3, max: 10, state: "paused", node_id: "4.0.0.1", display_node_id: "4", parent_node_id: "4", real_node_id: "4" },
      "9": { state: "finished" },
    };
    expect(event("progress_state", { prompt_id: P, nodes })).toEqual({
      type: "progress_state",
      promptId: P,
      nodes: [
        { nodeId: "4", state: "running", value: 0, max: 1, displayNodeId: "4", parentNodeId: null, realNodeId: "4" },
        { nodeId: "9", state: "finished", value: null, max: null, displayNodeId: null, parentNodeId: null, realNodeId: null },
        { nodeId: "4.0.0.1", state: null, value: 3, max: 10, displayNodeId: "4", parentNodeId: "4", realNodeId: "4" },
      ],
    });
  });

  it("reads executing without a prompt_id (a reconnect mid-run) and with node null (the prompt is done)", () => {
    expect(event("executing", { node: "7", display_node: "7" })).toEqual({ type: "executing", promptId: null, nodeId: "7", displayNodeId: "7" });
    expect(event("executing", { node: null, prompt_id: P })).toEqual({ type: "executing", promptId: P, nodeId: null, displayNodeId: null });
  });

  it("refuses executing without a node field: it would read as the prompt's end", () => {
    expect(parse("executing", { prompt_id: P })).toEqual({ ok: false, messageType: "executing", detail: '"node" is missing' });
  });

  it("reads progress from old servers that send only value and max", () => {
    expect(event("progress", { value: 3, max: 20 })).toEqual({ type: "progress", promptId: null, nodeId: null, value: 3, max: 20 });
    expect(parse("progress", { value: "3", max: 20 })).toEqual({ ok: false, messageType: "progress", detail: '"value" is a string' });
  });

  it("reads executed of a cached output node, whose output may be null", () => {
    expect(event("executed", { node: "3", display_node: "3", output: null, prompt_id: P })).toEqual({
      type: "executed",
      promptId: P,
      nodeId: "3",
      displayNodeId: "3",
      output: null,
    });
  });

  it("reads an ExecutionBlocked error, which has no timestamp", () => {
    const blocked = {
      prompt_id: P, node_id: "5", node_type: "ImageCrop", executed: ["1", "2"],
      exception_message: "Execution Blocked: no input", exception_type: "ExecutionBlocked",
      traceback: [], current_inputs: [], current_outputs: [],
    };
    expect(event("execution_error", blocked)).toEqual({
      type: "execution_error",
      promptId: P,
      nodeId: "5",
      nodeType: "ImageCrop",
      executedNodeIds: ["1", "2"],
      exceptionMessage: "Execution Blocked: no input",
      exceptionType: "ExecutionBlocked",
      traceback: [],
      currentInputs: [],
      currentOutputs: [],
      serverWallMs: null,
    });
  });

  it("reads execution_interrupted", () => {
    expect(event("execution_interrupted", { prompt_id: P, node_id: "2", node_type: "KSampler", executed: ["1"], timestamp: 9 })).toEqual({
      type: "execution_interrupted",
      promptId: P,
      nodeId: "2",
      nodeType: "KSampler",
      executedNodeIds: ["1"],
      serverWallMs: 9,
    });
  });

  it("refuses a run event without its prompt_id", () => {
    for (const type of ["execution_start", "execution_cached", "progress_state", "execution_success", "execution_error", "execution_interrupted"]) {
      expect(parse(type, { timestamp: 1 })).toEqual({ ok: false, messageType: type, detail: '"prompt_id" is missing' });
    }
    expect(parse("execution_start", null)).toEqual({ ok: false, messageType: "execution_start", detail: '"prompt_id" is missing' });
  });

  it("reads logs entries, dropping ones without text", () => {
    const data = { entries: [{ t: "2026-01-01T01:00:00.5", m: "got prompt\n" }, { t: "x" }, { m: "no time" }], size: { cols: 80, rows: 24 } };
    expect(event("logs", data)).toEqual({
      type: "logs",
      entries: [
        { localTime: "2026-01-01T01:00:00.5", text: "got prompt\n" },
        { localTime: null, text: "no time" },
      ],
      size: { cols: 80, rows: 24 },
    });
  });

  it("reads feature_flags as given", () => {
    expect(event("feature_flags", { supports_preview_metadata: true, max_upload_size: 100 })).toEqual({
      type: "feature_flags",
      flags: { supports_preview_metadata: true, max_upload_size: 100 },
    });
  });

  it("reads a crystools sample, its -1 (not measured) as null", () => {
    const data = {
      cpu_utilization: 12.5, ram_total: 16e9, ram_used: 7e9, ram_used_percent: 43.8,
      hdd_total: -1, hdd_used: -1, hdd_used_percent: -1, device_type: "cuda",
      gpus: [{ gpu_utilization: 97, gpu_temperature: 71, vram_total: 24e9, vram_used: 20e9, vram_used_percent: 83.3 }, { gpu_utilization: -1 }],
    };
    expect(event("crystools.monitor", data)).toEqual({
      type: "crystools.monitor",
      cpuPercent: 12.5,
      ramTotalBytes: 16e9,
      ramUsedBytes: 7e9,
      ramUsedPercent: 43.8,
      hddTotalBytes: null,
      hddUsedBytes: null,
      hddUsedPercent: null,
      deviceType: "cuda",
      gpus: [
        { utilizationPercent: 97, temperatureC: 71, vramTotalBytes: 24e9, vramUsedBytes: 20e9, vramUsedPercent: 83.3 },
        { utilizationPercent: null, temperatureC: null, vramTotalBytes: null, vramUsedBytes: null, vramUsedPercent: null },
      ],
    });
  });

  it("passes other types on as unknown, with their type and data", () => {
    expect(event("my_ext.tick", { n: 1 })).toEqual({ type: "unknown", messageType: "my_ext.tick", data: { n: 1 } });
    expect(parseWsMessage("hello")).toEqual({ ok: true, event: { type: "unknown", messageType: "", data: "hello" } });
    expect(parseWsMessage({ data: 1 })).toEqual({ ok: true, event: { type: "unknown", messageType: "", data: { data: 1 } } });
  });

  it("takes number ids as strings", () => {
    expect(event("executing", { node: 12, prompt_id: P })).toMatchObject({ nodeId: "12" });
  });
});
