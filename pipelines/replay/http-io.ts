// Reading requests and writing replies for the scripted server.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { HttpAnswer } from "./view-route.js";

export interface RequestBody {
  raw: Buffer;
  /** The body as JSON, else as text; null when empty. */
  parsed: unknown;
}

export function readBody(req: IncomingMessage): Promise<RequestBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const text = raw.toString("utf8");
      if (!text) return resolve({ raw, parsed: null });
      try {
        resolve({ raw, parsed: JSON.parse(text) });
      } catch {
        resolve({ raw, parsed: text });
      }
    });
  });
}

export function sendAnswer(res: ServerResponse, answer: HttpAnswer): void {
  if (res.headersSent) return;
  res.writeHead(answer.status, answer.headers).end(answer.body ?? undefined);
}

export function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  if (body === null) {
    res.writeHead(status).end();
    return;
  }
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": typeof body === "string" ? "text/plain" : "application/json" }).end(text);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
