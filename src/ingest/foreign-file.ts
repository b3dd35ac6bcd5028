// Files that are not event logs at all, told from their first line, so that
// the message says what the file is instead of "line 1: not valid JSON": a
// JSON document (a workflow, a profile, an array) or binary data. Pure: one
// line of text in, a description or null out.

import { isObject } from "./shape.js";

/** A NUL or a byte sequence that is not UTF-8 (decoded as U+FFFD): no text log has either. */
const BINARY = /[\u0000\ufffd]/;

/** What the first non-blank line shows the file to be, when it is plainly not a log; else null. */
export function describeForeignFirstLine(text: string): string | null {
  const trimmed = text.trim();
  if (BINARY.test(text) && !trimmed.startsWith('{"')) return "binary data";
  if (trimmed === "{" || trimmed === "[" || trimmed.startsWith("[")) return "a JSON document (one value over the whole file)";
  if (!trimmed.startsWith("{") || text.includes('"kind"')) return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return null;
  }
  if (!isObject(value)) return null;
  if (Array.isArray(value.nodes) && Array.isArray(value.links)) return "a ComfyUI workflow (editor format)";
  const values = Object.values(isObject(value.prompt) ? value.prompt : value);
  if (values.length > 0 && values.every((v) => isObject(v) && typeof v.class_type === "string")) return "a ComfyUI workflow (API format)";
  return "a JSON object without a \"kind\"";
}
