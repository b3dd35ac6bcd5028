// The bundled CLI's string width (scripts/string-width-ascii.mjs) gives string-width's answers, and
// the bundled CLI's --help is byte for byte the unbundled one's (which uses string-width itself).

import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import stringWidth from "string-width";

type Width = (text: string, options?: { countAnsiEscapeCodes?: boolean }) => number;
const root = new URL("../../", import.meta.url).pathname;
const shim = (await import(pathToFileURL(`${root}scripts/string-width-ascii.mjs`).href)) as { ONE_COLUMN: RegExp; makeStringWidth: (load: () => Width) => Width };

const SYMBOLS = "±…→←–—×·≥≤µ÷°";
const OTHERS = ["é", "漢", "字", "👍", "🏳️‍🌈", "\u0301", "\u200b", "ｱ", "\u0085"];

describe("scripts/string-width-ascii", () => {
  it("lists only characters string-width counts as one column, and counts control characters as none", () => {
    for (const ch of SYMBOLS) {
      expect(shim.ONE_COLUMN.test(ch), ch).toBe(true);
      expect(stringWidth(ch), ch).toBe(1);
    }
    for (let code = 0; code < 0x80; code++) expect(stringWidth(String.fromCharCode(code)), `U+${code.toString(16)}`).toBe(code < 0x20 || code === 0x7f ? 0 : 1);
  });

  it("gives string-width's width for any text, ANSI codes and other scripts included", () => {
    let loads = 0;
    const width = shim.makeStringWidth(() => {
      loads++;
      return stringWidth;
    });
    const piece = fc.oneof(
      fc.string({ unit: "binary-ascii" }),
      fc.constantFrom(...SYMBOLS, "\n", "\t", "\x1b[31m", "\x1b[0m", "\x1b[1;32m"),
      fc.constantFrom(...OTHERS),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.boolean(), (pieces, countAnsi) => {
        const text = pieces.join("");
        expect(width(text, { countAnsiEscapeCodes: countAnsi })).toBe(stringWidth(text, { countAnsiEscapeCodes: countAnsi }));
      }),
      { numRuns: 2000 },
    );
    expect(loads).toBe(1);
  });

  it("leaves every --help of the bundled CLI as the unbundled build writes it", () => {
    const help = (entry: string[], args: string[]) => execFileSync(process.execPath, [...entry, ...args, "--help"], { cwd: root, encoding: "utf8" });
    const unbundled = ["--input-type=module", "-e", `import { main } from "./dist/pipelines/cli.js"; main(process.argv.slice(1));`, "--"];
    for (const command of [[], ["analyze"], ["record"], ["compare"], ["trend"], ["replay"], ["convert"]]) {
      const bundled = help(["bin/comfyprof.js"], command);
      expect(bundled.length, command.join(" ")).toBeGreaterThan(500);
      expect(bundled, command.join(" ")).toBe(help(unbundled, command));
    }
  });
});
