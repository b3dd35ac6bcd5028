// HTTP exchanges of a log: the one place that tells them apart by method and
// path (ComfyUI serves every route under /api too) and reads their bodies.
//   POST /prompt          → PromptReplyEvent (the prompt id; a refusal's validation errors)
//   GET /history/{id}     → HistoryEvent (create_time, outputs_to_execute)
//   GET /object_info[/c]  → ObjectInfoEvent
//   anything else         → the exchange as recorded

import type { HttpLine } from "../model/events.js";
import type { HistoryEvent, HttpExchangeEvent, ObjectInfoEvent, PromptRejection, PromptReplyEvent } from "../model/exchanges.js";
import type { ValidationError } from "../model/profile.js";
import { isObject } from "./shape.js";

const PROMPT_PATH = /^(?:\/api)?\/prompt\/?$/;
const HISTORY_PATH = /^(?:\/api)?\/history\/([^/?]+)/;
const OBJECT_INFO_PATH = /^(?:\/api)?\/object_info(?:\/|$|\?)/;

type Parsed = PromptReplyEvent | HistoryEvent | ObjectInfoEvent | HttpExchangeEvent;

export function parseHttpExchange(line: HttpLine, lineNo: number): Parsed {
  const times = { lineNo, wallMs: line.wallMs, monoMs: line.monoMs, sentMonoMs: line.sentMonoMs };
  if (line.method === "POST" && PROMPT_PATH.test(line.path)) {
    const refused = line.status !== null && line.status !== 200;
    return {
      kind: "prompt-reply",
      ...times,
      promptId: stringField(line.request, "prompt_id") ?? stringField(line.response, "prompt_id"),
      status: line.status,
      rejection: refused ? parseRejection(line.status!, line.response) : null,
      body: line.response,
    };
  }
  const history = line.method === "GET" && line.status === 200 ? HISTORY_PATH.exec(line.path) : null;
  if (history && isObject(line.response)) {
    const promptId = safeDecode(history[1]!);
    if (Object.hasOwn(line.response, promptId)) return { kind: "history", ...times, promptId, ...readHistoryEntry(line.response[promptId]), entry: line.response[promptId] };
  }
  if (line.method === "GET" && line.status === 200 && OBJECT_INFO_PATH.test(line.path) && isObject(line.response)) {
    return { kind: "object-info", ...times, classes: line.response };
  }
  return { ...line, lineNo };
}

/** `prompt: [number, id, prompt, extra_data {create_time}, outputs_to_execute]`. */
function readHistoryEntry(entry: unknown): Pick<HistoryEvent, "createTimeMs" | "outputsToExecute"> {
  const prompt = isObject(entry) && Array.isArray(entry.prompt) ? entry.prompt : null;
  const extra = prompt && isObject(prompt[3]) ? prompt[3] : null;
  return {
    createTimeMs: typeof extra?.create_time === "number" ? extra.create_time : null,
    outputsToExecute: prompt && Array.isArray(prompt[4]) ? prompt[4].map(String) : null,
  };
}

/** A refused POST /prompt: `{error: {type, message, details}, node_errors: {id: {errors: [...], class_type}}}` (or `error` a string). */
export function parseRejection(status: number, body: unknown): PromptRejection {
  const b = isObject(body) ? body : {};
  const error = typeof b.error === "string" ? { message: b.error } : isObject(b.error) ? b.error : {};
  const validationErrors: ValidationError[] = Object.entries(isObject(b.node_errors) ? b.node_errors : {}).flatMap(([nodeId, entry]) => {
    const e = isObject(entry) ? entry : {};
    const errors = Array.isArray(e.errors) ? e.errors.filter(isObject) : [];
    return errors.map((x) => ({
      nodeId,
      classType: text(e.class_type),
      inputName: text(isObject(x.extra_info) ? x.extra_info.input_name : null),
      message: [text(x.message), text(x.details)].filter(Boolean).join(": ") || "invalid",
    }));
  });
  return {
    status,
    errorType: text(error.type),
    message: [`HTTP ${status}`, text(error.message), text(error.details)].filter(Boolean).join(": "),
    validationErrors,
  };
}

function text(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}

function stringField(body: unknown, key: string): string | null {
  return isObject(body) && typeof body[key] === "string" ? (body[key] as string) : null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
