import { describe, expect, it } from "vitest";
import { decodePng } from "./png-decode.js";

/** 5×4 RGB written by Pillow 13 (rows filtered Sub, then Paeth), pixel (x, y) = (50x, 60y, 20xy), tEXt prompt {"1":{}}. */
const PILLOW_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAUAAAAECAIAAADJUWIXAAAAD3RFWHRwcm9tcHQAeyIxIjp7fX2PAhg8AAAAIUlEQVR4nGNkYGAwQkIsDDYMDAwicATna0AQMt+GgcEGAFygAxrKvIEIAAAAAElFTkSuQmCC";

describe("support/png-decode", () => {
  it("reads a PNG another encoder wrote: size, filtered pixels and text", () => {
    const png = decodePng(Buffer.from(PILLOW_PNG, "base64"));
    expect(png).toMatchObject({ width: 5, height: 4, channels: 3, text: { prompt: '{"1":{}}' } });
    const at = (x: number, y: number) => [...png.pixels.subarray((y * 5 + x) * 3, (y * 5 + x) * 3 + 3)];
    expect(at(4, 3)).toEqual([200, 180, 240]);
    expect(at(2, 1)).toEqual([100, 60, 40]);
  });

  it("refuses a file whose bytes were changed (the chunk's CRC no longer matches)", () => {
    const bytes = Buffer.from(PILLOW_PNG, "base64");
    const inIdat = bytes.length - 20; // before IDAT's CRC and the 12-byte IEND
    bytes.writeUInt8(bytes.readUInt8(inIdat) ^ 0xff, inIdat);
    expect(() => decodePng(bytes)).toThrow(/bad CRC/);
    expect(() => decodePng(Buffer.from("not a png"))).toThrow(/signature/);
  });
});
