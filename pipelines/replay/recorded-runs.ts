// A recording, read back as what the server did for each prompt: the
// messages it sent (with their recorded spacing), its /history entry, its
// /system_stats replies over time, or its refusal (HTTP 400). The replay
// server plays these to a new client.

import type { ApiWorkflow, WsBinaryLine } from "../../src/model/events.js";
import { createLogParser } from "../../src/ingest/index.js";
import type { HeaderEvent, LogEvent } from "../../src/model/server-events.js";
import { displayName, readLogLines } from "../read-log.js";

export interface RecordedMessage {
  /** ms after the prompt was accepted (the POST /prompt reply). */
  atMs: number;
  /** A text message's JSON, or a binary frame. */
  message: unknown;
}

export interface RecordedRun {
  promptId: string;
  prompt: ApiWorkflow;
  /** Set when the server refused the prompt. */
  rejection: { status: number; body: unknown } | null;
  messages: RecordedMessage[];
  history: unknown;
  /** /system_stats replies with when they describe, ms after acceptance (may be negative). */
  stats: { atMs: number; body: unknown }[];
  /**
   * The server stamp that corresponds to the moment of acceptance (atMs 0), from
   * the run's least-delayed stamped message: replayed stamps keep their
   * recorded relation to the message timing, held-back messages included.
   */
  stampOriginMs: number | null;
}

export interface Recording {
  file: string;
  runs: RecordedRun[];
  /** /object_info entries the recording fetched, by class. */
  objectInfo: Record<string, unknown>;
  /** Every /system_stats reply, for the times no run plays. */
  stats: unknown[];
}

/**
 * Reads a log into its runs, through the same validating parser as `analyze`
 * (src/ingest): a log analyze refuses is refused here with the same
 * LogFormatError; with `lenient`, the lines analyze would skip are skipped.
 * The typed events keep what replay sends again: each message as recorded,
 * the history entry, the refusal's body, the /system_stats replies.
 */
export async function readRecording(path: string, options: { lenient?: boolean; stdin?: NodeJS.ReadableStream } = {}): Promise<Recording> {
  const parser = createLogParser({ fileName: displayName(path), lenient: options.lenient ?? false, keepUnusableMessages: true });
  const events: LogEvent[] = [];
  const reader = readLogLines(path, { stdin: options.stdin });
  for (;;) {
    const next = await reader.next();
    if (next.done) {
      parser.finish(next.value);
      break;
    }
    const event = parser.push(next.value.text, next.value.lineNo);
    if (event !== null) events.push(event);
  }
  const header = events.find((e): e is HeaderEvent => e.kind === "header");
  const objectInfo: Record<string, unknown> = {};
  const stats: { monoMs: number; body: unknown }[] = [];
  for (const e of events) {
    if (e.kind === "object-info") Object.assign(objectInfo, e.classes);
    if (e.kind === "stats" && e.reading) stats.push({ monoMs: (e.sentMonoMs + e.monoMs) / 2, body: e.body });
  }
  const runs: RecordedRun[] = [];
  events.forEach((e, i) => {
    if (e.kind === "note" && e.note === "run-start" && typeof e.promptId === "string") {
      // Runs are the recorder's: a probe's log has no run-start notes, and so no run to replay.
      const headerPrompt = header && header.source !== "probe" ? header.workflow.prompt : undefined;
      runs.push(readRun(events, i, e.promptId, e.prompt ?? headerPrompt ?? {}, stats));
    }
  });
  return { file: path, runs, objectInfo, stats: stats.map((s) => s.body) };
}

function readRun(events: LogEvent[], from: number, promptId: string, prompt: ApiWorkflow, stats: { monoMs: number; body: unknown }[]): RecordedRun {
  const run: RecordedRun = { promptId, prompt, rejection: null, messages: [], history: {}, stats: [], stampOriginMs: null };
  let minOffsetMs = Infinity;
  let acceptedMonoMs: number | null = null;
  let lastMonoMs = Infinity;
  // The server may send a message about the prompt (execution_start) before the recorder reads the reply
  // to POST /prompt: it is the run's, at a negative time (sent as soon as the replay accepts the prompt).
  const early: LogEvent[] = [];
  const takeMessage = (e: LogEvent, accepted: number): void => {
    const atMs = e.monoMs - accepted;
    if (e.kind === "ws") {
      // The server's own status messages are made by the replay server from its queue.
      if (e.event.type === "status") return;
      const pid = "promptId" in e.event ? e.event.promptId : messagePromptId(e.raw);
      if (pid !== null && pid !== undefined && pid !== promptId) return;
      const stamp = "serverWallMs" in e.event ? e.event.serverWallMs : null;
      if (stamp !== null && e.wallMs - stamp < minOffsetMs) {
        // stamp + offset − (wall − mono) is the stamp on the recorder's monotonic clock.
        minOffsetMs = e.wallMs - stamp;
        run.stampOriginMs = accepted + (e.wallMs - e.monoMs) - minOffsetMs;
      }
      run.messages.push({ atMs, message: e.raw });
    } else if (e.kind === "ws-binary") {
      run.messages.push({ atMs, message: binaryFrame(e) });
    }
  };
  for (let i = from + 1; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind === "note" && (e.note === "run-end" || e.note === "run-start") && e.promptId !== promptId) break;
    if (e.kind === "note" && e.note === "run-end") {
      lastMonoMs = e.monoMs;
      break;
    }
    if (e.kind === "prompt-reply") {
      if (e.rejection) run.rejection = { status: e.rejection.status, body: e.body };
      acceptedMonoMs = e.monoMs;
      for (const before of early) takeMessage(before, acceptedMonoMs);
      early.length = 0;
      continue;
    }
    if (acceptedMonoMs === null) {
      if (e.kind === "ws" && "promptId" in e.event && e.event.promptId === promptId) early.push(e);
      continue;
    }
    if (e.kind === "history") {
      if (e.promptId === promptId) run.history = e.entry;
      continue;
    }
    takeMessage(e, acceptedMonoMs);
  }
  if (acceptedMonoMs !== null) {
    const base = acceptedMonoMs;
    run.stats = stats.filter((s) => s.monoMs <= lastMonoMs).map((s) => ({ atMs: s.monoMs - base, body: s.body }));
  }
  return run;
}

/** The prompt id of a message the analysis could not read (as recorded), if it has one. */
function messagePromptId(raw: unknown): string | undefined {
  const data = (raw as { data?: { prompt_id?: unknown } } | null)?.data;
  return typeof data?.prompt_id === "string" ? data.prompt_id : undefined;
}

/** The recorded frame if it was kept (--keep-previews), else one of the same type, size and node. */
function binaryFrame(l: WsBinaryLine): Buffer {
  if (typeof l.base64 === "string") return Buffer.from(l.base64, "base64");
  const bytes = typeof l.bytes === "number" ? l.bytes : 8;
  const frame = Buffer.alloc(Math.max(bytes, 8));
  frame.writeUInt32BE(typeof l.eventType === "number" ? l.eventType : 1, 0);
  if (l.eventType === 4 && l.meta && typeof l.meta === "object") {
    const meta = Buffer.from(JSON.stringify(l.meta));
    frame.writeUInt32BE(meta.length, 4);
    const whole = Buffer.concat([frame.subarray(0, 8), meta, Buffer.alloc(Math.max(0, bytes - 8 - meta.length))]);
    return whole;
  }
  frame.writeUInt32BE(typeof l.imageFormat === "number" ? l.imageFormat : 2, 4);
  return frame;
}
