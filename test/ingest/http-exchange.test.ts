import { describe, expect, it } from "vitest";
import { parseHttpExchange } from "../../src/ingest/http-exchange.js";
import type { HttpLine } from "../../src/model/events.js";

const line = (method: string, path: string, status: number | null, response: unknown, request: unknown = null): HttpLine => ({
  kind: "http", wallMs: 1_000, monoMs: 50, method, path, sentMonoMs: 40, request, status, response, error: null,
});

describe("ingest/http-exchange", () => {
  it("reads a POST /prompt reply (also under /api): the prompt id we chose, no refusal", () => {
    for (const path of ["/prompt", "/api/prompt"]) {
      expect(parseHttpExchange(line("POST", path, 200, { prompt_id: "p1", number: 3, node_errors: {} }, { prompt_id: "p1" }), 9)).toEqual({
        kind: "prompt-reply", lineNo: 9, wallMs: 1_000, monoMs: 50, sentMonoMs: 40, promptId: "p1", status: 200, rejection: null,
        body: { prompt_id: "p1", number: 3, node_errors: {} },
      });
    }
  });

  it("reads a refusal's node errors, each with its node, class and input", () => {
    const body = {
      error: { type: "prompt_outputs_failed_validation", message: "Prompt outputs failed validation", details: "", extra_info: {} },
      node_errors: { "2": { errors: [{ type: "required_input_missing", message: "Required input is missing", details: "image", extra_info: { input_name: "image" } }], dependent_outputs: ["3"], class_type: "ImageInvert" } },
    };
    const reply = parseHttpExchange(line("POST", "/prompt", 400, body, { prompt_id: "p1" }), 2);
    expect(reply).toMatchObject({ kind: "prompt-reply", promptId: "p1", status: 400 });
    expect(reply.kind === "prompt-reply" && reply.rejection).toEqual({
      status: 400,
      errorType: "prompt_outputs_failed_validation",
      message: "HTTP 400: Prompt outputs failed validation",
      validationErrors: [{ nodeId: "2", classType: "ImageInvert", inputName: "image", message: "Required input is missing: image" }],
    });
    // A server error with a plain string body still says what it was.
    const plain = parseHttpExchange(line("POST", "/prompt", 500, { error: "boom" }), 3);
    expect(plain.kind === "prompt-reply" && plain.rejection).toMatchObject({ status: 500, errorType: null, message: "HTTP 500: boom", validationErrors: [] });
  });

  it("reads a history entry's create_time and outputs_to_execute, keeping the entry for replay", () => {
    const entry = { prompt: [1, "p 1", {}, { client_id: "c", create_time: 1_700_000_000_123 }, ["9"]], outputs: {}, status: {} };
    const ev = parseHttpExchange(line("GET", "/api/history/p%201", 200, { "p 1": entry }), 4);
    expect(ev).toEqual({ kind: "history", lineNo: 4, wallMs: 1_000, monoMs: 50, sentMonoMs: 40, promptId: "p 1", createTimeMs: 1_700_000_000_123, outputsToExecute: ["9"], entry });
    // Before the run ends the server answers {}: nothing to read, the exchange as recorded.
    expect(parseHttpExchange(line("GET", "/history/p1", 200, {}), 5)).toMatchObject({ kind: "http", path: "/history/p1", lineNo: 5 });
  });

  it("reads /object_info by class, and passes any other exchange on as recorded", () => {
    expect(parseHttpExchange(line("GET", "/object_info/ComfyprofSleep", 200, { ComfyprofSleep: { input: {} } }), 6)).toMatchObject({
      kind: "object-info", classes: { ComfyprofSleep: { input: {} } },
    });
    expect(parseHttpExchange(line("POST", "/free", 200, null, { free_memory: true }), 7)).toMatchObject({ kind: "http", method: "POST", path: "/free", lineNo: 7 });
  });
});
