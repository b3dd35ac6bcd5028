// What a RunBuilder gathers about one prompt, as the finish step (run-finish.ts)
// reads it: a module of its own, so the builder, the finish step and the
// server clock depend on it and not on each other.

import type { ApiWorkflow, CacheState, NonceMethod } from "../model/events.js";
import type { PromptRejection, RawSample, StatsReading } from "../model/exchanges.js";
import type { ServerEvent } from "../model/server-events.js";
import type { NodeIntervals } from "./node-intervals.js";
import type { TimeSource } from "../model/data-quality.js";

export interface RunContext {
  file: string;
  promptId: string;
  run: number | null;
  warmup: boolean;
  cacheState: CacheState | null;
  nonceMethod: NonceMethod | null;
  prompt: ApiWorkflow;
  workflowName: string | null;
  /** Subgraph instance names by id path, from the header's editor workflow. */
  subgraphNames: Record<string, string>;
  label: string | null;
  serverUrl: string | null;
  pollMs: number | null;
  /** Whose clock the log's times are: the recorder's receipt (placed from the evidence, delivery.ts), or the server's own as it sent each message (a probe's log). */
  timeSource: TimeSource;
}

export interface TimedEvent<T> {
  event: T;
  monoMs: number;
  wallMs: number;
}

export type Terminal = TimedEvent<Extract<ServerEvent, { type: "execution_success" | "execution_error" | "execution_interrupted" }>>;

/** Everything the finish step reads; filled by the builder's apply methods. */
export interface RunState {
  ctx: RunContext;
  submit: { sentMonoMs: number; receivedMonoMs: number } | null;
  /** Why the server refused the prompt (POST /prompt), when it did. */
  rejection: PromptRejection | null;
  executionStart: TimedEvent<Extract<ServerEvent, { type: "execution_start" }>> | null;
  cachedNodeIds: string[] | null;
  terminal: Terminal | null;
  blockedErrors: number;
  /** Timestamped run-level messages: receipt wall clock vs server clock. */
  clockSamples: ClockSample[];
  missingServerTimestamps: number;
  nodes: NodeIntervals;
  history: { createTimeMs: number | null; outputsToExecute: string[] | null } | null;
  samples: RawSample[];
  polls: { sentMonoMs: number; receivedMonoMs: number }[];
  latestStats: StatsReading | null;
  /** Server log lines: receipt, and the server's own time of the line when it has one. */
  serverLog: { monoMs: number; serverWallMs: number | null; text: string }[];
  reconnects: number;
  /** WebSocket outages during the run: from the close to the first message after reconnecting (null while open), and the first node message then (the catch-up). */
  blindWindows: { fromMonoMs: number; toMonoMs: number | null; catchUpMonoMs: number | null }[];
  /** Receipt of every WebSocket message of the run, in order (bursts and held-back messages are told from them). */
  receipts: number[];
  firstMonoMs: number | null;
  lastMonoMs: number | null;
  minReceiptStepMs: number | null;
  clockJumps: number;
}

export interface ClockSample {
  /** `log`: a `logs` entry's `t` (server local time, sub-ms; its zone told from the receipt). */
  kind: "start" | "cached" | "terminal" | "log";
  receiptMonoMs: number;
  receiptWallMs: number;
  serverWallMs: number;
}
