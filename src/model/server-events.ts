// What the server said, typed: one ServerEvent per WebSocket text message,
// parsed from a `ws` log line by src/ingest/ws-message.ts. Field names are ours
// (camelCase, units); the comment on each gives the server's name. Servers
// differ by version (no `progress_state` before v0.3.45, no timestamp on
// ExecutionBlocked errors), so anything a server may leave out is `null` here,
// never a made-up zero.
//
// Also `LogEvent`: a log line after ingest, which is what src/fold/ folds.

import type { AnyHeaderLine, HeaderLine, HttpLine, LogLine, ProbeHeaderLine, SentLine, ServerLogLine, StatsLine, WsTextLine } from "./events.js";
import type { HistoryEvent, HttpExchangeEvent, ObjectInfoEvent, PromptReplyEvent, SystemStatsEvent } from "./exchanges.js";

/** A node id as the server sends it ("4", or "4.0.0.2" for expansion children). */
export type NodeId = string & { readonly __brand: "NodeId" };
/** A prompt id (uuid, or whatever the submitter chose). */
export type PromptId = string & { readonly __brand: "PromptId" };

/** `status`: queue changes, and once on connect. */
export interface StatusEvent {
  type: "status";
  /** `status.exec_info.queue_remaining`: prompts queued or running; null when absent. */
  queueRemaining: number | null;
  /** `sid`: the client id, sent on connect only; else null. */
  sid: string | null;
}

/** `execution_start`: the executor took the prompt. */
export interface ExecutionStartEvent {
  type: "execution_start";
  promptId: PromptId;
  /** `timestamp`: epoch ms, server wall clock; null on servers before v0.0.3. */
  serverWallMs: number | null;
}

/** `execution_cached`: every cached node of the prompt, needed or not. */
export interface ExecutionCachedEvent {
  type: "execution_cached";
  promptId: PromptId;
  /** `nodes`. */
  nodeIds: NodeId[];
  serverWallMs: number | null;
}

/** A node's state in `progress_state` (ComfyUI's NodeState; `pending` ones are not sent). */
export type ProgressNodeState = "pending" | "running" | "finished" | "error";

export interface ProgressStateNode {
  /** `node_id` (or the key of `nodes` when that is missing). */
  nodeId: NodeId;
  /** `state`; null for a state this reader does not know. A failed node stays `running`. */
  state: ProgressNodeState | null;
  /** `value`, `max`: progress in the node's own units; null when absent. */
  value: number | null;
  max: number | null;
  /** `display_node_id`, `parent_node_id` (the expanding node), `real_node_id` (top-level node); null when absent. */
  displayNodeId: NodeId | null;
  parentNodeId: NodeId | null;
  realNodeId: NodeId | null;
}

/** `progress_state` (since v0.3.45): cumulative state of every started node of the prompt. */
export interface ProgressStateEvent {
  type: "progress_state";
  promptId: PromptId;
  /** One per node in `nodes`; the order carries no meaning (JSON.parse puts integer-like ids first). */
  nodes: ProgressStateNode[];
}

/** `executing`: a node starts (or resumes, lazily); `nodeId: null` means the prompt is done (after the history write). */
export interface ExecutingEvent {
  type: "executing";
  /** `prompt_id`; null after a reconnect mid-run (the server resends `executing` without it). */
  promptId: PromptId | null;
  /** `node`. */
  nodeId: NodeId | null;
  /** `display_node`; null when absent. */
  displayNodeId: NodeId | null;
}

/** `progress`: a node's step counter (throttled by the server). */
export interface ProgressEvent {
  type: "progress";
  /** `prompt_id`, `node`: null on old servers that sent only value/max. */
  promptId: PromptId | null;
  nodeId: NodeId | null;
  value: number;
  max: number;
}

/** `executed`: a node with UI output finished (or a cached output node was replayed). */
export interface ExecutedEvent {
  type: "executed";
  promptId: PromptId | null;
  /** `node`. */
  nodeId: NodeId;
  displayNodeId: NodeId | null;
  /** `output` as sent; null for a cached node without one. */
  output: unknown;
}

/** `execution_success`: terminal. */
export interface ExecutionSuccessEvent {
  type: "execution_success";
  promptId: PromptId;
  serverWallMs: number | null;
}

/**
 * `execution_error`. Terminal, except ExecutionBlocked ones (exceptionType
 * "ExecutionBlocked", no timestamp: serverWallMs null), which the run survives.
 */
export interface ExecutionErrorEvent {
  type: "execution_error";
  promptId: PromptId;
  /** `node_id`: top-level node id; null when absent. */
  nodeId: NodeId | null;
  /** `node_type`: the class_type; null when absent. */
  nodeType: string | null;
  /** `executed`: nodes already run in this prompt. */
  executedNodeIds: NodeId[];
  exceptionMessage: string | null;
  exceptionType: string | null;
  /** `traceback` lines; empty when absent. */
  traceback: string[];
  /** `current_inputs`, `current_outputs` as sent. */
  currentInputs: unknown;
  currentOutputs: unknown;
  /** Null for ExecutionBlocked errors (and servers before v0.0.3). */
  serverWallMs: number | null;
}

/** `execution_interrupted`: terminal, after POST /interrupt. */
export interface ExecutionInterruptedEvent {
  type: "execution_interrupted";
  promptId: PromptId;
  nodeId: NodeId | null;
  nodeType: string | null;
  executedNodeIds: NodeId[];
  serverWallMs: number | null;
}

export interface LogEntry {
  /** `t`: server local time, ISO 8601 without a zone; null when absent. */
  localTime: string | null;
  /** `m`: the text as logged (may hold several lines or a partial one). */
  text: string;
}

/** `logs`: server terminal output, after the client subscribed. */
export interface LogsEvent {
  type: "logs";
  entries: LogEntry[];
  /** `size`: the server terminal's columns and rows; null when absent. */
  size: { cols: number; rows: number } | null;
}

/** `feature_flags`: what the server supports. */
export interface FeatureFlagsEvent {
  type: "feature_flags";
  flags: Record<string, unknown>;
}

/** One GPU in a crystools sample; crystools sends -1 for "not measured", which is null here. */
export interface CrystoolsGpu {
  utilizationPercent: number | null;
  temperatureC: number | null;
  vramTotalBytes: number | null;
  vramUsedBytes: number | null;
  vramUsedPercent: number | null;
}

/** `crystools.monitor` (ComfyUI-Crystools extension): one system sample. -1 ("off") is null. */
export interface CrystoolsMonitorEvent {
  type: "crystools.monitor";
  cpuPercent: number | null;
  ramTotalBytes: number | null;
  ramUsedBytes: number | null;
  ramUsedPercent: number | null;
  hddTotalBytes: number | null;
  hddUsedBytes: number | null;
  hddUsedPercent: number | null;
  /** `device_type`: "cpu", "cuda", …; null when absent. */
  deviceType: string | null;
  gpus: CrystoolsGpu[];
}

/** Any other message: extensions, types added by newer servers. */
export interface UnknownServerEvent {
  type: "unknown";
  /** The message's `type` as sent ("" when it had none). */
  messageType: string;
  /** The message's `data` as sent (the whole message when it had no `type`). */
  data: unknown;
}

export type ServerEvent =
  | StatusEvent
  | ExecutionStartEvent
  | ExecutionCachedEvent
  | ProgressStateEvent
  | ExecutingEvent
  | ProgressEvent
  | ExecutedEvent
  | ExecutionSuccessEvent
  | ExecutionErrorEvent
  | ExecutionInterruptedEvent
  | LogsEvent
  | FeatureFlagsEvent
  | CrystoolsMonitorEvent
  | UnknownServerEvent;

export type ServerEventType = ServerEvent["type"];

/** A `ws` log line (or a probe's `sent` line) after ingest: its times and the parsed message. */
export interface WsEvent {
  kind: "ws";
  /** 1-based line in the log file. */
  lineNo: number;
  wallMs: number;
  monoMs: number;
  event: ServerEvent;
  /** The message as recorded (replay sends it again); null where the reader asked for none (LogParserOptions.rawMessages) and the line was read by what it adds. */
  raw: unknown;
  /** From a probe's `sent` line: the client the server sent it to (null: every client). Absent in a recorder's log. */
  sid?: string | null;
}

/** A probe's `server-log` line after ingest: the server's output, read as `logs` entries are. */
export interface ServerLogEvent {
  kind: "server-log";
  lineNo: number;
  wallMs: number;
  monoMs: number;
  entries: LogEntry[];
}

/** A log line with the 1-based line it was read from. */
export type Located<T> = T & { lineNo: number };

/**
 * A log line after ingest: `ws` lines parsed into ServerEvents, HTTP exchanges and /system_stats
 * polls into typed events (exchanges.ts), notes, binary frames and the end record as recorded.
 */
export type LogEvent =
  | WsEvent
  | PromptReplyEvent
  | HistoryEvent
  | ObjectInfoEvent
  | HttpExchangeEvent
  | SystemStatsEvent
  | HeaderEvent
  | ServerLogEvent
  | Located<Exclude<LogLine, HeaderLine | ProbeHeaderLine | WsTextLine | SentLine | ServerLogLine | HttpLine | StatsLine>>;

/** The header line; `subgraphNames`: the editor workflow's subgraph instance names by id path ("11", "11:10"), read by ingest (empty without one). */
export type HeaderEvent = Located<AnyHeaderLine> & { subgraphNames: Record<string, string> };
