// The lines the probe (probe/, a ComfyUI node pack) writes, since log v1.2: its header and the
// line kinds only it writes. Part of LogLine (events.ts); docs/event-log.md "Probe logs". Their
// `wallMs`/`monoMs` are the server's own clocks when it sent the message, not a receipt.

import type { ApiWorkflow, LOG_FORMAT, Stamped } from "./events.js";

/** Why a probe file was opened: the server started, the UTC day changed, the last file reached its size limit. */
export const PROBE_FILE_REASONS = ["start", "day", "size"] as const;
export type ProbeFileReason = (typeof PROBE_FILE_REASONS)[number];

/**
 * First line of every file the probe (probe/, a ComfyUI node pack) writes. Since v1.2. Its lines'
 * `wallMs`/`monoMs` are the server's own clocks when the server sent the message (see `clocks`).
 */
export interface ProbeHeaderLine extends Stamped {
  kind: "header";
  source: "probe";
  format: typeof LOG_FORMAT;
  version: string;
  /** The probe: name ("comfyprof-probe") and version. */
  recorder: { name: string; version: string };
  /** The server the probe runs in. */
  server: {
    hostname: string;
    pid: number;
    /** Listen address and port (ComfyUI's --listen, --port); null when the probe could not read them. */
    address: string | null;
    port: number | null;
    comfyuiVersion: string | null;
    /** Python version, e.g. "3.11.7". */
    python: string;
    argv: string[];
  };
  host: { timeZone: string; utcOffsetMin: number; platform: string };
  /** What `wallMs` and `monoMs` are, in words (the probe's clock calls). */
  clocks: { wallMs: string; monoMs: string };
  /** The probe's settings: sample interval during runs and between them (ms, 0 = none), file size limit (bytes), queue capacity (messages). */
  probe: { pollMs: number; idlePollMs: number; maxBytes: number; queueSize: number };
  /** This file in the probe's series: 1 for the first since the server started; the previous file's name. */
  file: { index: number; reason: ProbeFileReason; previous: string | null };
  label: string | null;
}

/** A message the server sent (probe, since v1.2): ComfyUI's `{type, data}` as passed to PromptServer.send_sync. */
export interface SentLine extends Stamped {
  kind: "sent";
  /** The client it was sent to; null: to every connected client. */
  sid: string | null;
  msg: unknown;
}

/** A binary frame the server sent (probe, since v1.2), summarized: never its bytes. */
export interface SentBinaryLine extends Stamped {
  kind: "sent-binary";
  sid: string | null;
  /** The frame's type on the wire (1 preview, 3 text, 4 preview with metadata). */
  eventType: number;
  /** Frame size, bytes; null when the server had not encoded the image yet (previews are encoded after send_sync). */
  bytes: number | null;
  /** Type 1: 1 JPEG, 2 PNG; type 4: the MIME type; else null. */
  imageFormat: number | string | null;
  nodeId: string | null;
  /** Type 4 metadata as the node sent it; null otherwise. */
  meta: unknown;
}

/**
 * The prompt the executor took (probe, since v1.2), written just before its execution_start:
 * from the server's queue item. Only `create_time` of its extra_data (the rest may hold tokens).
 */
export interface PromptLine extends Stamped {
  kind: "prompt";
  promptId: string;
  /** The queue number ComfyUI gave it; null when absent. */
  number: number | null;
  /** The client the server sends its messages to; null when submitted without one. */
  clientId: string | null;
  prompt: ApiWorkflow;
  outputsToExecute: string[] | null;
  /** extra_data.create_time: when it was queued, epoch ms, server wall clock; null when absent. */
  createTimeMs: number | null;
}

/**
 * The server's own output since its last flush (probe, since v1.2), as ComfyUI's log buffer holds
 * it, recorded once whether or not a client subscribed (a subscribed client's `logs` messages are
 * copies of it and are not recorded as `sent`).
 */
export interface ServerLogLine extends Stamped {
  kind: "server-log";
  /** `t`: the server's local time, ISO 8601 without a zone; `m`: the text written. */
  entries: { t: string; m: string }[];
}
