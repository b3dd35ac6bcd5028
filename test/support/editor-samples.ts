// The editor workflows under samples/workflows/editor/, each with the API
// prompt the real editor made of it (*.api.json) and the /object_info subset
// they need (object_info.json, from the server the samples were made with).

import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ApiWorkflow } from "../../src/model/events.js";
import type { ObjectInfo } from "../../src/convert/index.js";

export const EDITOR_SAMPLES_DIR = fileURLToPath(new URL("../../samples/workflows/editor/", import.meta.url));

export interface EditorSample {
  name: string;
  path: string;
  workflow: unknown;
  /** What the editor itself made of it (frontend version in FRONTEND_VERSION). */
  expected: ApiWorkflow;
}

export function editorSamples(): EditorSample[] {
  return readdirSync(EDITOR_SAMPLES_DIR)
    .filter((f) => f.endsWith(".json") && !f.endsWith(".api.json") && f !== "object_info.json")
    .sort()
    .map((f) => ({
      name: f.replace(/\.json$/, ""),
      path: `${EDITOR_SAMPLES_DIR}${f}`,
      workflow: JSON.parse(readFileSync(`${EDITOR_SAMPLES_DIR}${f}`, "utf8")),
      expected: JSON.parse(readFileSync(`${EDITOR_SAMPLES_DIR}${f.replace(/\.json$/, ".api.json")}`, "utf8")) as ApiWorkflow,
    }));
}

export function sampleObjectInfo(): ObjectInfo {
  return JSON.parse(readFileSync(`${EDITOR_SAMPLES_DIR}object_info.json`, "utf8")) as ObjectInfo;
}

/**
 * What must match the editor's own conversion: ids, class types and every input.
 * `_meta.title` is left out: for a node without a title of its own the editor shows
 * its translated display name ("Invert Image"), the server's is "Invert Image Colors".
 */
export function comparable(prompt: ApiWorkflow): Record<string, { class_type: string; inputs: Record<string, unknown> }> {
  return Object.fromEntries(Object.entries(prompt).map(([id, n]) => [id, { class_type: n.class_type, inputs: n.inputs }]));
}
