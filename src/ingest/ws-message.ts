// One WebSocket text message `{type, data}` → a typed ServerEvent. Defensive:
// servers differ by version (no progress_state before v0.3.45, no timestamps
// before v0.0.3, none on ExecutionBlocked errors, no prompt_id on `executing`
// after a reconnect), so what may be missing becomes null. Only what makes a
// message useless (a run event without its prompt_id, a progress without
// numbers) fails it; messages of other types pass as `unknown`.

import type {
  ExecutionErrorEvent,
  ExecutionInterruptedEvent,
  LogEntry,
  NodeId,
  ProgressNodeState,
  ProgressStateNode,
  PromptId,
  ServerEvent,
} from "../model/server-events.js";
import { parseCrystoolsMonitor } from "./crystools.js";
import { describeJson, idList, idOrNull, isObject, numberOrNull, stringOrNull, type JsonObject } from "./shape.js";

export type WsParse = { ok: true; event: ServerEvent } | { ok: false; messageType: string; detail: string };

const PROGRESS_NODE_STATES: readonly ProgressNodeState[] = ["pending", "running", "finished", "error"];

class Unusable extends Error {}

/** Throws Unusable (caught below) when a field the event cannot do without is absent. */
function need<T>(value: T | null, field: string, data: JsonObject): T {
  if (value === null) throw new Unusable(`"${field}" is ${describeJson(data[field])}`);
  return value;
}

const nodeId = (value: unknown): NodeId | null => idOrNull(value) as NodeId | null;
const promptId = (value: unknown): PromptId | null => idOrNull(value) as PromptId | null;
const requirePromptId = (data: JsonObject): PromptId => need(promptId(data.prompt_id), "prompt_id", data);
const nodeIds = (value: unknown): NodeId[] => idList(value) as NodeId[];

/** ComfyUI's state strings to ours: a lookup, since this runs for every node of every (cumulative) progress_state. */
const PROGRESS_NODE_STATE_OF: ReadonlyMap<unknown, ProgressNodeState> = new Map(PROGRESS_NODE_STATES.map((s) => [s, s]));

export function parseProgressStateNodes(value: unknown): ProgressStateNode[] {
  if (!isObject(value)) return [];
  const nodes: ProgressStateNode[] = [];
  // for…in over a fresh JSON.parse object: own enumerable keys in Object.entries' order, without its [key, value] arrays.
  for (const key in value) {
    const entry = value[key];
    if (!isObject(entry)) continue;
    nodes.push({
      nodeId: nodeId(entry.node_id) ?? (key as NodeId),
      state: PROGRESS_NODE_STATE_OF.get(entry.state) ?? null,
      value: numberOrNull(entry.value),
      max: numberOrNull(entry.max),
      displayNodeId: nodeId(entry.display_node_id),
      parentNodeId: nodeId(entry.parent_node_id),
      realNodeId: nodeId(entry.real_node_id),
    });
  }
  return nodes;
}

/** `logs` entries `[{t, m}]` (a ws message's, or a probe's server-log line's); unreadable ones are left out. */
export function parseLogEntries(value: unknown): LogEntry[] {
  if (!Array.isArray(value)) return [];
  const entries: LogEntry[] = [];
  for (const entry of value) {
    if (isObject(entry) && typeof entry.m === "string") entries.push({ localTime: stringOrNull(entry.t), text: entry.m });
  }
  return entries;
}

/** The fields execution_error and execution_interrupted share. */
function stoppedAt(data: JsonObject) {
  return {
    promptId: requirePromptId(data),
    nodeId: nodeId(data.node_id),
    nodeType: stringOrNull(data.node_type),
    executedNodeIds: nodeIds(data.executed),
    serverWallMs: numberOrNull(data.timestamp),
  };
}

function parseExecutionError(data: JsonObject): ExecutionErrorEvent {
  return {
    type: "execution_error",
    ...stoppedAt(data),
    exceptionMessage: stringOrNull(data.exception_message),
    exceptionType: stringOrNull(data.exception_type),
    traceback: Array.isArray(data.traceback) ? data.traceback.filter((l): l is string => typeof l === "string") : [],
    currentInputs: data.current_inputs ?? null,
    currentOutputs: data.current_outputs ?? null,
  };
}

function parseExecutionInterrupted(data: JsonObject): ExecutionInterruptedEvent {
  return { type: "execution_interrupted", ...stoppedAt(data) };
}

/** The typed event for a known type, or null for a type this reader does not interpret. */
function parseKnown(type: string, data: JsonObject): ServerEvent | null {
  switch (type) {
    case "status": {
      const status = isObject(data.status) ? data.status : {};
      const execInfo = isObject(status.exec_info) ? status.exec_info : {};
      return { type, queueRemaining: numberOrNull(execInfo.queue_remaining), sid: stringOrNull(data.sid) };
    }
    case "execution_start":
    case "execution_success":
      return { type, promptId: requirePromptId(data), serverWallMs: numberOrNull(data.timestamp) };
    case "execution_cached":
      return { type, promptId: requirePromptId(data), nodeIds: nodeIds(data.nodes), serverWallMs: numberOrNull(data.timestamp) };
    case "progress_state":
      return { type, promptId: requirePromptId(data), nodes: parseProgressStateNodes(data.nodes) };
    case "executing":
      // `node: null` is meaningful (the prompt is done); a missing `node` is not the same.
      if (!("node" in data)) throw new Unusable(`"node" is missing`);
      return { type, promptId: promptId(data.prompt_id), nodeId: nodeId(data.node), displayNodeId: nodeId(data.display_node) };
    case "progress":
      return {
        type,
        promptId: promptId(data.prompt_id),
        nodeId: nodeId(data.node),
        value: need(numberOrNull(data.value), "value", data),
        max: need(numberOrNull(data.max), "max", data),
      };
    case "executed":
      return {
        type,
        promptId: promptId(data.prompt_id),
        nodeId: need(nodeId(data.node), "node", data),
        displayNodeId: nodeId(data.display_node),
        output: data.output ?? null,
      };
    case "execution_error":
      return parseExecutionError(data);
    case "execution_interrupted":
      return parseExecutionInterrupted(data);
    case "logs": {
      const size = isObject(data.size) ? data.size : {};
      const cols = numberOrNull(size.cols);
      const rows = numberOrNull(size.rows);
      return { type, entries: parseLogEntries(data.entries), size: cols !== null && rows !== null ? { cols, rows } : null };
    }
    case "feature_flags":
      return { type, flags: { ...data } };
    case "crystools.monitor":
      return parseCrystoolsMonitor(data);
    default:
      return null;
  }
}

/** Parses the `msg` of a `ws` line. */
export function parseWsMessage(msg: unknown): WsParse {
  if (!isObject(msg) || typeof msg.type !== "string") {
    return { ok: true, event: { type: "unknown", messageType: "", data: msg } };
  }
  const messageType = msg.type;
  // Every known type sends an object; treat anything else as an empty one so the checks below speak.
  const data = isObject(msg.data) ? msg.data : {};
  try {
    const event = parseKnown(messageType, data);
    return { ok: true, event: event ?? { type: "unknown", messageType, data: msg.data } };
  } catch (error) {
    if (error instanceof Unusable) return { ok: false, messageType, detail: error.message };
    throw error;
  }
}
