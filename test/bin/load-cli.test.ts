// bin/load-cli.cjs: the bundled CLI compiled from the build's code cache, and never from a cache made
// for other source. Each case runs in a child Node (a plain one: vitest's workers run under other V8
// flags, for which V8 rejects any cache).

import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = new URL("../../", import.meta.url).pathname;
const LOADER = join(root, "bin/load-cli.cjs");
const BUNDLE = join(root, "dist/cli/comfyprof.cjs");
const dir = mkdtempSync(join(tmpdir(), "comfyprof-load-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Compiles `bundle` with the loader in a clean Node, runs `comfyprof --help`: the cache's state and the help text. */
function helpThrough(bundle: string): { cache: string; help: string } {
  const program = `
    const { compileCli } = require(${JSON.stringify(LOADER)});
    const cli = compileCli({ bundle: ${JSON.stringify(bundle)} });
    process.stderr.write(cli.cache);
    cli.run().main(["--help"]);`;
  const ran = spawnSync(process.execPath, ["-e", program], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  expect(ran.status, ran.stderr).toBe(0);
  return { cache: ran.stderr, help: ran.stdout };
}

/** A copy of the built bundle (and its cache) in a folder of its own, the bundle's text changed by `edit`. */
function copyBundle(name: string, edit: (source: string) => string = (s) => s, cache: Buffer | null = readFileSync(`${BUNDLE}.cache`)): string {
  const bundle = join(dir, `${name}.cjs`);
  const source = readFileSync(BUNDLE, "latin1");
  writeFileSync(bundle, edit(source), "latin1");
  if (cache) writeFileSync(`${bundle}.cache`, cache);
  copyFileSync(join(root, "dist/cli/vega-lite.cjs"), join(dir, "vega-lite.cjs"));
  return bundle;
}

describe("bin/load-cli.cjs", () => {
  it("compiles the built CLI from the cache the build made, and the CLI works", () => {
    const { cache, help } = helpThrough(BUNDLE);
    expect(cache).toBe("accepted");
    expect(help).toContain("comfyprof analyze <logs..>");
  });

  it("does not take a cache made for other source of the same length (V8 checks only the length)", () => {
    const phrase = "Serve a recording as if it were a live ComfyUI server";
    const changed = "Serve a recording as if it were a real ComfyUI server";
    expect(changed.length).toBe(phrase.length);
    const bundle = copyBundle("edited", (source) => {
      expect(source).toContain(phrase);
      return source.replace(phrase, changed);
    });
    const { cache, help } = helpThrough(bundle);
    expect(cache).toBe("stale");
    expect(help).toContain(changed.slice(0, 40));
    expect(help).not.toContain("as if it were a live");
  });

  it("compiles the source when the cache is missing or V8 refuses it", () => {
    expect(helpThrough(copyBundle("no-cache", undefined, null)).cache).toBe("missing");
    const real = readFileSync(`${BUNDLE}.cache`);
    const garbled = Buffer.concat([real.subarray(0, 20), Buffer.alloc(real.length - 20, 7)]);
    const refused = helpThrough(copyBundle("garbled", undefined, garbled));
    expect(refused.cache).toBe("rejected");
    expect(refused.help).toContain("comfyprof analyze <logs..>");
  });
});
