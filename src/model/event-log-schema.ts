// JSON Schema (draft-07) of one event-log line, format v1. Kept beside the
// types in events.ts; `npm run schema` writes it to schemas/event-log.v1.schema.json
// and a test checks that file is current and that recorded lines validate.

import { CACHE_STATES, END_REASONS, LOG_FORMAT, LOG_LINE_KINDS, NONCE_METHODS, NOTE_KINDS, PROBE_FILE_REASONS } from "./events.js";

const stamped = {
  wallMs: { type: "number", description: "Receipt time, epoch ms, recorder wall clock." },
  monoMs: { type: "number", minimum: 0, description: "Receipt time, ms since recording start, monotonic." },
} as const;

const stampedRequired = ["kind", "wallMs", "monoMs"] as const;

const apiWorkflow = {
  type: "object",
  description: "API-format workflow: node id → {class_type, inputs}.",
  additionalProperties: {
    type: "object",
    required: ["class_type", "inputs"],
    properties: {
      class_type: { type: "string" },
      inputs: { type: "object" },
    },
  },
} as const;

const nullableString = { type: ["string", "null"] } as const;
const host = {
  type: "object",
  required: ["timeZone", "utcOffsetMin", "platform"],
  properties: {
    timeZone: { type: "string" },
    utcOffsetMin: { type: "number" },
    platform: { type: "string" },
  },
} as const;
const version = { type: "string", pattern: "^1\\.[0-9]+$" } as const;
const nullableInteger = { type: ["integer", "null"] } as const;

const line = (kind: string, properties: Record<string, unknown>, required: readonly string[]) => ({
  type: "object",
  required: [...stampedRequired, ...required],
  properties: { kind: { const: kind }, ...stamped, ...properties },
});

export const eventLogLineSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://comfyprof.dev/schemas/event-log.v1.schema.json",
  title: "comfyprof event-log line, format v1",
  type: "object",
  required: ["kind"],
  properties: { kind: { enum: [...LOG_LINE_KINDS] } },
  oneOf: [
    line(
      "header",
      {
        source: { const: "recorder" },
        format: { const: LOG_FORMAT },
        version,
        recorder: {
          type: "object",
          required: ["name", "version", "node"],
          properties: { name: { type: "string" }, version: { type: "string" }, node: { type: "string" } },
        },
        serverUrl: { type: "string", not: { pattern: "//[^/]*@" } },
        clientId: { type: "string", minLength: 1 },
        workflow: {
          type: "object",
          required: ["sourceName", "prompt"],
          properties: {
            sourceName: nullableString,
            prompt: apiWorkflow,
            editor: {
              type: "object",
              required: ["container", "workflow", "objectInfo"],
              properties: { container: { enum: ["json", "png", "webp"] }, workflow: { type: "object" }, objectInfo: { type: "object" } },
            },
          },
        },
        plan: {
          type: "object",
          required: ["runs", "warmup", "cacheState", "pollMs", "keepPreviews", "timeoutMs", "interruptOnExit"],
          properties: {
            runs: { type: "integer", minimum: 1 },
            warmup: { type: "integer", minimum: 0 },
            cacheState: { enum: [...CACHE_STATES] },
            pollMs: { type: "number", exclusiveMinimum: 0 },
            keepPreviews: { type: "boolean" },
            timeoutMs: { type: ["number", "null"] },
            interruptOnExit: { type: "boolean" },
          },
        },
        host,
        label: nullableString,
      },
      ["format", "version", "recorder", "serverUrl", "clientId", "workflow", "plan", "host", "label"],
    ),
    line(
      "header",
      {
        source: { const: "probe" },
        format: { const: LOG_FORMAT },
        version,
        recorder: {
          type: "object",
          required: ["name", "version"],
          properties: { name: { type: "string" }, version: { type: "string" } },
        },
        server: {
          type: "object",
          required: ["hostname", "pid", "address", "port", "comfyuiVersion", "python", "argv"],
          properties: {
            hostname: { type: "string" },
            pid: { type: "integer" },
            address: nullableString,
            port: nullableInteger,
            comfyuiVersion: nullableString,
            python: { type: "string" },
            argv: { type: "array", items: { type: "string" } },
          },
        },
        host,
        clocks: {
          type: "object",
          required: ["wallMs", "monoMs"],
          properties: { wallMs: { type: "string" }, monoMs: { type: "string" } },
        },
        probe: {
          type: "object",
          required: ["pollMs", "idlePollMs", "maxBytes", "queueSize"],
          properties: {
            pollMs: { type: "integer", minimum: 0 },
            idlePollMs: { type: "integer", minimum: 0 },
            maxBytes: { type: "integer", minimum: 1 },
            queueSize: { type: "integer", minimum: 1 },
          },
        },
        file: {
          type: "object",
          required: ["index", "reason", "previous"],
          properties: { index: { type: "integer", minimum: 1 }, reason: { enum: [...PROBE_FILE_REASONS] }, previous: nullableString },
        },
        label: nullableString,
      },
      ["source", "format", "version", "recorder", "server", "host", "clocks", "probe", "file", "label"],
    ),
    line("ws", { msg: {} }, ["msg"]),
    line("sent", { sid: nullableString, msg: {} }, ["sid", "msg"]),
    line(
      "sent-binary",
      {
        sid: nullableString,
        eventType: { type: "integer" },
        bytes: { type: ["integer", "null"], minimum: 0 },
        imageFormat: { type: ["integer", "string", "null"] },
        nodeId: nullableString,
        meta: {},
      },
      ["sid", "eventType", "bytes", "imageFormat", "nodeId", "meta"],
    ),
    line(
      "prompt",
      {
        promptId: { type: "string" },
        number: { type: ["number", "null"] },
        clientId: nullableString,
        prompt: apiWorkflow,
        outputsToExecute: { type: ["array", "null"], items: { type: "string" } },
        createTimeMs: { type: ["number", "null"] },
      },
      ["promptId", "number", "clientId", "prompt", "outputsToExecute", "createTimeMs"],
    ),
    line(
      "server-log",
      {
        entries: {
          type: "array",
          items: { type: "object", required: ["t", "m"], properties: { t: { type: "string" }, m: { type: "string" } } },
        },
      },
      ["entries"],
    ),
    line("ws-invalid", { text: { type: "string" } }, ["text"]),
    line(
      "ws-binary",
      {
        eventType: nullableInteger,
        bytes: { type: "integer", minimum: 0 },
        imageFormat: { type: ["integer", "string", "null"] },
        nodeId: nullableString,
        meta: {},
        base64: { type: "string" },
      },
      ["eventType", "bytes", "imageFormat", "nodeId", "meta"],
    ),
    line(
      "http",
      {
        method: { type: "string" },
        path: { type: "string" },
        sentMonoMs: { type: "number" },
        request: {},
        status: nullableInteger,
        response: {},
        error: nullableString,
      },
      ["method", "path", "sentMonoMs", "request", "status", "response", "error"],
    ),
    line(
      "stats",
      { sentMonoMs: { type: "number" }, status: nullableInteger, response: {}, error: nullableString },
      ["sentMonoMs", "status", "response", "error"],
    ),
    line(
      "note",
      {
        note: { enum: [...NOTE_KINDS] },
        run: { type: "integer", minimum: 0 },
        promptId: { type: "string" },
        warmup: { type: "boolean" },
        cacheState: { enum: [...CACHE_STATES] },
        nonceMethod: { enum: [...NONCE_METHODS] },
        prompt: apiWorkflow,
        message: { type: "string" },
      },
      ["note"],
    ),
    line(
      "end",
      {
        reason: { enum: [...END_REASONS] },
        message: nullableString,
        runsCompleted: { type: "integer", minimum: 0 },
      },
      ["reason", "message", "runsCompleted"],
    ),
  ],
} as const;
