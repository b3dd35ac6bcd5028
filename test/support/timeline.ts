// A small builder of LogEvents (what src/fold/ folds) for ground-truth tests,
// as clinic's test/generate-trace-event.js is for its analysers. A test says
// what the server sent when, in test time `t` (ms), and gets the log lines:
//
//   const t = timeline({ prompt });
//   t.at(0).start().cached([]);
//   t.at(10).running("1").executing("1");
//   t.at(110).finished("1");
//   t.at(120).success().done();
//   buildRunTimelines(t.events(), "run.ndjson");
//
// Clocks, chosen so every figure has an exact answer:
//   receipt monotonic = MONO_ORIGIN_MS + t (so run-relative ms = t when the run starts at t = 0);
//   receipt wall      = RECORDER_EPOCH_MS + monotonic;
//   server stamps     = receipt wall − CLOCK_OFFSET_MS (the server's clock, a constant offset behind),
//                       unless a message says `serverAt` (a message held back, or no stamp at all).
//
// Messages are the server's (ComfyUI 0.21, see /work/shared/design/comfyui-protocol.md), already
// parsed into ServerEvents with our field names, as src/ingest/ws-message.ts would give them.
// `progress_state` is cumulative, as the server sends it: every node started so far, with its state.

import type { ApiWorkflow, CacheState, EndReason, HttpLine, NoteLine, StatsLine } from "../../src/model/events.js";
import { LOG_FORMAT, LOG_VERSION_STRING } from "../../src/model/events.js";
import { parseHttpExchange } from "../../src/ingest/http-exchange.js";
import { parseSystemStats } from "../../src/ingest/system-stats.js";
import type { LogEvent, NodeId, ProgressNodeState, ProgressStateNode, PromptId, ServerEvent } from "../../src/model/server-events.js";

/** Receipt wall clock at monotonic 0: 2026-01-01T00:00:00Z. */
export const RECORDER_EPOCH_MS = 1_767_225_600_000;
/** Test time 0 is this far into the recording (monotonic ms), so lines before the run keep a positive monoMs. */
export const MONO_ORIGIN_MS = 1_000;
/** Receipt wall − server stamp, the same for every stamped message (offset + delivery delay). */
export const CLOCK_OFFSET_MS = 5;
export const PROMPT_ID = "prompt-1";
export const CLIENT_ID = "client-1";
export const GB = 1_000_000_000;

/** Receipt monotonic ms of test time `t`. */
export const monoAt = (t: number): number => MONO_ORIGIN_MS + t;
/** Receipt wall ms of test time `t`. */
export const wallAt = (t: number): number => RECORDER_EPOCH_MS + monoAt(t);
/** The server's stamp for a message it sent at test time `t`. */
export const serverAt = (t: number): number => wallAt(t) - CLOCK_OFFSET_MS;

export interface TimelineOptions {
  /** The API prompt: written into the header and the run-start note. */
  prompt: ApiWorkflow;
  promptId?: string;
  /** False for servers before v0.3.45: no progress_state at all. Default true. */
  progressState?: boolean;
  /** The header's plan.pollMs. Default 100. */
  pollMs?: number;
}

/** When a run-level message was stamped: default the moment it is received; null for no stamp. */
export interface Stamp {
  serverAt?: number | null;
}

export interface RunningOptions {
  /** `parent_node_id`: the expanding node (expanded children only). */
  parent?: string;
  /** `real_node_id`: the top-level node; default the parent, else the node itself. */
  real?: string;
  /** `display_node_id`; default the real node. */
  display?: string;
}

export interface StatsOptions {
  ramUsedBytes: number;
  ramTotalBytes?: number;
  /** When the poll was sent (test time); default 2 ms before its receipt. */
  sentAt?: number;
}

interface NodeEntry {
  state: ProgressNodeState;
  value: number;
  max: number;
  parent: string | null;
  real: string;
  display: string;
}

/** Shared by every prompt's view of one log: the lines, the clock, the socket. */
interface Log {
  lines: LogEvent[];
  lastT: number;
  offline: boolean;
  pollMs: number;
}

export function timeline(options: TimelineOptions): Timeline {
  const log: Log = { lines: [], lastT: -MONO_ORIGIN_MS, offline: false, pollMs: options.pollMs ?? 100 };
  log.lines.push({
    kind: "header",
    lineNo: 1,
    wallMs: RECORDER_EPOCH_MS,
    monoMs: 0,
    format: LOG_FORMAT,
    version: LOG_VERSION_STRING,
    recorder: { name: "comfyprof", version: "0.1.0", node: "v20.19.0" },
    serverUrl: "http://127.0.0.1:8188",
    clientId: CLIENT_ID,
    workflow: { sourceName: "workflow.json", prompt: options.prompt },
    plan: { runs: 1, warmup: 0, cacheState: "model-warm", pollMs: log.pollMs, keepPreviews: false, timeoutMs: null, interruptOnExit: true },
    host: { timeZone: "UTC", utcOffsetMin: 0, platform: "linux" },
    label: null,
    subgraphNames: {},
  });
  return new Timeline(log, options.prompt, options.promptId ?? PROMPT_ID, options.progressState ?? true);
}

export class Timeline {
  /** progress_state's memory: every node started so far, in the order they started. */
  private readonly nodes = new Map<string, NodeEntry>();

  constructor(
    private readonly log: Log,
    readonly prompt: ApiWorkflow,
    readonly promptId: string,
    readonly progressState: boolean,
  ) {}

  /** Lines received at test time `t`; time never goes back (the log is in receipt order). */
  at(t: number): Cursor {
    if (t < this.log.lastT) throw new RangeError(`timeline: at(${t}) comes before at(${this.log.lastT}); lines are in receipt order`);
    this.log.lastT = t;
    return new Cursor(this, t);
  }

  /** Another prompt's messages in the same log (its own progress_state). */
  forPrompt(promptId: string, prompt: ApiWorkflow = this.prompt): Timeline {
    return new Timeline(this.log, prompt, promptId, this.progressState);
  }

  /** The log so far, line numbers from 1 (the header). */
  events(): LogEvent[] {
    return [...this.log.lines];
  }

  /** @internal */
  push(t: number, line: DistributiveOmit<LogEvent | HttpLine | StatsLine, "lineNo" | "wallMs" | "monoMs">): void {
    const lineNo = this.log.lines.length + 1;
    const located = { ...line, lineNo, monoMs: monoAt(t), wallMs: wallAt(t) };
    // Exchanges and polls reach the fold typed, as ingest makes them.
    const kind = (line as { kind: string }).kind;
    if (kind === "http") this.log.lines.push(parseHttpExchange(located as unknown as HttpLine, lineNo));
    else if (kind === "stats" && "response" in line) this.log.lines.push(parseSystemStats(located as unknown as StatsLine, lineNo));
    else this.log.lines.push(located as unknown as LogEvent);
  }


  /** @internal A WebSocket message; lost while the socket is down. */
  send(t: number, event: ServerEvent): void {
    if (!this.log.offline) this.push(t, { kind: "ws", event });
  }

  /** @internal */
  setOffline(offline: boolean): void {
    this.log.offline = offline;
  }

  /** @internal */
  entry(nodeId: string): NodeEntry | undefined {
    return this.nodes.get(nodeId);
  }

  /** @internal */
  setEntry(nodeId: string, entry: NodeEntry): void {
    this.nodes.set(nodeId, entry);
  }

  /** @internal The cumulative progress_state as the server sends it now. */
  progressStateEvent(): ServerEvent {
    const nodes: ProgressStateNode[] = [...this.nodes].map(([id, n]) => ({
      nodeId: id as NodeId,
      state: n.state,
      value: n.value,
      max: n.max,
      displayNodeId: n.display as NodeId,
      parentNodeId: n.parent as NodeId | null,
      realNodeId: n.real as NodeId,
    }));
    return { type: "progress_state", promptId: this.promptId as PromptId, nodes };
  }

  /** @internal Nodes no other node links to: what ComfyUI would list in outputs_to_execute. */
  sinks(): string[] {
    const linked = new Set<string>();
    for (const node of Object.values(this.prompt)) {
      for (const v of Object.values(node.inputs)) if (Array.isArray(v) && typeof v[0] === "string") linked.add(v[0]);
    }
    return Object.keys(this.prompt).filter((id) => !linked.has(id));
  }
}

/** What happened at one moment; every method returns the cursor, so lines at the same time chain. */
export class Cursor {
  constructor(
    private readonly tl: Timeline,
    readonly t: number,
  ) {}

  private get pid(): PromptId {
    return this.tl.promptId as PromptId;
  }

  private stamp(opts: Stamp | undefined): number | null {
    const at = opts?.serverAt === undefined ? this.t : opts.serverAt;
    return at === null ? null : serverAt(at);
  }

  private classOf(nodeId: string): string | null {
    return this.tl.prompt[nodeId]?.class_type ?? null;
  }

  private requireProgressState(what: string): void {
    if (!this.tl.progressState) throw new Error(`timeline: ${what} on a server without progress_state`);
  }

  // --- run-level messages (stamped by the server) ---

  start(opts?: Stamp): this {
    this.tl.send(this.t, { type: "execution_start", promptId: this.pid, serverWallMs: this.stamp(opts) });
    return this;
  }

  cached(nodeIds: string[], opts?: Stamp): this {
    this.tl.send(this.t, { type: "execution_cached", promptId: this.pid, nodeIds: nodeIds as NodeId[], serverWallMs: this.stamp(opts) });
    return this;
  }

  success(opts?: Stamp): this {
    this.tl.send(this.t, { type: "execution_success", promptId: this.pid, serverWallMs: this.stamp(opts) });
    return this;
  }

  /** A node raised: terminal (with a stamp). */
  error(nodeId: string, exceptionType: string, message: string, opts?: Stamp & { executed?: string[] }): this {
    this.tl.send(this.t, {
      type: "execution_error",
      promptId: this.pid,
      nodeId: nodeId as NodeId,
      nodeType: this.classOf(nodeId),
      executedNodeIds: (opts?.executed ?? []) as NodeId[],
      exceptionMessage: message,
      exceptionType,
      traceback: [],
      currentInputs: null,
      currentOutputs: null,
      serverWallMs: this.stamp(opts),
    });
    return this;
  }

  /** An ExecutionBlocked error: no stamp, and the run goes on. */
  blocked(nodeId: string, message = "blocked by a switch"): this {
    return this.error(nodeId, "ExecutionBlocked", `Execution Blocked: ${message}`, { serverAt: null });
  }

  interrupted(nodeId: string, opts?: Stamp & { executed?: string[] }): this {
    this.tl.send(this.t, {
      type: "execution_interrupted",
      promptId: this.pid,
      nodeId: nodeId as NodeId,
      nodeType: this.classOf(nodeId),
      executedNodeIds: (opts?.executed ?? []) as NodeId[],
      serverWallMs: this.stamp(opts),
    });
    return this;
  }

  /** `executing {node: null}`: the last message of a prompt, after its history is written. */
  done(): this {
    this.tl.send(this.t, { type: "executing", promptId: this.pid, nodeId: null, displayNodeId: null });
    return this;
  }

  // --- node messages (no stamp) ---

  /** progress_state with `nodeId` running (value 0 of 1), and every node before it as it stands. */
  running(nodeId: string, opts: RunningOptions = {}): this {
    this.requireProgressState("running()");
    const real = opts.real ?? opts.parent ?? nodeId;
    this.tl.setEntry(nodeId, { state: "running", value: 0, max: 1, parent: opts.parent ?? null, real, display: opts.display ?? real });
    this.tl.send(this.t, this.tl.progressStateEvent());
    return this;
  }

  /** progress_state with `nodeId` finished (value = max). A node never running (a replayed cached output) appears finished. */
  finished(nodeId: string): this {
    this.requireProgressState("finished()");
    const e = this.tl.entry(nodeId) ?? { state: "finished", value: 1, max: 1, parent: null, real: nodeId, display: nodeId };
    this.tl.setEntry(nodeId, { ...e, state: "finished", value: e.max });
    this.tl.send(this.t, this.tl.progressStateEvent());
    return this;
  }

  /** `executing`; `promptId: null` as the server resends it after a reconnect. */
  executing(nodeId: string, opts: { promptId?: null; display?: string } = {}): this {
    this.tl.send(this.t, {
      type: "executing",
      promptId: opts.promptId === null ? null : this.pid,
      nodeId: nodeId as NodeId,
      displayNodeId: (opts.display ?? this.tl.entry(nodeId)?.display ?? nodeId) as NodeId,
    });
    return this;
  }

  /**
   * A step counter update. As the server sends it: progress_state with the new value, then
   * `progress` (via "both", the default with progress_state); or only one of them.
   */
  progress(nodeId: string, value: number, max: number, opts: { via?: "both" | "progress" | "progress_state" } = {}): this {
    const via = opts.via ?? (this.tl.progressState ? "both" : "progress");
    if (via !== "progress") {
      this.requireProgressState("a progress_state progress");
      const e = this.tl.entry(nodeId);
      if (!e || e.state !== "running") throw new Error(`timeline: progress of node ${nodeId}, which is not running`);
      this.tl.setEntry(nodeId, { ...e, value, max });
      this.tl.send(this.t, this.tl.progressStateEvent());
    }
    if (via !== "progress_state") this.tl.send(this.t, { type: "progress", promptId: this.pid, nodeId: nodeId as NodeId, value, max });
    return this;
  }

  /** `executed`: a node with UI output is done (or a cached output node is replayed). */
  executed(nodeId: string, output: unknown = { images: [] }): this {
    this.tl.send(this.t, { type: "executed", promptId: this.pid, nodeId: nodeId as NodeId, displayNodeId: nodeId as NodeId, output });
    return this;
  }

  /**
   * A `logs` message received now: each line logged at test time `loggedAt` (default now), its `t`
   * the server's local time (here UTC, to the µs, as ComfyUI writes it).
   */
  logs(lines: { text: string; loggedAt?: number }[]): this {
    const entries = lines.map((l) => ({ localTime: new Date(serverAt(l.loggedAt ?? this.t)).toISOString().slice(0, -1) + "000", text: l.text }));
    this.tl.send(this.t, { type: "logs", entries, size: null });
    return this;
  }

  // --- what the recorder did ---

  /** A /system_stats poll received now (CPU server: the device repeats RAM). */
  stats(opts: StatsOptions): this {
    const total = opts.ramTotalBytes ?? 16 * GB;
    const free = total - opts.ramUsedBytes;
    const line: Omit<StatsLine, "wallMs" | "monoMs"> = {
      kind: "stats",
      sentMonoMs: monoAt(opts.sentAt ?? this.t - 2),
      status: 200,
      response: {
        system: { os: "posix", ram_total: total, ram_free: free, comfyui_version: "0.21.0", python_version: "3.11.7", pytorch_version: "2.14.1", argv: ["main.py", "--cpu"] },
        devices: [{ name: "cpu", type: "cpu", index: null, vram_total: total, vram_free: free, torch_vram_total: total, torch_vram_free: free }],
      },
      error: null,
    };
    this.tl.push(this.t, line);
    return this;
  }

  /** The POST /prompt reply, received now; sent at `sentAt`. */
  submit(sentAt: number): this {
    const line: Omit<HttpLine, "wallMs" | "monoMs"> = {
      kind: "http",
      method: "POST",
      path: "/prompt",
      sentMonoMs: monoAt(sentAt),
      request: { prompt: this.tl.prompt, client_id: CLIENT_ID, prompt_id: this.tl.promptId },
      status: 200,
      response: { prompt_id: this.tl.promptId, number: 1, node_errors: {} },
      error: null,
    };
    this.tl.push(this.t, line);
    return this;
  }

  /**
   * The GET /history/{id} reply, received now. `createTime`: when the prompt was queued (test
   * time, stamped on the server clock), null for a server that does not record it. `outputs`:
   * outputs_to_execute, default the prompt's sinks.
   */
  history(opts: { createTime: number | null; outputs?: string[] }): this {
    const extra = opts.createTime === null ? { client_id: CLIENT_ID } : { client_id: CLIENT_ID, create_time: serverAt(opts.createTime) };
    const outputs = opts.outputs ?? this.tl.sinks();
    const line: Omit<HttpLine, "wallMs" | "monoMs"> = {
      kind: "http",
      method: "GET",
      path: `/history/${encodeURIComponent(this.tl.promptId)}`,
      sentMonoMs: monoAt(this.t) - 1,
      request: null,
      status: 200,
      response: {
        [this.tl.promptId]: {
          prompt: [1, this.tl.promptId, this.tl.prompt, extra, outputs],
          outputs: {},
          status: { status_str: "success", completed: true, messages: [] },
          meta: {},
        },
      },
      error: null,
    };
    this.tl.push(this.t, line);
    return this;
  }

  runStart(opts: { run?: number; warmup?: boolean; cacheState?: CacheState } = {}): this {
    return this.note({
      note: "run-start",
      run: opts.run ?? 0,
      promptId: this.tl.promptId,
      warmup: opts.warmup ?? false,
      cacheState: opts.cacheState ?? "model-warm",
      nonceMethod: "none",
      prompt: this.tl.prompt,
    });
  }

  runEnd(opts: { run?: number } = {}): this {
    return this.note({ note: "run-end", run: opts.run ?? 0, promptId: this.tl.promptId });
  }

  /** The WebSocket closed: its messages are lost until reconnect(). */
  disconnect(): this {
    this.note({ note: "ws-close", code: 1006, message: "closed by peer" });
    this.tl.setOffline(true);
    return this;
  }

  /** The recorder reconnected the WebSocket. */
  reconnect(): this {
    this.tl.setOffline(false);
    return this.note({ note: "reconnect", attempt: 1, ok: true });
  }

  /** The log's last line. */
  end(reason: EndReason = "done"): this {
    this.tl.push(this.t, { kind: "end", reason, message: null, runsCompleted: 1 });
    return this;
  }

  private note(fields: Omit<NoteLine, "kind" | "wallMs" | "monoMs">): this {
    this.tl.push(this.t, { kind: "note", ...fields });
    return this;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
