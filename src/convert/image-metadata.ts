// The text ComfyUI stores in the images it saves, read from the bytes:
//   PNG (SaveImage, PreviewImage): tEXt chunks "prompt" (API format) and
//     "workflow" (editor format); iTXt when a value is not Latin-1; APNG
//     (SaveAnimatedPNG) writes a private "comf" chunk "key\0value".
//   WebP (SaveAnimatedWEBP): EXIF, tag 0x0110 (Model) "prompt:{…}" and from
//     0x010F (Make) downwards "workflow:{…}" and any other extra_pnginfo key
//     (comfy_api/latest/_ui.py, ComfyUI 0.21). ComfyUI writes no XMP.
// Compressed text (zTXt, compressed iTXt) needs zlib, which the caller passes.

export type Inflate = (compressed: Uint8Array) => Uint8Array;

export type ImageContainer = "png" | "webp";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** TIFF field type ASCII; PIL writes a Python str as this. UNDEFINED (7) is read the same way. */
const TIFF_ASCII = 2;
const TIFF_UNDEFINED = 7;

export function imageContainer(bytes: Uint8Array): ImageContainer | null {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return "png";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  return null;
}

/** The image's text entries by key ("prompt", "workflow", …); the first of each key wins, as in PIL. */
export function readImageText(bytes: Uint8Array, inflate?: Inflate): Map<string, string> {
  const container = imageContainer(bytes);
  if (container === "png") return readPngText(bytes, inflate);
  if (container === "webp") return readWebpText(bytes);
  return new Map();
}

function readPngText(bytes: Uint8Array, inflate?: Inflate): Map<string, string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new Map<string, string>();
  const put = (key: string, value: string) => {
    if (!text.has(key)) text.set(key, value);
  };
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = ascii(bytes, at + 4, at + 8);
    const data = bytes.subarray(at + 8, Math.min(at + 8 + length, bytes.length));
    at += 12 + length;
    const nul = data.indexOf(0);
    if (nul < 0) continue;
    const key = latin1(data.subarray(0, nul));
    if (type === "tEXt" || type === "comf") put(key, latin1(data.subarray(nul + 1)));
    else if (type === "zTXt" && inflate) put(key, latin1(inflate(data.subarray(nul + 2))));
    else if (type === "iTXt") {
      const compressed = data[nul + 1] === 1;
      const language = data.indexOf(0, nul + 3);
      const translated = language < 0 ? -1 : data.indexOf(0, language + 1);
      if (translated < 0) continue;
      const body = data.subarray(translated + 1);
      if (!compressed) put(key, utf8(body));
      else if (inflate) put(key, utf8(inflate(body)));
    } else if (type === "IEND") break;
  }
  return text;
}

function readWebpText(bytes: Uint8Array): Map<string, string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new Map<string, string>();
  for (let at = 12; at + 8 <= bytes.length; ) {
    const type = ascii(bytes, at, at + 4);
    const size = view.getUint32(at + 4, true);
    const data = bytes.subarray(at + 8, Math.min(at + 8 + size, bytes.length));
    at += 8 + size + (size % 2);
    if (type !== "EXIF") continue;
    for (const value of exifStrings(data)) {
      const colon = value.indexOf(":");
      if (colon > 0 && !text.has(value.slice(0, colon))) text.set(value.slice(0, colon), value.slice(colon + 1));
    }
  }
  return text;
}

/** The string values of IFD0 of a TIFF (EXIF) block, "Exif\0\0" prefix or not. */
function exifStrings(block: Uint8Array): string[] {
  const tiff = ascii(block, 0, 4) === "Exif" ? block.subarray(6) : block;
  if (tiff.length < 8) return [];
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const little = ascii(tiff, 0, 2) === "II";
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > tiff.length) return [];
  const count = view.getUint16(ifd, little);
  const strings: string[] = [];
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) break;
    const fieldType = view.getUint16(entry + 2, little);
    if (fieldType !== TIFF_ASCII && fieldType !== TIFF_UNDEFINED) continue;
    const length = view.getUint32(entry + 4, little);
    const start = length <= 4 ? entry + 8 : view.getUint32(entry + 8, little);
    strings.push(utf8(tiff.subarray(start, start + length)).replace(/\0+$/, ""));
  }
  return strings;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8").decode(bytes);
}
