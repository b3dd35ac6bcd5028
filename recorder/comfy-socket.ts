// The WebSocket to the server. The event path is: stamp both clocks, parse,
// write the line (the raw text itself when it is one line of JSON), then hand
// the parsed message on. Nothing else happens before the write.

import WebSocket from "ws";
import type { LogWriter } from "./log-writer.js";
import { summarizeBinaryFrame } from "./binary-frame.js";

export interface SocketHandlers {
  /** A parsed text message, after it was written. */
  onMessage(msg: unknown): void;
  /** The socket closed without close() being called. */
  onLost(code: number, reason: string): void;
}

export class ComfySocket {
  private ws: WebSocket | null = null;
  private closing = false;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly log: LogWriter,
    private readonly keepPreviews: boolean,
    private readonly handlers: SocketHandlers,
  ) {}

  /** Opens the socket; rejects with the reason when it cannot. */
  open(timeoutMs = 10_000): Promise<void> {
    this.closing = false;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url, { headers: this.headers, handshakeTimeout: timeoutMs, perMessageDeflate: false });
      let opened = false;
      ws.on("message", (data, isBinary) => this.receive(data as Buffer | Buffer[] | ArrayBuffer, isBinary));
      ws.once("open", () => {
        opened = true;
        this.ws = ws;
        this.log.write({ kind: "note", note: "ws-open" });
        resolve();
      });
      ws.on("error", (err) => {
        if (!opened) reject(err);
      });
      ws.once("close", (code, reasonBuf) => {
        if (!opened) {
          reject(new Error(`WebSocket closed during the handshake (code ${code})`));
          return;
        }
        const reason = reasonBuf.toString();
        this.log.write({ kind: "note", note: "ws-close", code, message: reason || "closed by peer" });
        if (this.ws === ws) this.ws = null;
        if (!this.closing) this.handlers.onLost(code, reason);
      });
    });
  }

  /** Sends a JSON text frame (e.g. feature_flags). */
  send(msg: unknown): void {
    this.ws?.send(JSON.stringify(msg));
  }

  close(): void {
    this.closing = true;
    this.ws?.close(1000, "recording ended");
    this.ws = null;
  }

  private receive(data: Buffer | Buffer[] | ArrayBuffer, isBinary: boolean): void {
    const wallMs = this.log.clock.wallMs();
    const monoMs = this.log.clock.monoMs();
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (isBinary) {
      this.log.writeStamped({ kind: "ws-binary", ...summarizeBinaryFrame(buf, this.keepPreviews) }, wallMs, monoMs);
      return;
    }
    const text = buf.toString("utf8");
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.log.writeStamped({ kind: "ws-invalid", text }, wallMs, monoMs);
      return;
    }
    if (/[\n\r]/.test(text)) this.log.writeStamped({ kind: "ws", msg }, wallMs, monoMs);
    else this.log.writeWsText(text, wallMs, monoMs);
    this.handlers.onMessage(msg);
  }
}
