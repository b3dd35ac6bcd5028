import { describe, expect, it } from "vitest";
import { formatValidationError } from "../../recorder/validation-error.js";

describe("recorder/validation-error", () => {
  it("calls an HTTP 400 a rejected workflow, naming the node and input", () => {
    const body = { error: { message: "Prompt outputs failed validation" }, node_errors: { "2": { class_type: "ImageInvert", errors: [{ message: "Required input is missing", extra_info: { input_name: "image" } }] } } };
    expect(formatValidationError(400, body, {}).split("\n")).toEqual([
      "the server rejected the workflow (HTTP 400): Prompt outputs failed validation",
      "  node 2 ImageInvert:",
      '    input "image": Required input is missing',
    ]);
  });

  it("calls an HTTP 5xx the server's failure, not the workflow's, and escapes what the server said", () => {
    expect(formatValidationError(500, "Internal Server Error\u001b[2J", {})).toBe(
      "the server failed on the workflow (HTTP 500, a server error, not the workflow's fault): Internal Server Error\\x1b[2J",
    );
  });
});
