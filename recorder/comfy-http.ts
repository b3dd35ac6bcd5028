// HTTP to the ComfyUI server. Every exchange is written to the log as an
// `http` (or `stats`) line; auth headers go on the wire, never into the log.

import type { LogWriter } from "./log-writer.js";
import { httpUrl, type ServerUrls } from "./server-url.js";

export interface HttpReply {
  status: number;
  body: unknown;
}

export class ServerUnreachableError extends Error {}

export class ComfyHttp {
  constructor(
    private readonly urls: ServerUrls,
    private readonly headers: Record<string, string>,
    private readonly log: LogWriter,
    private readonly requestTimeoutMs = 30_000,
  ) {}

  /** A logged exchange. Throws ServerUnreachableError when no reply came (also logged). */
  async request(method: string, path: string, body?: unknown): Promise<HttpReply> {
    const sentMonoMs = this.log.clock.monoMs();
    try {
      const reply = await this.send(method, path, body);
      this.log.write({ kind: "http", method, path, sentMonoMs, request: body ?? null, status: reply.status, response: reply.body, error: null });
      return reply;
    } catch (err) {
      const error = describeFetchError(err);
      this.log.write({ kind: "http", method, path, sentMonoMs, request: body ?? null, status: null, response: null, error });
      throw new ServerUnreachableError(error);
    }
  }

  /** One /system_stats poll, logged as a `stats` line; returns the body or null. */
  async pollStats(): Promise<unknown> {
    const reply = await this.statsReply();
    return "status" in reply && reply.status === 200 ? reply.body : null;
  }

  /** One /system_stats poll, logged as a `stats` line: the reply, whatever its status, or why none came. */
  async statsReply(): Promise<HttpReply | { error: string }> {
    const sentMonoMs = this.log.clock.monoMs();
    try {
      const reply = await this.send("GET", "/system_stats");
      this.log.write({ kind: "stats", sentMonoMs, status: reply.status, response: reply.body, error: null });
      return reply;
    } catch (err) {
      const error = describeFetchError(err);
      this.log.write({ kind: "stats", sentMonoMs, status: null, response: null, error });
      return { error };
    }
  }

  private async send(method: string, path: string, body?: unknown): Promise<HttpReply> {
    const res = await fetch(httpUrl(this.urls, path), {
      method,
      headers: body === undefined ? this.headers : { ...this.headers, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.requestTimeoutMs),
    });
    const text = await res.text();
    return { status: res.status, body: parseBody(text) };
  }
}

function parseBody(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** fetch() hides the reason in `cause`; name it (ECONNREFUSED, ENOTFOUND, timeout). */
export function describeFetchError(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError") return "no reply within the request timeout";
  const cause = e?.cause;
  if (cause?.code) return `${cause.code}${cause.message && !cause.message.includes(cause.code) ? `: ${cause.message}` : ""}`;
  return cause?.message ?? e?.message ?? String(err);
}

/** What a failing server said, on one line and short: its error message, or the start of its page. */
export function summarizeBody(body: unknown): string {
  const b = body as { error?: { message?: unknown } | unknown; message?: unknown } | null;
  const fromJson = typeof b?.error === "string" ? b.error : (b?.error as { message?: unknown } | undefined)?.message ?? b?.message;
  const text = typeof body === "string" ? body : typeof fromJson === "string" ? fromJson : body === null ? "" : JSON.stringify(body);
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
