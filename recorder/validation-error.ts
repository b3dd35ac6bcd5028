// A rejected POST /prompt (HTTP 400), printed so a person can fix the workflow:
// the error, then each node with its id, type, title, input and message.

import type { ApiWorkflow } from "../src/model/events.js";
import { escapeTerminal } from "../src/text/escape.js";

interface NodeErrorEntry {
  errors?: { type?: string; message?: string; details?: string; extra_info?: { input_name?: string } }[];
  class_type?: string;
}

export function formatValidationError(status: number, body: unknown, workflow: ApiWorkflow): string {
  const b = (body ?? {}) as { error?: { type?: string; message?: string; details?: string } | string; node_errors?: Record<string, NodeErrorEntry> };
  const error = typeof b.error === "string" ? { message: b.error } : b.error;
  const what = status >= 500 ? `the server failed on the workflow (HTTP ${status}, a server error, not the workflow's fault)` : `the server rejected the workflow (HTTP ${status})`;
  const lines = [`${what}: ${clean(error?.message ?? (typeof body === "string" ? body : "no message"))}`];
  if (error && "details" in error && error.details) lines.push(`  ${clean(error.details)}`);
  for (const [nodeId, entry] of Object.entries(b.node_errors ?? {})) {
    const title = workflow[nodeId]?._meta?.title;
    const type = entry.class_type ?? workflow[nodeId]?.class_type ?? "?";
    lines.push(`  node ${clean(nodeId)} ${clean(type)}${title && title !== type ? ` "${clean(title)}"` : ""}:`);
    for (const e of entry.errors ?? []) {
      const input = e.extra_info?.input_name ? `input "${clean(e.extra_info.input_name)}": ` : "";
      lines.push(`    ${input}${clean(e.message ?? e.type ?? "error")}${e.details ? ` (${clean(e.details)})` : ""}`);
    }
  }
  return lines.join("\n");
}

function clean(text: string): string {
  return escapeTerminal(String(text));
}
