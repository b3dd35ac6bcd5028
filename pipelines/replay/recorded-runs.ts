// A recording, read back as what the server did for each prompt: the
// messages it sent (with their recorded spacing), its /history entry, its
// /system_stats replies over time, or its refusal (HTTP 400). The replay
// server plays these to a new client.

import type { ApiWorkflow } from "../../src/model/events.js";
import { createLogParser, parseLogLine } from "../../src/ingest/index.js";
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

interface Line {
  kind: string;
  monoMs: number;
  [key: string]: unknown;
}

/**
 * Reads a log into its runs, through the same validating parser as `analyze`
 * (src/ingest): a log analyze refuses is refused here with the same
 * LogFormatError; with `lenient`, the lines analyze would skip are skipped.
 */
export async function readRecording(path: string, options: { lenient?: boolean; stdin?: NodeJS.ReadableStream } = {}): Promise<Recording> {
  const parser = createLogParser({ fileName: displayName(path), lenient: options.lenient ?? false });
  const lines: Line[] = [];
  const reader = readLogLines(path, { stdin: options.stdin });
  for (;;) {
    const next = await reader.next();
    if (next.done) {
      parser.finish(next.value);
      break;
    }
    const { text, lineNo } = next.value;
    const event = parser.push(text, lineNo);
    // A WebSocket message the analysis cannot use (no prompt_id…) is still what the server sent: replay it.
    if (event !== null || parseLogLine(text, lineNo).status === "invalid-ws-message") lines.push(JSON.parse(text) as Line);
  }
  const header = lines.find((l) => l.kind === "header") as unknown as { workflow?: { prompt?: ApiWorkflow } } | undefined;
  const objectInfo: Record<string, unknown> = {};
  const stats: { monoMs: number; body: unknown }[] = [];
  for (const l of lines) {
    if (l.kind === "http" && typeof l.path === "string" && l.path.startsWith("/object_info/") && l.status === 200 && l.response && typeof l.response === "object") {
      Object.assign(objectInfo, l.response);
    }
    if (l.kind === "stats" && l.status === 200) stats.push({ monoMs: ((l.sentMonoMs as number) + l.monoMs) / 2, body: l.response });
  }
  const runs: RecordedRun[] = [];
  lines.forEach((l, i) => {
    if (l.kind === "note" && l.note === "run-start" && typeof l.promptId === "string") {
      runs.push(readRun(lines, i, l.promptId, (l.prompt as ApiWorkflow | undefined) ?? header?.workflow?.prompt ?? {}, stats));
    }
  });
  return { file: path, runs, objectInfo, stats: stats.map((s) => s.body) };
}

function readRun(lines: Line[], from: number, promptId: string, prompt: ApiWorkflow, stats: { monoMs: number; body: unknown }[]): RecordedRun {
  const run: RecordedRun = { promptId, prompt, rejection: null, messages: [], history: {}, stats: [], stampOriginMs: null };
  let minOffsetMs = Infinity;
  let acceptedMonoMs: number | null = null;
  let lastMonoMs = Infinity;
  for (let i = from + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.kind === "note" && (l.note === "run-end" || l.note === "run-start") && l.promptId !== promptId) break;
    if (l.kind === "note" && l.note === "run-end") {
      lastMonoMs = l.monoMs;
      break;
    }
    if (l.kind === "http" && l.method === "POST" && /\/prompt$/.test(String(l.path))) {
      if (l.status !== 200 && l.status !== null) run.rejection = { status: l.status as number, body: l.response };
      acceptedMonoMs = l.monoMs;
      continue;
    }
    if (acceptedMonoMs === null) continue;
    if (l.kind === "http" && String(l.path).startsWith("/history/")) {
      const body = l.response as Record<string, unknown> | null;
      if (body && promptId in body) run.history = body[promptId];
      continue;
    }
    const atMs = l.monoMs - acceptedMonoMs;
    if (l.kind === "ws") {
      const msg = l.msg as { type?: string; data?: Record<string, unknown> };
      // The server's own status messages are made by the replay server from its queue.
      if (msg?.type === "status") continue;
      const pid = msg?.data?.prompt_id;
      if (pid !== undefined && pid !== promptId) continue;
      const stamp = msg?.data?.timestamp;
      if (typeof stamp === "number" && typeof l.wallMs === "number" && l.wallMs - stamp < minOffsetMs) {
        // stamp + offset − (wall − mono) is the stamp on the recorder's monotonic clock.
        minOffsetMs = l.wallMs - stamp;
        run.stampOriginMs = acceptedMonoMs + (l.wallMs - l.monoMs) - minOffsetMs;
      }
      run.messages.push({ atMs, message: msg });
    } else if (l.kind === "ws-binary") {
      run.messages.push({ atMs, message: binaryFrame(l) });
    }
  }
  if (acceptedMonoMs !== null) {
    const base = acceptedMonoMs;
    run.stats = stats.filter((s) => s.monoMs <= lastMonoMs).map((s) => ({ atMs: s.monoMs - base, body: s.body }));
  }
  return run;
}

/** The recorded frame if it was kept (--keep-previews), else one of the same type, size and node. */
function binaryFrame(l: Line): Buffer {
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
