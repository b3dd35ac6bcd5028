// Summarizes a binary WebSocket frame (ComfyUI previews) without copying the
// image: type, size and the node it belongs to, where the frame says.
// Layout (ComfyUI server.py): big-endian u32 event type, then
//   1 PREVIEW_IMAGE: u32 image format (1 JPEG, 2 PNG), image bytes
//   3 TEXT: u32 node-id length, node id, text
//   4 PREVIEW_IMAGE_WITH_METADATA: u32 metadata length, metadata JSON, image bytes

import type { WsBinaryLine } from "../src/model/events.js";

export type BinarySummary = Omit<WsBinaryLine, "kind" | "wallMs" | "monoMs">;

/** Metadata beyond this size is not parsed (it is a few hundred bytes in practice). */
const MAX_META_BYTES = 64 * 1024;

export function summarizeBinaryFrame(frame: Buffer, keepBytes: boolean): BinarySummary {
  const summary: BinarySummary = {
    eventType: null,
    bytes: frame.length,
    imageFormat: null,
    nodeId: null,
    meta: null,
  };
  if (frame.length >= 4) {
    const eventType = frame.readUInt32BE(0);
    summary.eventType = eventType;
    if (frame.length >= 8) {
      const word = frame.readUInt32BE(4);
      if (eventType === 1) summary.imageFormat = word;
      if (eventType === 3 && 8 + word <= frame.length) summary.nodeId = frame.toString("utf8", 8, 8 + word);
      if (eventType === 4 && word <= MAX_META_BYTES && 8 + word <= frame.length) {
        summary.meta = parseJsonOrText(frame.toString("utf8", 8, 8 + word));
        const meta = summary.meta as Record<string, unknown> | null;
        if (meta && typeof meta === "object") {
          if (typeof meta.node_id === "string") summary.nodeId = meta.node_id;
          const imageType = meta.image_type;
          if (typeof imageType === "string" || typeof imageType === "number") summary.imageFormat = imageType;
        }
      }
    }
  }
  if (keepBytes) summary.base64 = frame.toString("base64");
  return summary;
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
