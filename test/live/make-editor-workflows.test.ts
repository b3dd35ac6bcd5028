// Makes samples/workflows/editor/*.json in the real editor and stores beside
// each the editor's own API conversion (*.api.json) and the frontend version.
// Opt-in, only with COMFY_URL and COMFYPROF_UPDATE_SAMPLES=1:
//   COMFY_URL=http://127.0.0.1:8188 COMFYPROF_UPDATE_SAMPLES=1 npx vitest run test/live/make-editor-workflows.test.ts

import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openComfyEditor, type ComfyEditor } from "../support/comfy-editor.js";
import { EDITOR_WORKFLOW_BUILDERS } from "./editor-workflow-builders.js";
import { EDITOR_SUBGRAPH_BUILDERS, GROUP_NODE_NAMES } from "./editor-subgraph-builders.js";

const url = process.env.COMFY_URL;
const update = process.env.COMFYPROF_UPDATE_SAMPLES === "1";
const dir = fileURLToPath(new URL("../../samples/workflows/editor/", import.meta.url));

describe.skipIf(!url || !update)("make the editor sample workflows in the real editor (COMFY_URL, COMFYPROF_UPDATE_SAMPLES=1)", () => {
  let editor: ComfyEditor;
  beforeAll(async () => {
    editor = await openComfyEditor(url!);
  }, 180_000);
  afterAll(async () => editor?.close());

  for (const [name, build] of Object.entries({ ...EDITOR_WORKFLOW_BUILDERS, ...EDITOR_SUBGRAPH_BUILDERS })) {
    it(`builds ${name}`, async () => {
      await editor.page.evaluate(async (source) => {
        const w = globalThis as unknown as { app: any; LiteGraph: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
        w.app.graph.clear();
        await (0, eval)(`(${source})`)(w.app, w.LiteGraph);
      }, build.toString());
      const groupName = GROUP_NODE_NAMES[name];
      if (groupName) {
        const input = editor.page.locator("[role=dialog] input").first();
        await input.fill(groupName);
        await input.press("Enter");
        await editor.page.evaluate("globalThis.pendingCommand");
      }
      const workflow = await editor.page.evaluate("app.graph.serialize()");
      const prompt = await editor.toApiPrompt(workflow);
      expect(Object.keys(prompt).length).toBeGreaterThan(0);
      writeFileSync(`${dir}${name}.json`, `${JSON.stringify(workflow, null, 1)}\n`);
      writeFileSync(`${dir}${name}.api.json`, `${JSON.stringify(prompt, null, 1)}\n`);
      writeFileSync(`${dir}FRONTEND_VERSION`, `${editor.frontendVersion}\n`);
    }, 120_000);
  }
});
