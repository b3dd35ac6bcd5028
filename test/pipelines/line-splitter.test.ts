import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { LineSplitter } from "../../pipelines/read-log.js";

/** What node:readline (crlfDelay: Infinity), which LineSplitter replaces, makes of `bytes` in these chunks. */
async function viaReadline(chunks: Buffer[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: Readable.from(chunks), crlfDelay: Infinity })) lines.push(line);
  return lines;
}

function viaSplitter(chunks: Buffer[]): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter();
  for (const chunk of chunks) splitter.push(chunk, (line) => lines.push(line));
  splitter.end((line) => lines.push(line));
  return lines;
}

const chunkedBy = (bytes: Buffer, size: number): Buffer[] => {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
};

const CASES = [
  "",
  "\n",
  "a",
  "a\n",
  "a\nb",
  "a\r\nb\r\n",
  "a\rb\rc",
  "a\r\rb\n",
  "a\r\r\n",
  "a\n\r",
  "\r\n\r\n",
  "x\r",
  '{"m": "naïve ☃ 😀"}\n{"m": "é"}\r\n',
  "\n\nmiddle\n\n",
];

describe("pipelines/read-log LineSplitter", () => {
  it("splits every case as readline does, whatever the chunk boundaries", async () => {
    for (const text of CASES) {
      const bytes = Buffer.from(text, "utf8");
      for (const size of [1, 2, 3, 5, 1 << 20]) {
        const chunks = chunkedBy(bytes, size);
        expect(viaSplitter(chunks), `${JSON.stringify(text)} in chunks of ${size}`).toEqual(await viaReadline(chunks));
      }
    }
  });

  it("keeps a long line spanning many chunks whole", () => {
    const long = "x".repeat(100_000);
    expect(viaSplitter(chunkedBy(Buffer.from(`${long}\nend`), 4096))).toEqual([long, "end"]);
  });

  it("does not depend on a chunk's memory after it was pushed", () => {
    const chunk = Buffer.from("first\nsecond-half");
    const lines: string[] = [];
    const splitter = new LineSplitter();
    splitter.push(chunk, (l) => lines.push(l));
    chunk.fill(0x21);
    splitter.push(Buffer.from("-done\n"), (l) => lines.push(l));
    expect(lines).toEqual(["first", "second-half-done"]);
  });
});
