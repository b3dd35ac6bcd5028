// Runs the recorder against a protocol server on loopback and returns the
// log it wrote, every line checked against the event-log JSON Schema.

import { Ajv } from "ajv";
import { expect } from "vitest";
import { eventLogLineSchema } from "../../src/model/event-log-schema.js";
import type { LogLine, ApiWorkflow } from "../../src/model/events.js";
import { DEFAULT_RECORD_OPTIONS, record, type RecordOptions, type RecordResult } from "../../recorder/record.js";
import type { LogSink } from "../../recorder/log-writer.js";

const ajv = new Ajv({ allErrors: true, strict: false });
export const validateLine = ajv.compile(eventLogLineSchema);

export interface Recorded {
  result: RecordResult;
  text: string;
  lines: LogLine[];
  progress: string;
}

export function memorySink(): LogSink & { text: () => string } {
  const chunks: string[] = [];
  return { write: (t) => void chunks.push(t), close: () => undefined, text: () => chunks.join("") };
}

export async function recordAgainst(
  url: string,
  workflow: ApiWorkflow,
  options: Partial<RecordOptions> = {},
  extra: { signal?: AbortSignal; seeds?: number[] } = {},
): Promise<Recorded> {
  const sink = memorySink();
  let progress = "";
  let seed = 0;
  const result = await record(
    { ...DEFAULT_RECORD_OPTIONS, url, workflow, workflowSourceName: "wf.json", pollMs: 50, reconnectTimeoutMs: 5_000, ...options },
    {
      sink,
      progress: { write: (t) => void (progress += t), isTTY: false },
      signal: extra.signal,
      randomInt: () => (extra.seeds ? extra.seeds[seed++ % extra.seeds.length]! : 1000 + seed++),
    },
  );
  const text = sink.text();
  const lines = parseAndValidate(text);
  return { result, text, lines, progress };
}

/** Every line is one JSON object that the schema accepts; the file ends with a newline. */
export function parseAndValidate(text: string): LogLine[] {
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line, i) => {
      const parsed = JSON.parse(line) as LogLine;
      if (!validateLine(parsed)) {
        throw new Error(`line ${i + 1} does not match the schema: ${ajv.errorsText(validateLine.errors)}\n${line.slice(0, 300)}`);
      }
      return parsed;
    });
}

export function wsMessages(lines: LogLine[]): { type: string; data: Record<string, unknown> }[] {
  return lines.flatMap((l) => (l.kind === "ws" ? [l.msg as { type: string; data: Record<string, unknown> }] : []));
}

export function notes(lines: LogLine[], note: string): Extract<LogLine, { kind: "note" }>[] {
  return lines.filter((l): l is Extract<LogLine, { kind: "note" }> => l.kind === "note" && l.note === note);
}
