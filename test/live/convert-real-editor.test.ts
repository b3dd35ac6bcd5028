// Live: every editor workflow under samples/workflows/editor/ converted both
// ways — by the running editor itself (app.graphToPrompt in headless Chromium)
// and by comfyprof with the running server's /object_info — must give the same
// prompt (ids, class types, every input). Then one is recorded from the editor
// file and one from a ComfyUI PNG. Opt-in:
//   COMFY_URL=http://127.0.0.1:8188 npm run test:live
// Without COMFY_URL every case is reported as skipped; with it set and the
// server unreachable, the suite fails saying so.

import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertWithServer } from "../../recorder/editor-workflow.js";
import type { HeaderLine } from "../../src/model/events.js";
import { openComfyEditor, type ComfyEditor } from "../support/comfy-editor.js";
import { comparable, editorSamples } from "../support/editor-samples.js";
import { runCli } from "../support/cli.js";

const url = process.env.COMFY_URL;
const workDir = mkdtempSync(join(tmpdir(), "comfyprof-live-convert-"));

describe.skipIf(!url)("live: editor workflows converted by the real editor and by comfyprof (COMFY_URL)", () => {
  let editor: ComfyEditor;
  beforeAll(async () => {
    try {
      const res = await fetch(`${url}/system_stats`, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      throw new Error(`COMFY_URL=${url} is set but the server does not answer /system_stats (${(err as Error).message}). Start ComfyUI or unset COMFY_URL.`);
    }
    editor = await openComfyEditor(url!);
  }, 180_000);
  afterAll(async () => editor?.close());

  for (const sample of editorSamples()) {
    it(`converts ${sample.name} as the running editor does`, async () => {
      const byEditor = await editor.toApiPrompt(sample.workflow);
      const byComfyprof = await convertWithServer(sample.workflow, "json", `${sample.name}.json`, url!, {});
      expect(comparable(byComfyprof.prompt)).toEqual(comparable(byEditor));
    }, 60_000);
  }

  it("records an editor workflow: the header keeps the editor graph and the definitions used, and the converted prompt ran", async () => {
    const out = join(workDir, "seeds.ndjson");
    const ran = await runCli(["record", "--url", url!, "-w", "samples/workflows/editor/seeds.json", "-o", out, "--quiet"]);
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    const lines = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const header = lines[0] as HeaderLine;
    expect(header.workflow.editor?.container).toBe("json");
    expect(Object.keys(header.workflow.editor!.objectInfo).sort()).toEqual(["ComfyprofSleep", "EmptyImage", "PreviewImage", "PrimitiveInt"]);
    expect(comparable(header.workflow.prompt)).toEqual(comparable(await editor.toApiPrompt(header.workflow.editor!.workflow)));
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "done", runsCompleted: 1 });
  }, 120_000);

  it("records the workflow a ComfyUI PNG holds", async () => {
    const out = join(workDir, "png.ndjson");
    const ran = await runCli(["record", "--url", url!, "-w", "samples/workflows/images/comfyui-output.png", "-o", out, "--quiet", "--cache-warm"]);
    expect(ran.code).toBe(0);
    const header = JSON.parse(readFileSync(out, "utf8").split("\n")[0]!) as HeaderLine;
    expect(header.workflow.sourceName).toBe("comfyui-output.png");
    expect(Object.values(header.workflow.prompt).map((n) => n.class_type).sort()).toEqual(["EmptyImage", "ImageInvert", "SaveAnimatedWEBP", "SaveImage"]);
  }, 120_000);
});
