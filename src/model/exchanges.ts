// The HTTP exchanges and /system_stats polls of a log, as ingest gives them to
// the fold: typed, each with its line and receipt times. The fold never sees a
// raw payload; what replay must serve again is kept beside the typed fields.

import type { HttpLine, StatsLine } from "./events.js";
import type { DeviceInfo, MemorySample, ValidationError } from "./profile.js";

interface LineTimes {
  /** 1-based line in the log file. */
  lineNo: number;
  /** When the reply was read (receipt wall and monotonic ms). */
  wallMs: number;
  monoMs: number;
  /** monoMs when the request was sent. */
  sentMonoMs: number;
}

/** POST /prompt: the prompt's id, and why the server refused it when it did. */
export interface PromptReplyEvent extends LineTimes {
  kind: "prompt-reply";
  /** The id we chose (request) or the server gave (reply); null when neither says. */
  promptId: string | null;
  /** HTTP status; null when no reply came. */
  status: number | null;
  /** Set when the server refused the prompt (a status other than 200). */
  rejection: PromptRejection | null;
  /** The reply body as sent (replay serves a recorded refusal again). */
  body: unknown;
}

export interface PromptRejection {
  status: number;
  /** `error.type`, e.g. "prompt_outputs_failed_validation". */
  errorType: string | null;
  /** "HTTP 400: <message>: <details>". */
  message: string;
  validationErrors: ValidationError[];
}

/** GET /history/{id} with the prompt's entry. */
export interface HistoryEvent extends LineTimes {
  kind: "history";
  promptId: string;
  /** `prompt[3].create_time`: when the server queued it (its wall clock), or null. */
  createTimeMs: number | null;
  /** `prompt[4]`: the output nodes it was asked to run, or null. */
  outputsToExecute: string[] | null;
  /** The entry as sent (replay serves it again). */
  entry: unknown;
}

/** GET /object_info or /object_info/{class}: node class definitions by class. */
export interface ObjectInfoEvent extends LineTimes {
  kind: "object-info";
  classes: Record<string, unknown>;
}

/** Any other exchange (/free, /interrupt, /queue, the log subscription): as recorded. */
export type HttpExchangeEvent = HttpLine & { lineNo: number };

/** A /system_stats poll: what it says, or null when it failed. */
export interface SystemStatsEvent extends LineTimes {
  kind: "stats";
  reading: StatsReading | null;
  /** The reply as sent (replay serves it again); null when it failed. */
  body: unknown;
  /** Transport error text when no reply came. */
  error: StatsLine["error"];
}

/** A memory sample on the recorder's monotonic clock (the fold makes it run-relative). */
export interface RawSample extends Omit<MemorySample, "atMs"> {
  atMonoMs: number;
}

export interface StatsReading {
  sample: RawSample;
  sentMonoMs: number;
  receivedMonoMs: number;
  system: SystemInfo;
  devices: DeviceInfo[];
}

export interface SystemInfo {
  os: string | null;
  comfyuiVersion: string | null;
  pythonVersion: string | null;
  pytorchVersion: string | null;
  argv: string[] | null;
  ramTotalBytes: number | null;
}
