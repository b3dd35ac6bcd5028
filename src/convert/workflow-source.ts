// What a workflow file holds, whatever it is: API JSON, editor JSON, or a
// ComfyUI image whose metadata holds one or both. An image's "prompt" is the
// API prompt the server ran, so it is preferred; its "workflow" (the editor
// graph) is converted only when there is no prompt.

import { isEditorWorkflow } from "./editor-format.js";
import { imageContainer, readImageText, type Inflate } from "./image-metadata.js";
import * as say from "./messages.js";

export type WorkflowContainer = "json" | "png" | "webp";

export type WorkflowSource =
  /** API format: `text` is its JSON, for the API parser to check. */
  | { format: "api"; container: WorkflowContainer; text: string }
  /** Editor format, parsed; it needs /object_info to become a prompt. */
  | { format: "editor"; container: WorkflowContainer; workflow: unknown };

export class WorkflowSourceError extends Error {}

export function readWorkflowSource(bytes: Uint8Array, sourceName: string, inflate?: Inflate): WorkflowSource {
  const container = imageContainer(bytes);
  if (container === null) {
    const text = new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "");
    return fromJsonText(text, "json", sourceName);
  }
  const entries = readImageText(bytes, inflate);
  const prompt = entries.get("prompt");
  if (prompt !== undefined) return { format: "api", container, text: prompt };
  const workflow = entries.get("workflow");
  if (workflow !== undefined) return fromJsonText(workflow, container, `${sourceName} (its "workflow" metadata)`);
  throw new WorkflowSourceError(say.noWorkflowInImage(sourceName, container));
}

function fromJsonText(text: string, container: WorkflowContainer, sourceName: string): WorkflowSource {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // Left to the API parser, which names the JSON error the same way for every file.
    if (container === "json") return { format: "api", container, text };
    throw new WorkflowSourceError(`${sourceName}: not valid JSON (${(err as Error).message})`);
  }
  return isEditorWorkflow(data) ? { format: "editor", container, workflow: data } : { format: "api", container, text };
}
