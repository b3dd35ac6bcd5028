// A minimal PNG encoder for the replay's stand-in images: one solid colour,
// 8-bit RGB or RGBA, optional tEXt chunks (ComfyUI's own outputs carry the
// prompt in one). Enough for any decoder to read it; no filtering, since every
// row is the same and deflate folds the repetition away.
// Format: https://www.w3.org/TR/png-3/ (signature, IHDR, tEXt, IDAT, IEND).

import { crc32, deflateSync } from "node:zlib";

export interface SolidImage {
  width: number;
  height: number;
  /** 3 values (RGB) or 4 (RGBA), 0–255 each. */
  color: readonly number[];
  /** tEXt chunks, keyword → Latin-1 text. */
  text?: Record<string, string>;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOR_TYPE_RGB = 2;
const COLOR_TYPE_RGBA = 6;
const FILTER_NONE = 0;

export function encodeSolidPng(image: SolidImage): Buffer {
  const { width, height, color } = image;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`a PNG needs a whole, positive width and height, got ${width}×${height}`);
  }
  if (color.length !== 3 && color.length !== 4) throw new RangeError(`a PNG colour is RGB or RGBA, got ${color.length} values`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(color.length === 4 ? COLOR_TYPE_RGBA : COLOR_TYPE_RGB, 9);
  // Bytes 10–12: compression 0 (deflate), filter method 0, no interlace.
  const row = Buffer.alloc(1 + width * color.length);
  row[0] = FILTER_NONE;
  for (let x = 0; x < width; x++) row.set(color, 1 + x * color.length);
  const raw = Buffer.alloc(row.length * height);
  for (let y = 0; y < height; y++) row.copy(raw, y * row.length);
  const text = Object.entries(image.text ?? {}).map(([keyword, value]) => chunk("tEXt", Buffer.concat([Buffer.from(keyword, "latin1"), Buffer.from([0]), Buffer.from(value, "latin1")])));
  return Buffer.concat([SIGNATURE, chunk("IHDR", ihdr), ...text, chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

/** length, type, data, CRC-32 of type + data. */
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
