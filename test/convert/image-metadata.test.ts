import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { convertEditorWorkflow, imageContainer, readImageText, readWorkflowSource, WorkflowSourceError } from "../../src/convert/index.js";
import { comparable, sampleObjectInfo } from "../support/editor-samples.js";

// Saved by ComfyUI 0.21 (SaveImage, SaveAnimatedWEBP) from a graph queued in its editor: samples/workflows/images/README.md.
const images = new URL("../../samples/workflows/images/", import.meta.url).pathname;
const png = readFileSync(`${images}comfyui-output.png`);
const webp = readFileSync(`${images}comfyui-output.webp`);

describe("convert/image-metadata", () => {
  for (const [name, bytes] of [["PNG", png], ["WebP", webp]] as const) {
    it(`reads the prompt and the editor workflow ComfyUI stored in its ${name}`, () => {
      const text = readImageText(bytes, inflateSync);
      const prompt = JSON.parse(text.get("prompt")!);
      const workflow = JSON.parse(text.get("workflow")!);
      expect(Object.values(prompt).map((n) => (n as { class_type: string }).class_type).sort()).toEqual(["EmptyImage", "ImageInvert", "SaveAnimatedWEBP", "SaveImage"]);
      expect(workflow.nodes.length).toBeGreaterThan(4);
    });

    it(`converts the ${name}'s editor workflow into the prompt the server ran`, () => {
      const text = readImageText(bytes);
      const { prompt, unconverted } = convertEditorWorkflow(JSON.parse(text.get("workflow")!), sampleObjectInfo());
      expect(unconverted).toEqual([]);
      expect(comparable(prompt)).toEqual(comparable(JSON.parse(text.get("prompt")!)));
    });
  }

  it("takes an image's prompt (what the server ran) over its workflow", () => {
    const source = readWorkflowSource(png, "out.png");
    expect(source).toMatchObject({ format: "api", container: "png" });
    expect(readWorkflowSource(webp, "out.webp")).toMatchObject({ format: "api", container: "webp" });
  });

  it("tells editor JSON from API JSON", () => {
    const editor = readFileSync(new URL("../../samples/workflows/editor/seeds.json", import.meta.url));
    expect(readWorkflowSource(editor, "seeds.json")).toMatchObject({ format: "editor", container: "json" });
    const api = readFileSync(new URL("../../samples/workflows/benchmark.json", import.meta.url));
    expect(readWorkflowSource(api, "benchmark.json")).toMatchObject({ format: "api", container: "json" });
  });

  it("refuses an image with no workflow in it, saying which kind of image is needed", () => {
    // The PNG cut after its header chunk: a valid signature, no text chunks.
    const bare = png.subarray(0, 8 + 25);
    expect(imageContainer(bare)).toBe("png");
    expect(() => readWorkflowSource(bare, "bare.png")).toThrow(WorkflowSourceError);
    expect(() => readWorkflowSource(bare, "bare.png")).toThrow(/bare\.png: this PNG holds no ComfyUI workflow/);
  });
});
