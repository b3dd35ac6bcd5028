// The size of an output image as the recorded workflow states it. ComfyUI
// never says an output's size (`executed` and /history give only filename,
// subfolder and type), but the prompt often does: the nearest node upstream
// with literal `width` and `height` inputs (EmptyImage, ImageScale,
// EmptyLatentImage, …) sets it, if every node between keeps the size.

import type { ApiWorkflow } from "../../src/model/events.js";

export interface StatedSize {
  width: number;
  height: number;
  /** The node whose inputs state it, e.g. `node 2 (ImageScale)`. */
  source: string;
}

/**
 * Stock ComfyUI nodes that keep their input's pixel size, and the input it
 * comes through. Only these are walked: any other node (ImageScaleBy, an
 * upscale model, a rotation, a custom node) may change the size, so the size
 * is then unknown rather than guessed. A latent's width and height are given
 * in pixels by its own nodes (EmptyLatentImage, LatentUpscale), so VAEDecode
 * and the samplers keep them too.
 */
const SIZE_KEEPING_INPUT: Record<string, string> = {
  SaveImage: "images",
  PreviewImage: "images",
  ImageInvert: "image",
  ImageFlip: "image",
  ImageBlur: "image",
  ImageSharpen: "image",
  ImageQuantize: "image",
  VAEDecode: "samples",
  VAEDecodeTiled: "samples",
  KSampler: "latent_image",
  KSamplerAdvanced: "latent_image",
  SetLatentNoiseMask: "samples",
  VAEEncode: "pixels",
};

/** The size the workflow states for `nodeId`'s images, or null when it does not. */
export function statedImageSize(prompt: ApiWorkflow, nodeId: string): StatedSize | null {
  const seen = new Set<string>();
  let id: string | null = nodeId;
  while (id !== null && !seen.has(id)) {
    seen.add(id);
    const node: ApiWorkflow[string] | undefined = prompt[id];
    if (!node) return null;
    const { width, height } = node.inputs;
    if (isPixelCount(width) && isPixelCount(height)) return { width, height, source: `node ${id} (${node.class_type})` };
    const through: string | undefined = SIZE_KEEPING_INPUT[node.class_type];
    const link: unknown = through === undefined ? undefined : node.inputs[through];
    id = Array.isArray(link) && typeof link[0] === "string" ? link[0] : null;
  }
  return null;
}

/** ImageScale's 0 means "keep the aspect ratio", not a size. */
function isPixelCount(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v > 0;
}
