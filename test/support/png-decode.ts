// A strict PNG reader for tests: it throws on anything a decoder would refuse
// (signature, chunk order, CRCs, a bad IHDR, IDAT that does not inflate to
// exactly one filter byte + one row of pixels per line), and returns the size,
// the pixels and the tEXt chunks. 8-bit RGB and RGBA only, no interlace:
// what comfyprof's encoder writes. https://www.w3.org/TR/png-3/

import { crc32, inflateSync } from "node:zlib";

export interface DecodedPng {
  width: number;
  height: number;
  channels: 3 | 4;
  /** Row-major, `channels` bytes a pixel, filters undone. */
  pixels: Buffer;
  text: Record<string, string>;
}

const SIGNATURE = "89504e470d0a1a0a";

export function decodePng(file: Buffer): DecodedPng {
  if (file.subarray(0, 8).toString("hex") !== SIGNATURE) throw new Error("not a PNG: bad signature");
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < file.length; ) {
    if (at + 12 > file.length) throw new Error(`chunk cut at byte ${at}`);
    const length = file.readUInt32BE(at);
    const type = file.subarray(at + 4, at + 8).toString("latin1");
    const data = file.subarray(at + 8, at + 8 + length);
    if (data.length !== length || at + 12 + length > file.length) throw new Error(`${type} chunk cut`);
    if (crc32(file.subarray(at + 4, at + 8 + length)) !== file.readUInt32BE(at + 8 + length)) throw new Error(`${type} chunk: bad CRC`);
    chunks.push({ type, data });
    at += 12 + length;
  }
  if (chunks[0]?.type !== "IHDR" || chunks.at(-1)?.type !== "IEND") throw new Error("IHDR must come first and IEND last");
  const ihdr = chunks[0].data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const [depth, colorType, compression, filter, interlace] = [ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]];
  if (width === 0 || height === 0) throw new Error("zero size");
  if (depth !== 8 || (colorType !== 2 && colorType !== 6) || compression !== 0 || filter !== 0 || interlace !== 0) {
    throw new Error(`unsupported IHDR: depth ${depth}, colour type ${colorType}, interlace ${interlace}`);
  }
  const channels = colorType === 6 ? 4 : 3;
  const stride = width * channels;
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === "IDAT").map((c) => c.data)));
  if (raw.length !== height * (1 + stride)) throw new Error(`IDAT holds ${raw.length} bytes, ${height * (1 + stride)} expected`);
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filterType = raw[y * (1 + stride)]!;
    const line = raw.subarray(y * (1 + stride) + 1, (y + 1) * (1 + stride));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const upLeft = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      pixels[y * stride + x] = (line[x]! + predict(filterType, left, up, upLeft)) & 0xff;
    }
  }
  const text: Record<string, string> = {};
  for (const c of chunks.filter((c) => c.type === "tEXt")) {
    const nul = c.data.indexOf(0);
    text[c.data.subarray(0, nul).toString("latin1")] = c.data.subarray(nul + 1).toString("latin1");
  }
  return { width, height, channels, pixels, text };
}

function predict(filterType: number, left: number, up: number, upLeft: number): number {
  switch (filterType) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4: {
      const p = left + up - upLeft;
      const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
      return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
    default:
      throw new Error(`unknown filter type ${filterType}`);
  }
}
