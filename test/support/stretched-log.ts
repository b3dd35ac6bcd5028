// A recording with its whole timeline stretched by `factor` (every receipt time
// and server stamp, from its first one) and moved `laterMs` on, relabelled:
// each run then takes `factor` times as long, as a slower server would.
// Written to dir/fileName (<label>.ndjson by default).

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function stretchedLog(source: string, dir: string, factor: number, laterMs: number, label: string, fileName = `${label}.ndjson`): string {
  const lines = readFileSync(source, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
  const wall0 = lines[0].wallMs as number;
  const stamps: number[] = [];
  for (const l of lines) if (l.kind === "ws" && typeof l.msg?.data?.timestamp === "number") stamps.push(l.msg.data.timestamp);
  const ts0 = Math.min(...stamps);
  const stamp = (t: number) => Math.round(ts0 + (t - ts0) * factor + laterMs);
  const walk = (v: unknown, key: string | null): unknown => {
    if (typeof v === "number" && (key === "timestamp" || key === "create_time")) return stamp(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, null));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  const out = lines.map((l) => {
    const c = walk(l, null) as Record<string, unknown>;
    c.monoMs = (l.monoMs as number) * factor;
    c.wallMs = wall0 + ((l.wallMs as number) - wall0) * factor + laterMs;
    if (typeof l.sentMonoMs === "number") c.sentMonoMs = l.sentMonoMs * factor;
    if (c.kind === "header") c.label = label;
    return JSON.stringify(c);
  });
  const path = join(dir, fileName);
  writeFileSync(path, `${out.join("\n")}\n`);
  return path;
}
