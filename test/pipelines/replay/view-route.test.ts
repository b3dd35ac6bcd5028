import { describe, expect, it } from "vitest";
import { statedImageSize } from "../../../pipelines/replay/image-size.js";
import { fileKey, type FileRef } from "../../../pipelines/replay/recorded-images.js";
import { answerView, PLACEHOLDER_SIZE_PX, type ViewSource } from "../../../pipelines/replay/view-route.js";
import type { ApiWorkflow } from "../../../src/model/events.js";
import { decodePng } from "../../support/png-decode.js";

const saved: FileRef = { type: "output", subfolder: "comfyprof", filename: "out_00001_.png" };
const standIn: ViewSource = { kind: "stand-in", width: 4, height: 3, text: { prompt: "{}" }, detail: "4x3 as node 2 (ImageScale) states" };
const lookups: FileRef[] = [];
const find = (ref: FileRef) => {
  lookups.push(ref);
  return fileKey(ref) === fileKey(saved) ? standIn : null;
};
const view = (query: Record<string, string>) => answerView(new URLSearchParams(query), find);

describe("pipelines/replay/view-route", () => {
  it("serves a recorded file as a PNG of its stated size, marked synthesized, named as ComfyUI names it", () => {
    const answer = view({ filename: "out_00001_.png", subfolder: "comfyprof/", type: "output" });
    expect(answer.status).toBe(200);
    expect(answer.headers).toEqual({
      "Content-Disposition": 'filename="out_00001_.png"',
      "Content-Type": "image/png",
      "X-Comfyprof-Replay": "synthesized",
      "X-Comfyprof-Replay-Detail": "4x3 as node 2 (ImageScale) states",
    });
    expect(decodePng(answer.body!)).toMatchObject({ width: 4, height: 3, channels: 3, text: { prompt: "{}" } });
  });

  it("answers as ComfyUI 0.21 does: 404 without a filename or for an unknown file, 400 for a path or an unknown type, 403 outside the folder", () => {
    expect(view({}).status).toBe(404);
    expect(view({ filename: "nope.png" }).status).toBe(404);
    expect(view({ filename: "../out_00001_.png" }).status).toBe(400);
    expect(view({ filename: "/etc/passwd" }).status).toBe(400);
    expect(view({ filename: "" }).status).toBe(400);
    expect(view({ filename: "out_00001_.png", type: "models" }).status).toBe(400);
    expect(view({ filename: "out_00001_.png", subfolder: "../.." }).status).toBe(403);
    expect(view({ filename: "out_00001_.png", subfolder: "/tmp" }).status).toBe(403);
  });

  it("takes the folder from a name's annotation, the file's own name from a path inside it, and output without a type", () => {
    lookups.length = 0;
    expect(view({ filename: "out_00001_.png [output]", subfolder: "comfyprof", type: "temp" }).status).toBe(200);
    expect(view({ filename: "sub/out_00001_.png", subfolder: "comfyprof" }).status).toBe(200);
    expect(lookups).toEqual([saved, saved]);
  });

  it("gives channel=a as ComfyUI does for an opaque image: black with alpha 255; other formats asked for are said to be PNG", () => {
    const alpha = view({ filename: "out_00001_.png", subfolder: "comfyprof", channel: "a", preview: "webp;50" });
    const png = decodePng(alpha.body!);
    expect(png.channels).toBe(4);
    expect([...png.pixels.subarray(0, 4)]).toEqual([0, 0, 0, 255]);
    expect(alpha.headers["X-Comfyprof-Replay-Detail"]).toContain("preview format ignored, served as PNG");
  });

  it("serves an image too large to build as the placeholder, and says so", () => {
    const huge = answerView(new URLSearchParams({ filename: "x.png" }), () => ({ ...standIn, width: 16384, height: 16384 }));
    expect(decodePng(huge.body!)).toMatchObject({ width: PLACEHOLDER_SIZE_PX, height: PLACEHOLDER_SIZE_PX });
    expect(huge.headers["X-Comfyprof-Replay-Detail"]).toContain(`too large to synthesize, served ${PLACEHOLDER_SIZE_PX}x${PLACEHOLDER_SIZE_PX}`);
  });
});

describe("pipelines/replay/image-size", () => {
  const node = (class_type: string, inputs: Record<string, unknown>) => ({ class_type, inputs });
  const sd: ApiWorkflow = {
    "4": node("CheckpointLoaderSimple", { ckpt_name: "v1-5.safetensors" }),
    "5": node("EmptyLatentImage", { width: 512, height: 640, batch_size: 1 }),
    "3": node("KSampler", { model: ["4", 0], latent_image: ["5", 0], seed: 5 }),
    "8": node("VAEDecode", { samples: ["3", 0], vae: ["4", 2] }),
    "9": node("SaveImage", { images: ["8", 0], filename_prefix: "ComfyUI" }),
  };

  it("follows the image back through nodes that keep its size to the node that states it", () => {
    // 9 SaveImage ← 8 VAEDecode ← 3 KSampler ← 5 EmptyLatentImage 512×640 (a latent's size is given in pixels).
    expect(statedImageSize(sd, "9")).toEqual({ width: 512, height: 640, source: "node 5 (EmptyLatentImage)" });
  });

  it("does not guess past a node that may change the size, nor from ImageScale's 0 (keep the aspect ratio)", () => {
    const scaledBy: ApiWorkflow = { ...sd, "10": node("ImageScaleBy", { image: ["8", 0], scale_by: 2 }), "9": node("SaveImage", { images: ["10", 0] }) };
    expect(statedImageSize(scaledBy, "9")).toBeNull();
    const keepAspect: ApiWorkflow = { ...sd, "10": node("ImageScale", { image: ["8", 0], width: 0, height: 768 }), "9": node("SaveImage", { images: ["10", 0] }) };
    expect(statedImageSize(keepAspect, "9")).toBeNull();
    const loop: ApiWorkflow = { "1": node("ImageInvert", { image: ["2", 0] }), "2": node("ImageInvert", { image: ["1", 0] }) };
    expect(statedImageSize(loop, "1")).toBeNull();
  });
});
