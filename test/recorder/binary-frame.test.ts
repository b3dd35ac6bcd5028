import { describe, expect, it } from "vitest";
import { summarizeBinaryFrame } from "../../recorder/binary-frame.js";

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

describe("recorder/binary-frame", () => {
  it("reads a legacy preview's type and image format", () => {
    expect(summarizeBinaryFrame(Buffer.concat([u32(1), u32(1), Buffer.alloc(10)]), false)).toEqual({ eventType: 1, bytes: 18, imageFormat: 1, nodeId: null, meta: null });
  });

  it("reads the node id of a text frame", () => {
    const id = Buffer.from("12.0.0.3");
    expect(summarizeBinaryFrame(Buffer.concat([u32(3), u32(id.length), id, Buffer.from("hello")]), false).nodeId).toBe("12.0.0.3");
  });

  it("keeps metadata of a preview with metadata, and the bytes only when asked", () => {
    const meta = Buffer.from('{"node_id":"9","image_type":"image/jpeg"}');
    const frame = Buffer.concat([u32(4), u32(meta.length), meta, Buffer.alloc(3)]);
    const s = summarizeBinaryFrame(frame, true);
    expect(s).toMatchObject({ eventType: 4, nodeId: "9", imageFormat: "image/jpeg", meta: { node_id: "9", image_type: "image/jpeg" } });
    expect(s.base64).toBe(frame.toString("base64"));
  });

  it("copes with frames too short to hold a header", () => {
    expect(summarizeBinaryFrame(Buffer.from([1, 2]), false)).toEqual({ eventType: null, bytes: 2, imageFormat: null, nodeId: null, meta: null });
    expect(summarizeBinaryFrame(Buffer.concat([u32(4), u32(999)]), false)).toMatchObject({ eventType: 4, meta: null, nodeId: null });
  });
});
