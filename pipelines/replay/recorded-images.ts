// Every output image a recording names (in `executed` messages and /history
// entries), for the replay's GET /view. A recording never holds the files
// themselves — the recorder logs WebSocket frames and its own HTTP exchanges,
// and only previews arrive as frames — so /view answers with a stand-in of
// the size the workflow states (./image-size.ts), marked as synthesized.

import type { ApiWorkflow } from "../../src/model/events.js";
import { statedImageSize, type StatedSize } from "./image-size.js";
import type { RecordedRun, Recording } from "./recorded-runs.js";
import { PLACEHOLDER_SIZE_PX, type ViewSource } from "./view-route.js";

/** What /view is asked for: ComfyUI's `type` folder, subfolder and file name. */
export interface FileRef {
  type: string;
  subfolder: string;
  filename: string;
}

export interface RecordedImage extends FileRef {
  nodeId: string;
  /** The prompt that made it, as submitted (ComfyUI writes it into its PNGs). */
  prompt: ApiWorkflow;
  size: StatedSize | null;
}

/** The extensions ComfyUI's image nodes write; other outputs (audio, video, 3D) are not images. */
const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp|gif|bmp|tiff?)$/i;

export function fileKey(ref: FileRef): string {
  return JSON.stringify([ref.type, normalizeSubfolder(ref.subfolder), ref.filename]);
}

/** The folder a subfolder names on the server: "a/", "a/./b", "a//b" and "x/../a" as "a", "a/b", "a/b", "a". */
export function normalizeSubfolder(subfolder: string): string {
  const parts: string[] = [];
  for (const part of subfolder.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "" && part !== ".") parts.push(part);
  }
  return parts.join("/");
}

export function recordedImages(recording: Recording): Map<string, RecordedImage> {
  const images = new Map<string, RecordedImage>();
  for (const run of recording.runs) {
    for (const [nodeId, output] of outputsOf(run)) {
      for (const ref of imageRefs(output)) {
        const key = fileKey(ref);
        if (!images.has(key)) images.set(key, { ...ref, nodeId, prompt: run.prompt, size: statedImageSize(run.prompt, nodeId) });
      }
    }
  }
  return images;
}

/** What /view serves for a recorded image: a stand-in with ComfyUI's `prompt` text chunk. */
export function standInFor(image: RecordedImage): ViewSource {
  const { size } = image;
  return {
    kind: "stand-in",
    width: size?.width ?? PLACEHOLDER_SIZE_PX,
    height: size?.height ?? PLACEHOLDER_SIZE_PX,
    text: { prompt: latin1Json(image.prompt) },
    detail: size ? `${size.width}x${size.height} as ${size.source} states` : `size not stated by the recording, ${PLACEHOLDER_SIZE_PX}x${PLACEHOLDER_SIZE_PX} placeholder`,
  };
}

/** JSON that a tEXt chunk (Latin-1) holds as is: other characters as \u escapes, which JSON reads back. */
function latin1Json(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x00-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** [node id, its UI output] from the run's `executed` messages and its /history entry. */
function outputsOf(run: RecordedRun): [string, unknown][] {
  const found: [string, unknown][] = [];
  for (const { message } of run.messages) {
    const m = message as { type?: unknown; data?: { node?: unknown; output?: unknown } } | null;
    if (m?.type === "executed" && typeof m.data?.node === "string") found.push([m.data.node, m.data.output]);
  }
  const outputs = (run.history as { outputs?: unknown } | null)?.outputs;
  if (outputs && typeof outputs === "object") found.push(...Object.entries(outputs));
  return found;
}

/** The file references in a node's UI output ({images: [{filename, subfolder, type}], …}) that name images. */
function imageRefs(output: unknown): FileRef[] {
  if (!output || typeof output !== "object") return [];
  const refs: FileRef[] = [];
  for (const list of Object.values(output)) {
    if (!Array.isArray(list)) continue;
    for (const item of list as { filename?: unknown; subfolder?: unknown; type?: unknown }[]) {
      if (typeof item?.filename !== "string" || !IMAGE_EXTENSIONS.test(item.filename)) continue;
      refs.push({
        filename: item.filename,
        subfolder: typeof item.subfolder === "string" ? item.subfolder : "",
        type: typeof item.type === "string" ? item.type : "output",
      });
    }
  }
  return refs;
}
