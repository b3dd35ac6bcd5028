// What `record` is asked to do (RecordOptions), what it talks to (RecordIO)
// and what it tells (RecordResult, exit codes).

import type { ApiWorkflow, CacheState, EditorWorkflowRecord, EndReason } from "../src/model/events.js";
import type { Clock } from "./clock.js";
import type { LogSink } from "./log-writer.js";
import type { ProgressOutput } from "./progress.js";
import { RECORD_DEFAULTS } from "../src/model/option-defaults.js";

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

/** The command line's defaults (src/model/option-defaults.ts), in the units RecordOptions takes. */
export const DEFAULT_RECORD_OPTIONS = {
  runs: RECORD_DEFAULTS.runs,
  warmup: RECORD_DEFAULTS.warmup,
  cacheState: "model-warm" as CacheState,
  pollMs: RECORD_DEFAULTS.pollMs,
  timeoutMs: msFromSeconds(RECORD_DEFAULTS.timeoutSeconds),
  keepPreviews: false,
  interruptOnExit: false,
  headers: {},
  label: null,
  reconnectTimeoutMs: RECORD_DEFAULTS.reconnectTimeoutSeconds * 1000,
} satisfies Partial<RecordOptions>;

function msFromSeconds(seconds: number | null): number | null {
  return seconds === null ? null : seconds * 1000;
}

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
