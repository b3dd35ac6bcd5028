// GET /view?filename=…&subfolder=…&type=…, answered as ComfyUI 0.21's
// server.py `view_image` does (its checks, status codes and headers), from a
// lookup instead of the disk. A stand-in image is a real PNG of the stated
// size; the X-Comfyprof-Replay header says where the bytes came from.

import { encodeSolidPng } from "./png.js";
import type { FileRef } from "./recorded-images.js";

export type ViewSource =
  /** Bytes the server holds (an upload). */
  | { kind: "bytes"; body: Buffer; origin: string }
  /** A solid image standing in for a file the server never had. */
  | { kind: "stand-in"; width: number; height: number; text: Record<string, string>; detail: string };

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
}

/** The one response header that says the bytes are not the server's own file. */
export const REPLAY_HEADER = "X-Comfyprof-Replay";
export const REPLAY_DETAIL_HEADER = "X-Comfyprof-Replay-Detail";

/** Mid grey: visibly a stand-in, neither black nor white. */
const STAND_IN_RGB = [128, 128, 128] as const;
/** Above this many pixels a stand-in would take hundreds of MB to build; the placeholder size is served instead. */
const MAX_STAND_IN_PIXELS = 4096 * 4096;
export const PLACEHOLDER_SIZE_PX = 64;

const FOLDER_TYPES = new Set(["output", "input", "temp"]);
/** folder_paths.annotated_filepath: "name.png [output]" names its folder itself. */
const ANNOTATIONS: [suffix: string, type: string, cut: number][] = [
  ["[output]", "output", 9],
  ["[input]", "input", 8],
  ["[temp]", "temp", 7],
];

const CONTENT_TYPES: Record<string, string> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", webp: "image/webp", gif: "image/gif", bmp: "image/bmp", tif: "image/tiff", tiff: "image/tiff" };

export function answerView(query: URLSearchParams, find: (ref: FileRef) => ViewSource | null): HttpAnswer {
  const status = (code: number): HttpAnswer => ({ status: code, headers: {}, body: null });
  let filename = query.get("filename");
  if (filename === null) return status(404);
  let type: string | null = null;
  for (const [suffix, folder, cut] of ANNOTATIONS) {
    if (filename.endsWith(suffix)) {
      filename = filename.slice(0, -cut);
      type = folder;
      break;
    }
  }
  if (!filename) return status(400);
  // ComfyUI's guard against reading outside its folders.
  if (filename.startsWith("/") || filename.includes("..")) return status(400);
  type ??= query.get("type") ?? "output";
  if (!FOLDER_TYPES.has(type)) return status(400);
  const subfolder = query.get("subfolder") ?? "";
  if (!staysInside(subfolder)) return status(403);
  const name = filename.slice(filename.lastIndexOf("/") + 1);
  const source = find({ type, subfolder, filename: name });
  if (!source) return status(404);
  const headers: Record<string, string> = { "Content-Disposition": headerSafe(`filename="${name}"`) };
  if (source.kind === "bytes") {
    return { status: 200, headers: { ...headers, "Content-Type": contentTypeOf(name), [REPLAY_HEADER]: source.origin }, body: source.body };
  }
  return { status: 200, headers: { ...headers, "Content-Type": "image/png", [REPLAY_HEADER]: "synthesized", [REPLAY_DETAIL_HEADER]: standInDetail(source, name, query) }, body: standInPng(source, query.get("channel")) };
}

/** os.path.join(folder, subfolder) stays inside folder (server.py's commonpath check, for /view and uploads). */
export function staysInside(subfolder: string): boolean {
  if (subfolder.startsWith("/")) return false;
  let depth = 0;
  for (const part of subfolder.split("/")) {
    if (part === "..") depth--;
    else if (part !== "" && part !== ".") depth++;
    if (depth < 0) return false;
  }
  return true;
}

function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.slice(name.lastIndexOf(".") + 1).toLowerCase()] ?? "application/octet-stream";
}

/** ComfyUI's channels: rgba (the file), rgb (no alpha), a (the alpha as an RGBA image; an opaque file's is 255). */
function standInPng(source: Extract<ViewSource, { kind: "stand-in" }>, channel: string | null): Buffer {
  const tooBig = source.width * source.height > MAX_STAND_IN_PIXELS;
  const width = tooBig ? PLACEHOLDER_SIZE_PX : source.width;
  const height = tooBig ? PLACEHOLDER_SIZE_PX : source.height;
  const color = channel === "a" ? [0, 0, 0, 255] : [...STAND_IN_RGB];
  return encodeSolidPng({ width, height, color, text: source.text });
}

function standInDetail(source: Extract<ViewSource, { kind: "stand-in" }>, name: string, query: URLSearchParams): string {
  const notes = [source.detail];
  if (source.width * source.height > MAX_STAND_IN_PIXELS) notes.push(`too large to synthesize, served ${PLACEHOLDER_SIZE_PX}x${PLACEHOLDER_SIZE_PX}`);
  if (!/\.png$/i.test(name)) notes.push("served as PNG");
  if (query.has("preview")) notes.push("preview format ignored, served as PNG");
  return headerSafe(notes.join("; "));
}

/** A header value is ASCII here (Node refuses others); a file or node name outside it shows "?". */
function headerSafe(value: string): string {
  return value.replace(/[^\t\x20-\x7e]/g, "?");
}
