// An HTTP + WebSocket server that speaks ComfyUI's protocol
// (../shared/design/comfyui-protocol.md) and plays a scripted run for each
// submitted prompt. `comfyprof replay` scripts it from a recording; tests
// script it by hand. Faults (dropped socket, restart, rejection, latency) are
// options, so a client's fault handling is tested against real sockets.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { REPLAY_DEFAULTS } from "../../src/model/option-defaults.js";
import { pageHistory, staticAnswer } from "./client-routes.js";
import { readBody, reply, sendAnswer, sleep } from "./http-io.js";
import type { EventContext, ProtocolServer, ProtocolServerOptions, ReceivedRequest, RunScript } from "./protocol-types.js";
import type { FileRef } from "./recorded-images.js";
import { PromptQueue, type QueueItem } from "./prompt-queue.js";
import { UploadedFiles } from "./upload-route.js";
import { answerView, type ViewSource } from "./view-route.js";

export type { EventContext, PromptDecision, ProtocolServer, ProtocolServerOptions, ReceivedRequest, RunScript, ScriptedEvent, ServerFaults } from "./protocol-types.js";

export async function startProtocolServer(options: ProtocolServerOptions): Promise<ProtocolServer> {
  const state = new ServerState(options);
  await state.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  return state.api();
}

class ServerState {
  private http: Server | null = null;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly sockets = new Map<string, WebSocket>();
  private readonly sentCount = new Map<string, number>();
  private readonly dropped = new Set<string>();
  private readonly history = new Map<string, unknown>();
  private readonly uploads = new UploadedFiles();
  private readonly queue = new PromptQueue();
  private runAbort: (() => void) | null = null;
  private playing: { script: RunScript; startMs: number } | null = null;
  private interruptRequested = false;
  private counter = 0;
  private restarted = false;
  private generation = 0;
  readonly requests: ReceivedRequest[] = [];
  readonly connections: string[] = [];
  private port = 0;
  private host = "127.0.0.1";

  constructor(private readonly options: ProtocolServerOptions) {}

  api(): ProtocolServer {
    return {
      url: `http://${this.host}:${this.port}`,
      port: this.port,
      requests: this.requests,
      connections: this.connections,
      close: () => this.shutdown(),
    };
  }

  async listen(port: number, host: string): Promise<void> {
    this.host = host;
    const server = createServer((req, res) => void this.handle(req, res));
    server.on("upgrade", (req, socket, head) => {
      const url = new URL(req.url ?? "/", "http://x");
      const path = url.pathname.replace(/^\/api(?=\/)/, "");
      if (path !== "/ws" || !this.authorized(req)) {
        socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws, url.searchParams.get("clientId")));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    this.http = server;
    this.port = (server.address() as AddressInfo).port;
  }

  private async shutdown(): Promise<void> {
    this.runAbort?.();
    await this.goDown();
  }

  /** Drops every socket and connection and closes the port; a run still playing stops at its next event. */
  private async goDown(): Promise<void> {
    this.generation++;
    for (const ws of this.sockets.values()) ws.terminate();
    this.sockets.clear();
    const server = this.http;
    this.http = null;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private authorized(req: IncomingMessage): boolean {
    const need = this.options.requireHeader;
    return !need || req.headers[need.name] === need.value;
  }

  private onSocket(ws: WebSocket, clientIdParam: string | null): void {
    const clientId = clientIdParam ?? `anon-${++this.counter}`;
    this.sockets.get(clientId)?.close(1000, "replaced");
    this.sockets.set(clientId, ws);
    this.connections.push(clientId);
    ws.on("close", () => {
      if (this.sockets.get(clientId) === ws) this.sockets.delete(clientId);
    });
    ws.on("message", () => undefined);
    this.send(clientId, { type: "status", data: { status: { exec_info: { queue_remaining: this.queue.remaining() } }, sid: clientId } }, false);
    if (this.queue.running && this.queue.running.clientId === clientId) {
      // A reconnect mid-run gets one `executing` without prompt id, as ComfyUI does.
      this.send(clientId, { type: "executing", data: { node: null } }, false);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname.replace(/^\/api(?=\/)/, "");
    this.requests.push({ method: req.method ?? "GET", path: url.pathname + url.search, headers: req.headers, body: body.parsed, atMs: Date.now() });
    if (this.options.faults?.latencyMs) await sleep(this.options.faults.latencyMs);
    if (!this.authorized(req)) return reply(res, 401, { error: "unauthorized" });
    const method = req.method ?? "GET";
    if (method === "GET") {
      const fixed = staticAnswer(path);
      if (fixed) return reply(res, fixed.status, fixed.body);
      if (path === "/view") return sendAnswer(res, answerView(url.searchParams, (ref) => this.viewSource(ref)));
      if (path === "/history") {
        const page = pageHistory([...this.history], url.searchParams);
        return page === null ? reply(res, 500, "500: Internal Server Error") : reply(res, 200, page);
      }
    }
    if (method === "POST" && path === "/upload/image") return sendAnswer(res, this.uploads.upload(body.raw, req.headers["content-type"]));
    this.answerPromptCycle(res, `${method} ${path}`, body.parsed);
  }

  private viewSource(ref: FileRef): ViewSource | null {
    const uploaded = this.uploads.get(ref);
    return uploaded ? { kind: "bytes", body: uploaded, origin: "uploaded" } : (this.options.viewFile?.(ref) ?? null);
  }

  /** The routes of submitting, following and managing prompts. */
  private answerPromptCycle(res: ServerResponse, route: string, body: unknown): void {
    const [method, path] = route.split(" ") as [string, string];
    if (route === "GET /system_stats") {
      const p = this.playing;
      return reply(res, 200, p?.script.statsAt ? p.script.statsAt(Date.now() - p.startMs) : this.options.systemStats());
    }
    if (route === "GET /object_info") return reply(res, 200, this.options.objectInfo?.() ?? {});
    if (method === "GET" && path.startsWith("/object_info/")) {
      const cls = decodeURIComponent(path.slice("/object_info/".length));
      const info = this.options.objectInfo?.()[cls];
      return reply(res, 200, info === undefined ? {} : { [cls]: info });
    }
    if (route === "POST /prompt") return this.submit(res, body);
    if (route === "GET /prompt") return reply(res, 200, { exec_info: { queue_remaining: this.queue.remaining() } });
    if (route === "GET /queue") return reply(res, 200, this.queue.body());
    if (method === "GET" && path.startsWith("/history/")) {
      const id = decodeURIComponent(path.slice("/history/".length));
      return reply(res, 200, this.history.has(id) ? { [id]: this.history.get(id) } : {});
    }
    if (route === "POST /queue" || route === "POST /history") return this.clearOrDelete(res, path, body);
    if (route === "POST /interrupt") {
      if (this.queue.running) this.interruptRequested = true;
      return reply(res, 200, null);
    }
    if (route === "POST /free") return reply(res, 200, null);
    if (route === "PATCH /internal/logs/subscribe") return reply(res, 200, null);
    return reply(res, 404, "404: Not Found");
  }

  /** POST /queue and /history {clear?: true, delete?: [prompt id]}: pending prompts or stored entries. */
  private clearOrDelete(res: ServerResponse, path: string, body: unknown): void {
    const b = (body && typeof body === "object" ? body : {}) as { clear?: unknown; delete?: unknown };
    const ids = Array.isArray(b.delete) ? b.delete.map(String) : [];
    if (path === "/queue") {
      this.queue.remove(Boolean(b.clear), ids);
      this.broadcastStatus();
    } else for (const id of b.clear ? [...this.history.keys()] : ids) this.history.delete(id);
    reply(res, 200, null);
  }

  private submit(res: ServerResponse, body: unknown): void {
    const b = body as { prompt?: Record<string, unknown>; client_id?: string; prompt_id?: string; extra_data?: Record<string, unknown> } | null;
    if (!b || typeof b !== "object" || !b.prompt) {
      return reply(res, 400, { error: { type: "no_prompt", message: "No prompt provided", details: "No prompt provided", extra_info: {} }, node_errors: {} });
    }
    const decision = this.options.onPrompt(b as { prompt: Record<string, unknown> });
    if ("reject" in decision) return reply(res, decision.reject.status, decision.reject.body);
    const promptId = b.prompt_id ?? `prompt-${++this.counter}`;
    const item = this.queue.add({
      promptId,
      clientId: b.client_id ?? null,
      prompt: b.prompt,
      extraData: { ...(b.extra_data ?? {}), client_id: b.client_id, create_time: Date.now() },
      script: decision.script,
    });
    reply(res, 200, { prompt_id: promptId, number: item.number, node_errors: {} });
    this.broadcastStatus();
    if (!this.queue.running) void this.work();
  }

  private async work(): Promise<void> {
    for (let item = this.queue.start(); item; item = this.queue.start()) {
      this.interruptRequested = false;
      this.broadcastStatus();
      await this.play(item);
      this.queue.running = null;
      this.playing = null;
      this.broadcastStatus();
    }
  }

  private async play(item: QueueItem): Promise<void> {
    const generation = this.generation;
    const startMs = Date.now();
    const ctx = (): EventContext => ({ promptId: item.promptId, clientId: item.clientId, nowMs: Date.now(), runStartMs: startMs, prompt: item.prompt });
    this.playing = { script: item.script, startMs };
    let aborted = false;
    this.runAbort = () => (aborted = true);
    let sent = 0;
    let currentNode: string | null = null;
    for (const event of [...item.script.events].sort((a, b) => a.atMs - b.atMs)) {
      // Messages less than a timer tick apart go out together, as the server's backlogs do.
      const waitMs = startMs + event.atMs - Date.now();
      if (waitMs >= 1) await sleep(waitMs);
      if (aborted || generation !== this.generation) return;
      if (this.interruptRequested) {
        this.finishInterrupted(item, currentNode, ctx);
        return;
      }
      const message = event.message(ctx());
      const m = message as { type?: string; data?: { node?: unknown } };
      if (m?.type === "executing" && m.data?.node === null) this.storeHistory(item, ctx(), false);
      else if (m?.type === "executing" && typeof m.data?.node === "string") currentNode = m.data.node;
      this.send(item.clientId, message, true);
      sent++;
      const restartAfter = this.options.faults?.restartAfter;
      if (restartAfter !== undefined && sent >= restartAfter && !this.restarted) {
        this.restarted = true;
        await this.restart();
        return;
      }
    }
  }

  private finishInterrupted(item: QueueItem, currentNode: string | null, ctx: () => EventContext): void {
    const c = ctx();
    const nodeType = currentNode ? ((item.prompt[currentNode] as { class_type?: string })?.class_type ?? null) : null;
    this.send(item.clientId, { type: "execution_interrupted", data: { prompt_id: item.promptId, node_id: currentNode, node_type: nodeType, executed: [], timestamp: c.nowMs } }, true);
    this.storeHistory(item, c, true);
    this.send(item.clientId, { type: "executing", data: { node: null, prompt_id: item.promptId } }, true);
  }

  private storeHistory(item: QueueItem, c: EventContext, interrupted: boolean): void {
    const createTimeMs = item.extraData.create_time as number;
    this.history.set(item.promptId, item.script.history({ ...c, createTimeMs, interrupted }));
  }

  /** Like a process restart: sockets dropped, memory (queue, history) gone, port closed for a while. */
  private async restart(): Promise<void> {
    this.queue.remove(true, []);
    this.history.clear();
    await this.goDown();
    await sleep(this.options.faults?.restartDowntimeMs ?? REPLAY_DEFAULTS.restartDowntimeMs);
    await this.listen(this.port, this.host);
  }

  private send(clientId: string | null, message: unknown, counts: boolean): void {
    if (clientId === null) return;
    const ws = this.sockets.get(clientId);
    if (!ws || ws.readyState !== ws.OPEN) return;
    let drop = false;
    if (counts) {
      const n = (this.sentCount.get(clientId) ?? 0) + 1;
      this.sentCount.set(clientId, n);
      const dropAfter = this.options.faults?.dropWsAfter;
      drop = dropAfter !== undefined && n >= dropAfter && !this.dropped.has(clientId);
      if (drop) {
        this.dropped.add(clientId);
        this.sockets.delete(clientId);
      }
    }
    // A drop cuts the connection without a close handshake, once this frame is on the wire.
    ws.send(Buffer.isBuffer(message) ? message : JSON.stringify(message), () => {
      if (drop) ws.terminate();
    });
  }

  private broadcastStatus(): void {
    for (const id of this.sockets.keys()) {
      this.send(id, { type: "status", data: { status: { exec_info: { queue_remaining: this.queue.remaining() } } } }, false);
    }
  }
}
