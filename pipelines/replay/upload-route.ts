// POST /upload/image (multipart: image, type, subfolder, overwrite), kept in
// memory and answered as ComfyUI 0.21's server.py `image_upload` does: the
// name it was stored under (a same-named different file gets " (1)", an
// identical one is not stored twice), so a later GET /view serves it back.

import { fileKey, type FileRef } from "./recorded-images.js";
import { staysInside, type HttpAnswer } from "./view-route.js";

interface FormField {
  filename: string | null;
  data: Buffer;
}

export class UploadedFiles {
  private readonly files = new Map<string, Buffer>();

  get(ref: FileRef): Buffer | null {
    return this.files.get(fileKey(ref)) ?? null;
  }

  /** The reply to a POST /upload/image with this body. */
  upload(body: Buffer, contentType: string | undefined): HttpAnswer {
    const fields = parseMultipart(body, contentType ?? "");
    const image = fields.get("image");
    if (!image || image.filename === null || image.filename === "") return { status: 400, headers: {}, body: null };
    const text = (name: string) => fields.get(name)?.data.toString("utf8");
    const type = text("type") ?? "input";
    // server.py's get_dir_by_type leaves another type unbound: a 500.
    if (!["input", "output", "temp"].includes(type)) return { status: 500, headers: {}, body: null };
    const subfolder = text("subfolder") ?? "";
    if (!staysInside(subfolder)) return { status: 400, headers: {}, body: null };
    const overwrite = ["true", "1"].includes(text("overwrite") ?? "");
    let name = image.filename;
    const dot = name.lastIndexOf(".");
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
    for (let i = 1; !overwrite; i++) {
      const held = this.get({ type, subfolder, filename: name });
      if (held === null || held.equals(image.data)) break;
      name = `${stem} (${i})${ext}`;
    }
    this.files.set(fileKey({ type, subfolder, filename: name }), image.data);
    return { status: 200, headers: { "Content-Type": "application/json" }, body: Buffer.from(JSON.stringify({ name, subfolder, type })) };
  }
}

/** multipart/form-data (RFC 7578) fields by name; an unparsable body has none. */
export function parseMultipart(body: Buffer, contentType: string): Map<string, FormField> {
  const fields = new Map<string, FormField>();
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) return fields;
  const delimiter = Buffer.from(`--${(boundary[1] ?? boundary[2]!).trim()}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, data, CRLF, then the next delimiter.
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    if (split !== -1) {
      const headers = part.subarray(0, split).toString("utf8");
      const name = /name="([^"]*)"/i.exec(headers.replace(/filename="[^"]*"/i, ""))?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1] ?? null;
      if (name !== undefined) fields.set(name, { filename, data: part.subarray(split + 4) });
    }
    at = next;
  }
  return fields;
}
