// What `record` is asked to do (RecordOptions), what it talks to (RecordIO)
// and what it tells (RecordResult, exit codes).

import type { ApiWorkflow, CacheState, EditorWorkflowRecord, EndReason } from "../src/model/events.js";
import type { Clock } from "./clock.js";
import type { LogSink } from "./log-writer.js";
import type { ProgressOutput } from "./progress.js";

export interface RecordOptions {
  url: string;
  workflow: ApiWorkflow;
  /** The editor workflow `workflow` was converted from, written into the log's header; absent for an API-format file. */
  editor?: EditorWorkflowRecord;
  /** File name the workflow came from (not the path), or null. */
  workflowSourceName: string | null;
  runs: number;
  warmup: number;
  cacheState: CacheState;
  pollMs: number;
  /** Per-run limit from submit to the end; null for none. */
  timeoutMs: number | null;
  keepPreviews: boolean;
  interruptOnExit: boolean;
  /** Extra request headers (auth). Sent, never logged. */
  headers: Record<string, string>;
  label: string | null;
  /** How long to keep trying to reconnect a lost WebSocket before giving up. */
  reconnectTimeoutMs: number;
}

export const DEFAULT_RECORD_OPTIONS = {
  runs: 1,
  warmup: 0,
  cacheState: "model-warm" as CacheState,
  pollMs: 500,
  timeoutMs: null,
  keepPreviews: false,
  interruptOnExit: false,
  headers: {},
  label: null,
  reconnectTimeoutMs: 60_000,
} satisfies Partial<RecordOptions>;

export interface RecordIO {
  sink: LogSink;
  /** Where the human progress goes (stderr); null for --quiet. */
  progress: ProgressOutput | null;
  /** Aborted on Ctrl-C: the log is closed with an `interrupted` end record. */
  signal?: AbortSignal;
  clock?: Clock;
  randomInt?: (maxExclusive: number) => number;
  clientId?: string;
}

export interface RecordResult {
  reason: EndReason;
  message: string | null;
  runsCompleted: number;
  exitCode: number;
}

export const EXIT_CODES: Record<EndReason, number> = {
  done: 0,
  "server-lost": 2,
  error: 3,
  timeout: 4,
  interrupted: 130,
};
