// The event log, format "comfyprof-events" v1: one JSON object per line.
// docs/event-log.md describes it for users; schemas/event-log.v1.schema.json is
// generated from src/model/event-log-schema.ts and must agree with these types.
//
// Every line carries two times taken when the line was made: `wallMs` (epoch
// ms, a wall clock, may jump) and `monoMs` (ms since the recording started,
// monotonic; use it for durations). In a recorder's log they are the
// recorder's receipt times; in a probe's log (header `source: "probe"`, since
// v1.2) the server's own clocks at the moment it sent the message.

import type { ProbeHeaderLine, PromptLine, SentBinaryLine, SentLine, ServerLogLine } from "./probe-events.js";

export { PROBE_FILE_REASONS } from "./probe-events.js";
export type { ProbeFileReason, ProbeHeaderLine, PromptLine, SentBinaryLine, SentLine, ServerLogLine } from "./probe-events.js";

export const LOG_FORMAT = "comfyprof-events";
/** Major.minor of the format this code writes. Readers accept any minor of this major. */
export const LOG_VERSION = { major: 1, minor: 2 } as const;
export const LOG_VERSION_STRING = `${LOG_VERSION.major}.${LOG_VERSION.minor}`;

export interface Stamped {
  /** Receipt time, epoch ms of the recorder's wall clock (fractional). */
  wallMs: number;
  /** Receipt time, ms since the recording started, monotonic (fractional). Since v1.0. */
  monoMs: number;
}

/** How repeated runs keep, or drop, ComfyUI's caches. See docs/metrics.md "Across runs". */
export const CACHE_STATES = ["model-warm", "cache-warm", "cold"] as const;
export type CacheState = (typeof CACHE_STATES)[number];

/** How a model-warm run was made to re-execute: new seeds, or a nonce input on every node. */
export const NONCE_METHODS = ["seed", "nonce-input", "none"] as const;
export type NonceMethod = (typeof NONCE_METHODS)[number];

/** An API-format workflow: `{ "<node id>": { class_type, inputs, _meta? } }`. */
export type ApiWorkflow = Record<string, ApiNode>;

export interface ApiNode {
  class_type: string;
  /** A literal, or a link `[source node id, output index]`. */
  inputs: Record<string, unknown>;
  _meta?: { title?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** An editor workflow and what its conversion to `prompt` used, so the conversion can be re-done offline. Since v1.1. */
export interface EditorWorkflowRecord {
  /** What the file was: editor JSON, or a ComfyUI PNG/WebP whose "workflow" metadata held it. */
  container: "json" | "png" | "webp";
  /** The editor workflow as read (nodes, links, definitions.subgraphs, …). */
  workflow: unknown;
  /** The server's /object_info entries the conversion used, by node class. */
  objectInfo: Record<string, unknown>;
}

export interface RunPlan {
  /** Measured runs. */
  runs: number;
  /** Warm-up runs made before the measured ones (and marked so). */
  warmup: number;
  cacheState: CacheState;
  /** /system_stats poll interval, ms. */
  pollMs: number;
  /** True when binary preview frames are kept whole (base64). */
  keepPreviews: boolean;
  /** Per-run timeout, ms; null when none. */
  timeoutMs: number | null;
  /** True when the recorder sends POST /interrupt if it is stopped mid-run. */
  interruptOnExit: boolean;
}

/** First line of every log written by `comfyprof record`. */
export interface HeaderLine extends Stamped {
  kind: "header";
  /** Since v1.2: who wrote the log; absent means the recorder. */
  source?: "recorder";
  format: typeof LOG_FORMAT;
  /** "major.minor", e.g. "1.0". */
  version: string;
  recorder: { name: string; version: string; node: string };
  /** Server base URL without credentials, query or fragment. */
  serverUrl: string;
  /** The WebSocket client id the recorder used; prompts are submitted with it. */
  clientId: string;
  workflow: {
    /** File name (not path) the workflow was read from; null for stdin or library use. */
    sourceName: string | null;
    /** The workflow as read, API format, before any per-run seed/nonce change (converted when the file was editor format). */
    prompt: ApiWorkflow;
    /** Since v1.1: the editor workflow `prompt` was converted from; absent when the file held API format. */
    editor?: EditorWorkflowRecord;
  };
  plan: RunPlan;
  host: {
    /** IANA time zone of the recording host, e.g. "Europe/Berlin". */
    timeZone: string;
    /** Offset of local time from UTC at the start, minutes (UTC+2 = 120). */
    utcOffsetMin: number;
    platform: string;
  };
  /** Free text given with --label; null when none. */
  label: string | null;
}

/** A WebSocket text frame, its JSON kept verbatim in `msg`. */
export interface WsTextLine extends Stamped {
  kind: "ws";
  /** The message as the server sent it: `{type, data}` for ComfyUI, anything for extensions. */
  msg: unknown;
}

/** A WebSocket text frame that was not valid JSON, kept as text. */
export interface WsInvalidLine extends Stamped {
  kind: "ws-invalid";
  text: string;
}

/** A binary WebSocket frame (previews): summarized unless --keep-previews. */
export interface WsBinaryLine extends Stamped {
  kind: "ws-binary";
  /** The big-endian u32 event type at the frame's start (1 preview image, 3 text, 4 preview with metadata); null if shorter than 4 bytes. */
  eventType: number | null;
  /** Total frame size, bytes. */
  bytes: number;
  /** For type 1: 1 JPEG, 2 PNG; for type 4 the metadata's image_type; else null. */
  imageFormat: number | string | null;
  /** The node the frame belongs to, where the frame says (types 3 and 4); else null. */
  nodeId: string | null;
  /** Type 4 metadata JSON as sent; null otherwise. */
  meta: unknown;
  /** The whole frame, base64, only with --keep-previews. */
  base64?: string;
}

/** One HTTP exchange with the server (never request headers). */
export interface HttpLine extends Stamped {
  kind: "http";
  method: string;
  /** Path and query as requested, e.g. "/history/abc". */
  path: string;
  /** monoMs when the request was sent; wallMs/monoMs of the line are when the reply was read. */
  sentMonoMs: number;
  /** Request body as sent (JSON), or null. */
  request: unknown;
  /** HTTP status; null when no reply came (see `error`). */
  status: number | null;
  /** Reply body: JSON as sent, text if not JSON, null if empty or none. */
  response: unknown;
  /** Transport error text when no reply came; null otherwise. */
  error: string | null;
}

/** One /system_stats poll. */
export interface StatsLine extends Stamped {
  kind: "stats";
  /** monoMs when the request was sent; the round trip is monoMs − sentMonoMs. */
  sentMonoMs: number;
  status: number | null;
  /** The /system_stats reply as sent; null when it failed. */
  response: unknown;
  error: string | null;
}

export const NOTE_KINDS = [
  "ws-open", "ws-close", "reconnect", "logs-subscribed", "run-start", "submitted", "run-end",
  "run-lost", "free", "cache-check", "timeout", "interrupt-sent", "signal",
  // The probe's (since v1.2): its queue was full (count, total dropped); a message it could not write; a run cut by a rotation (promptIds).
  "probe-dropped", "probe-error", "probe-cut-run",
] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

/** Something the recorder did or saw that is not a server message. */
export interface NoteLine extends Stamped {
  kind: "note";
  note: NoteKind;
  /** Run index from 0 (warm-up runs first), when the note concerns a run. */
  run?: number;
  /** Prompt id, when the note concerns a prompt. */
  promptId?: string;
  /** True for a warm-up run (run-start). */
  warmup?: boolean;
  cacheState?: CacheState;
  nonceMethod?: NonceMethod;
  /** The prompt as submitted for this run (run-start). */
  prompt?: ApiWorkflow;
  /** Free text for a person. */
  message?: string;
  [key: string]: unknown;
}

export const END_REASONS = ["done", "error", "interrupted", "server-lost", "timeout"] as const;
export type EndReason = (typeof END_REASONS)[number];

/** Last line of a complete log. Its absence means the recording was cut. */
export interface EndLine extends Stamped {
  kind: "end";
  reason: EndReason;
  /** Why, for a person; null when done. */
  message: string | null;
  /** Runs that reached a terminal event (warm-up included). */
  runsCompleted: number;
}

export type LogLine =
  | HeaderLine
  | ProbeHeaderLine
  | WsTextLine
  | WsInvalidLine
  | WsBinaryLine
  | HttpLine
  | StatsLine
  | NoteLine
  | EndLine
  | SentLine
  | SentBinaryLine
  | PromptLine
  | ServerLogLine;

/** Either header: the recorder's or the probe's. */
export type AnyHeaderLine = HeaderLine | ProbeHeaderLine;

export type LogLineKind = LogLine["kind"];

export const LOG_LINE_KINDS: readonly LogLineKind[] = [
  "header",
  "ws",
  "ws-invalid",
  "ws-binary",
  "http",
  "stats",
  "note",
  "end",
  "sent",
  "sent-binary",
  "prompt",
  "server-log",
];
