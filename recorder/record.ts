// `comfyprof record`: submit a workflow (once, N times after K warm-ups, or
// cold) and write everything the server says to an event log. It records; it
// does not interpret. Phases: connect → (per run: prepare, submit, follow,
// history) → final stats and node info → end record.

import { randomInt as cryptoRandomInt, randomUUID } from "node:crypto";
import type { EndReason } from "../src/model/events.js";
import { LOG_FORMAT, LOG_VERSION_STRING } from "../src/model/events.js";
import { createClock, type Clock } from "./clock.js";
import { EXIT_CODES, type RecordIO, type RecordOptions, type RecordResult } from "./record-options.js";
import { ComfyHttp, ServerUnreachableError, summarizeBody } from "./comfy-http.js";
import { ComfySocket } from "./comfy-socket.js";
import { LogWriter } from "./log-writer.js";
import { ProgressDisplay } from "./progress.js";
import { RunTracker, type RunEnd } from "./run-tracker.js";
import { parseServerUrl, wsUrl } from "./server-url.js";
import { nodeClasses, prepareRun } from "./workflow.js";
import { formatValidationError } from "./validation-error.js";
import { StatsPoller } from "./stats-poller.js";
import { RECORDER_VERSION } from "./version.js";

export { DEFAULT_RECORD_OPTIONS, EXIT_CODES, type RecordIO, type RecordOptions, type RecordResult } from "./record-options.js";

/** Tries between "history is written" and "history is readable" (it is written before executing null). */
const HISTORY_RETRIES = 5;
const HISTORY_RETRY_MS = 100;
/**
 * Wait after POST /free before submitting. The server's worker thread applies
 * the flag when it wakes; a prompt queued before it wakes runs first, with the
 * caches intact (seen on ComfyUI 0.21, CPU: a "cold" run with every node
 * cached). The cache-check note still verifies each cold run.
 */
const COLD_SETTLE_MS = 250;
const RECONNECT_FIRST_DELAY_MS = 250;
const RECONNECT_MAX_DELAY_MS = 4_000;

class StopRecording extends Error {
  constructor(
    readonly reason: EndReason,
    message: string,
  ) {
    super(message);
  }
}

export async function record(options: RecordOptions, io: RecordIO): Promise<RecordResult> {
  const session = new RecordingSession(options, io);
  return session.run();
}

class RecordingSession {
  private readonly clock: Clock;
  private readonly log: LogWriter;
  private readonly http: ComfyHttp;
  private readonly socket: ComfySocket;
  private readonly poller: StatsPoller;
  private readonly progress: ProgressDisplay;
  private readonly clientId: string;
  private tracker: RunTracker | null = null;
  private runsCompleted = 0;
  /** Runs the server lost (it restarted mid-run): the recording goes on, but the exit code says so. */
  private runsLost = 0;
  private reconnecting: Promise<boolean> | null = null;
  private stopWith: ((err: StopRecording) => void) | null = null;

  constructor(
    private readonly options: RecordOptions,
    private readonly io: RecordIO,
  ) {
    const urls = parseServerUrl(options.url);
    this.clock = io.clock ?? createClock();
    this.clientId = io.clientId ?? randomUUID();
    this.log = new LogWriter(io.sink, this.clock);
    const headers = { ...options.headers };
    if (urls.basicAuth && !Object.keys(headers).some((h) => h.toLowerCase() === "authorization")) {
      headers.Authorization = `Basic ${urls.basicAuth}`;
    }
    this.http = new ComfyHttp(urls, headers, this.log);
    this.progress = new ProgressDisplay(io.progress, () => this.clock.monoMs());
    this.socket = new ComfySocket(wsUrl(urls, this.clientId), headers, this.log, options.keepPreviews, {
      onMessage: (msg) => this.tracker?.handle(msg),
      onLost: () => void this.onSocketLost(),
    });
    this.poller = new StatsPoller(this.http, options.pollMs);
    this.writeHeader(urls.loggable);
  }

  async run(): Promise<RecordResult> {
    const onAbort = () => {
      const by = this.io.signal?.reason;
      this.stop(new StopRecording("interrupted", `stopped by ${typeof by === "string" ? by : "the user (signal)"}`));
    };
    this.io.signal?.addEventListener("abort", onAbort, { once: true });
    let result: RecordResult;
    try {
      const stopped = new Promise<never>((_, reject) => (this.stopWith = reject));
      stopped.catch(() => undefined);
      if (this.io.signal?.aborted) onAbort();
      await Promise.race([this.recordAll(), stopped]);
      result = this.finish("done", null);
    } catch (err) {
      result = await this.handleStop(err);
    } finally {
      this.io.signal?.removeEventListener("abort", onAbort);
      this.poller.stop();
      this.socket.close();
    }
    return result;
  }

  private writeHeader(serverUrl: string): void {
    const { options } = this;
    const start = new Date(this.clock.wallMs());
    this.log.write({
      kind: "header",
      format: LOG_FORMAT,
      version: LOG_VERSION_STRING,
      recorder: { name: "comfyprof", version: RECORDER_VERSION, node: process.version },
      serverUrl,
      clientId: this.clientId,
      workflow: { sourceName: options.workflowSourceName, prompt: options.workflow, ...(options.editor ? { editor: options.editor } : {}) },
      plan: {
        runs: options.runs,
        warmup: options.warmup,
        cacheState: options.cacheState,
        pollMs: options.pollMs,
        keepPreviews: options.keepPreviews,
        timeoutMs: options.timeoutMs,
        interruptOnExit: options.interruptOnExit,
      },
      host: {
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        utcOffsetMin: -start.getTimezoneOffset(),
        platform: `${process.platform}-${process.arch}`,
      },
      label: options.label,
    });
  }

  private async recordAll(): Promise<void> {
    await this.connect();
    const total = this.options.warmup + this.options.runs;
    for (let run = 0; run < total; run++) await this.recordRun(run);
    this.poller.stop();
    await this.http.pollStats();
    for (const classType of nodeClasses(this.options.workflow)) {
      await this.http.request("GET", `/object_info/${encodeURIComponent(classType)}`);
    }
  }

  private async connect(): Promise<void> {
    const first = await this.http.statsReply();
    const url = parseServerUrl(this.options.url).loggable;
    if ("error" in first) {
      throw new StopRecording("server-lost", `cannot reach ComfyUI at ${url} (${first.error}). Is the server running, and is --url (or COMFY_URL) right?`);
    }
    if (first.status !== 200) {
      const said = summarizeBody(first.body);
      throw new StopRecording("error", `ComfyUI at ${url} answered GET /system_stats with HTTP ${first.status}${said ? `: ${said}` : ""}; the server is up but failing (see its console)`);
    }
    try {
      await this.socket.open();
    } catch (err) {
      throw new StopRecording("server-lost", `the WebSocket /ws did not open: ${(err as Error).message}`);
    }
    this.socket.send({ type: "feature_flags", data: { supports_preview_metadata: true } });
    await this.subscribeLogs();
    this.poller.start();
  }

  /** Asks for the server's own log lines (model loading shows there); older servers answer 404, which is fine. */
  private async subscribeLogs(): Promise<void> {
    const reply = await this.http.request("PATCH", "/internal/logs/subscribe", { clientId: this.clientId, enabled: true });
    this.log.write({ kind: "note", note: "logs-subscribed", message: reply.status === 200 ? "subscribed" : `not available (HTTP ${reply.status})` });
  }

  private async recordRun(run: number): Promise<void> {
    const { options } = this;
    const warmup = run < options.warmup;
    const index = warmup ? run : run - options.warmup;
    if (this.reconnecting && !(await this.reconnecting)) throw this.serverLost();
    if (options.cacheState === "cold") {
      await this.http.request("POST", "/free", { free_memory: true, unload_models: true });
      this.log.write({ kind: "note", note: "free", run, message: "POST /free before a cold run (the server does not acknowledge it)" });
      await sleep(COLD_SETTLE_MS);
    }
    const prepared = prepareRun(options.workflow, options.cacheState, this.io.randomInt ?? cryptoRandomInt);
    const promptId = randomUUID();
    this.log.write({
      kind: "note", note: "run-start", run, promptId, warmup, cacheState: options.cacheState,
      nonceMethod: prepared.nonceMethod, prompt: prepared.prompt,
    });
    this.progress.runStarted(index, options.runs, warmup);
    const tracker = new RunTracker(promptId, {
      nodeStarted: (nodeId, display) => {
        const node = options.workflow[nodeId] ?? (display ? options.workflow[display] : undefined);
        this.progress.nodeStarted(nodeId, node?._meta?.title, node?.class_type);
      },
      stepped: (value, max) => this.progress.stepped(value, max),
    });
    this.tracker = tracker;
    const reply = await this.http.request("POST", "/prompt", { prompt: prepared.prompt, client_id: this.clientId, prompt_id: promptId });
    if (reply.status !== 200) {
      this.tracker = null;
      const text = formatValidationError(reply.status, reply.body, options.workflow);
      this.progress.say(text);
      throw new StopRecording("error", text.split("\n")[0]!);
    }
    const end = await this.awaitRunEnd(tracker, run);
    this.tracker = null;
    if (end.via === "ws") await this.fetchHistory(promptId);
    if (end.via !== "lost") this.runsCompleted++;
    else this.runsLost++;
    if (options.cacheState === "cold" && end.via === "ws") this.checkCold(run, promptId, tracker.cachedNodes);
    this.log.write({
      kind: "note", note: "run-end", run, promptId, outcome: end.outcome, via: end.via,
      ...(end.nodeId ? { nodeId: end.nodeId } : {}), ...(end.message ? { message: end.message } : {}),
    });
    this.progress.runEnded(describeEnd(end));
  }

  private async awaitRunEnd(tracker: RunTracker, run: number): Promise<RunEnd> {
    const timeoutMs = this.options.timeoutMs;
    if (timeoutMs === null) return tracker.ended;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.log.write({ kind: "note", note: "timeout", run, promptId: tracker.promptId, message: `no end after ${timeoutMs} ms` });
        reject(new StopRecording("timeout", `run ${run + 1} did not finish within --timeout (${timeoutMs / 1000} s)`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([tracker.ended, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async fetchHistory(promptId: string): Promise<void> {
    for (let attempt = 0; attempt < HISTORY_RETRIES; attempt++) {
      const reply = await this.http.request("GET", `/history/${encodeURIComponent(promptId)}`);
      if (reply.status === 200 && hasKey(reply.body, promptId)) return;
      await sleep(HISTORY_RETRY_MS);
    }
  }

  private checkCold(run: number, promptId: string, cachedNodes: string[] | null): void {
    const cached = cachedNodes ?? [];
    this.log.write({
      kind: "note", note: "cache-check", run, promptId, cachedNodes: cached, ok: cached.length === 0,
      message: cached.length === 0 ? "cold run: no node was cached" : `cold run, but ${cached.length} node(s) were cached: ${cached.join(", ")}`,
    });
    if (cached.length > 0) this.progress.say(`warning: cold run ${run + 1} still had cached nodes: ${cached.join(", ")}`);
  }

  private async onSocketLost(): Promise<void> {
    if (this.reconnecting || this.log.isEnded) return;
    this.progress.say("WebSocket lost; reconnecting…");
    this.reconnecting = this.reconnect();
    const ok = await this.reconnecting;
    this.reconnecting = null;
    if (!ok) {
      this.stop(this.serverLost());
      return;
    }
    const tracker = this.tracker;
    if (tracker && !tracker.isSettled) await this.recoverRun(tracker);
  }

  private async reconnect(): Promise<boolean> {
    const deadline = this.clock.monoMs() + this.options.reconnectTimeoutMs;
    let delayMs = RECONNECT_FIRST_DELAY_MS;
    for (let attempt = 1; this.clock.monoMs() < deadline && !this.log.isEnded; attempt++) {
      await sleep(Math.min(delayMs, Math.max(0, deadline - this.clock.monoMs())));
      try {
        await this.socket.open();
        this.log.write({ kind: "note", note: "reconnect", attempt, ok: true });
        this.socket.send({ type: "feature_flags", data: { supports_preview_metadata: true } });
        await this.subscribeLogs();
        return true;
      } catch (err) {
        this.log.write({ kind: "note", note: "reconnect", attempt, ok: false, message: (err as Error).message });
        delayMs = Math.min(delayMs * 2, RECONNECT_MAX_DELAY_MS);
      }
    }
    return false;
  }

  /** After a reconnect: the run may have ended while we were away (history has it) or been lost with a restart. */
  private async recoverRun(tracker: RunTracker): Promise<void> {
    try {
      const history = await this.http.request("GET", `/history/${encodeURIComponent(tracker.promptId)}`);
      if (hasKey(history.body, tracker.promptId)) {
        tracker.finishFromHistory((history.body as Record<string, unknown>)[tracker.promptId]);
        return;
      }
      const queue = await this.http.request("GET", "/queue");
      if (queueHas(queue.body, tracker.promptId)) return;
      this.log.write({ kind: "note", note: "run-lost", promptId: tracker.promptId, message: "after reconnecting, the prompt is in neither /history nor /queue (the server restarted?)" });
      tracker.finishLost("the server lost the prompt (restarted?)");
    } catch (err) {
      if (err instanceof ServerUnreachableError) void this.onSocketLost();
      else throw err;
    }
  }

  private serverLost(): StopRecording {
    return new StopRecording("server-lost", `lost the server and could not reconnect within ${this.options.reconnectTimeoutMs / 1000} s`);
  }

  private stop(err: StopRecording): void {
    this.stopWith?.(err);
  }

  private async handleStop(err: unknown): Promise<RecordResult> {
    if (!(err instanceof StopRecording)) {
      if (err instanceof ServerUnreachableError) err = new StopRecording("server-lost", `the server stopped answering: ${err.message}`);
      else err = new StopRecording("error", `recorder failure: ${(err as Error).stack ?? String(err)}`);
    }
    const stop = err as StopRecording;
    if (stop.reason === "interrupted") this.log.write({ kind: "note", note: "signal", message: stop.message });
    const inFlight = this.tracker && !this.tracker.isSettled ? this.tracker : null;
    if (inFlight && this.options.interruptOnExit && (stop.reason === "interrupted" || stop.reason === "timeout")) {
      try {
        await this.http.request("POST", "/interrupt", { prompt_id: inFlight.promptId });
        this.log.write({ kind: "note", note: "interrupt-sent", promptId: inFlight.promptId });
      } catch {
        // The server is gone; the end record below says why we stopped.
      }
    }
    return this.finish(stop.reason, stop.message);
  }

  private finish(reason: EndReason, message: string | null): RecordResult {
    // Every planned run was submitted, but the server lost some (a restart): not a clean "done".
    if (reason === "done" && this.runsLost > 0) {
      reason = "server-lost";
      message = `the server lost ${this.runsLost} run(s) (it restarted?); ${this.runsCompleted} completed`;
    }
    this.poller.stop();
    this.progress.stopTicker();
    this.log.end(reason, message, this.runsCompleted);
    if (reason !== "done") this.progress.say(`recording ended (${reason}): ${message ?? ""}`);
    return { reason, message, runsCompleted: this.runsCompleted, exitCode: EXIT_CODES[reason] };
  }
}

function describeEnd(end: RunEnd): string {
  const via = end.via === "history" ? " (end recovered from /history)" : "";
  if (end.via === "lost") return `lost: ${end.message ?? ""}`;
  if (end.outcome === "error") return `execution error at node ${end.nodeId ?? "?"}: ${end.message ?? ""}${via}`;
  if (end.outcome === "interrupted") return `interrupted${end.nodeId ? ` at node ${end.nodeId}` : ""}${via}`;
  return `${end.outcome}${via}`;
}

function hasKey(body: unknown, key: string): boolean {
  return body !== null && typeof body === "object" && key in body;
}

function queueHas(body: unknown, promptId: string): boolean {
  const q = body as { queue_running?: unknown[]; queue_pending?: unknown[] } | null;
  const items = [...(q?.queue_running ?? []), ...(q?.queue_pending ?? [])];
  return items.some((item) => Array.isArray(item) && item[1] === promptId);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
