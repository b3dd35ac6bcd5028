// The scripted server's contract: what a run script, the server's options
// and its handle for tests look like (./protocol-server.ts serves them).

import type { ViewSource } from "./view-route.js";
import type { FileRef } from "./recorded-images.js";

/** What a scripted message is built from, at the moment it is sent. */
export interface EventContext {
  promptId: string;
  clientId: string | null;
  /** Server wall clock, epoch ms (what ComfyUI puts in `timestamp`). */
  nowMs: number;
  /** Server wall clock when the run started playing (its events' atMs count from here). */
  runStartMs: number;
  /** The prompt as submitted. */
  prompt: Record<string, unknown>;
}

export interface ScriptedEvent {
  /** When to send it, ms after the run starts executing. */
  atMs: number;
  /** A JSON message ({type, data}) or a binary frame. */
  message: (ctx: EventContext) => unknown;
}

export interface RunScript {
  events: ScriptedEvent[];
  /** /system_stats while this run plays, `elapsedMs` after it started; the server-wide answer when absent. */
  statsAt?: (elapsedMs: number) => unknown;
  /** The /history entry, stored just before `executing {node: null}` is sent. */
  history: (ctx: EventContext & { createTimeMs: number; interrupted: boolean }) => unknown;
}

export type PromptDecision = { script: RunScript } | { reject: { status: number; body: unknown } };

export interface ProtocolServerOptions {
  port?: number;
  host?: string;
  /** Decides what a POST /prompt does: play a script, or reject it. */
  onPrompt: (body: { prompt: Record<string, unknown>; client_id?: string; prompt_id?: string }) => PromptDecision;
  /** The /system_stats reply at this moment. */
  systemStats: () => unknown;
  /** /object_info, all classes. */
  objectInfo?: () => Record<string, unknown>;
  /** GET /view of a file the server did not receive by upload; null is a 404. */
  viewFile?: (ref: FileRef) => ViewSource | null;
  /** Required request header (name lower-case) for every HTTP request and the WebSocket. */
  requireHeader?: { name: string; value: string };
  faults?: ServerFaults;
}

export interface ServerFaults {
  /** Close each client's socket after it was sent this many events (once per client). */
  dropWsAfter?: number;
  /** After this many events of a run, "restart": drop sockets, forget queue and history, refuse connections for restartDowntimeMs. */
  restartAfter?: number;
  /** Default REPLAY_DEFAULTS.restartDowntimeMs. */
  restartDowntimeMs?: number;
  /** Added to every HTTP reply. */
  latencyMs?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  atMs: number;
}

export interface ProtocolServer {
  url: string;
  port: number;
  /** Every HTTP request received, in order. */
  requests: ReceivedRequest[];
  /** Sockets opened, by client id, in order. */
  connections: string[];
  close(): Promise<void>;
}
