// Issue 10, outputs of analyze: a recording is never overwritten, an output
// flag without a name writes beside the first log, "-" is stdout, and an
// output that cannot be written is said before any work, never half-written.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileHash, runMain, STACK_OR_BUG } from "../support/main-in-process.js";

const sample = (name: string) => new URL(`../../samples/recordings/${name}/run.ndjson`, import.meta.url).pathname;

/** A fresh folder with copies of two real recordings, a.ndjson and b.ndjson, and their hashes. */
function twoRecordings() {
  const dir = mkdtempSync(join(tmpdir(), "comfyprof-outputs-"));
  const a = join(dir, "a.ndjson");
  const b = join(dir, "b.ndjson");
  copyFileSync(sample("parallel-branches"), a);
  copyFileSync(sample("cache-warm"), b);
  return { dir, a, b, hashes: () => [fileHash(a), fileHash(b)] };
}

describe("pipelines/analyze-command outputs (issue 10)", () => {
  for (const [flag, written] of [["--html", "a.html"], ["--json", "a.profile.json"], ["--trace", "a.trace.json"]] as const) {
    it(`reads a log right after ${flag} as a log: analyzes both and writes ${written} beside the first`, async () => {
      const { dir, a, b, hashes } = twoRecordings();
      const before = hashes();
      const { code, stdout, stderr } = await runMain(["analyze", flag, a, b]);
      expect(code).toBe(0);
      expect(hashes()).toEqual(before);
      expect(stdout).toContain("2 log(s)");
      expect(existsSync(join(dir, written))).toBe(true);
      expect(stderr).toBe(`comfyprof: wrote ${join(dir, written)} (${flag === "--html" ? "HTML report" : flag === "--json" ? "JSON profiles" : "Chrome/Perfetto trace"}; named after ${a})\n`);
    });
  }

  it("writes beside the first log when the flags come last without a name (analyze run*.ndjson --html --json)", async () => {
    const { dir, a, b } = twoRecordings();
    const { code, stdout, stderr } = await runMain(["analyze", a, b, "--html", "--json"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Slowest nodes");
    expect(readFileSync(join(dir, "a.html"), "utf8")).toMatch(/^<!doctype html>/i);
    expect(JSON.parse(readFileSync(join(dir, "a.profile.json"), "utf8")).inputs).toHaveLength(2);
    expect(stderr.trim().split("\n")).toHaveLength(2);
  });

  it("refuses --json naming its own input, and two outputs on one file, before writing anything", async () => {
    const { dir, a, hashes } = twoRecordings();
    const before = hashes();
    const self = await runMain(["analyze", a, "--json", a]);
    expect(self.code).toBe(6);
    expect(self.stderr).toContain(`--json ${a}: an output is never written to an event log's name`);
    const both = await runMain(["analyze", a, "--json", join(dir, "x"), "--html", join(dir, "x")]);
    expect(both.code).toBe(6);
    expect(both.stderr).toContain(`--json and --html would both write ${join(dir, "x")}`);
    expect(existsSync(join(dir, "x"))).toBe(false);
    expect(hashes()).toEqual(before);
  });

  it("writes --json - to stdout instead of the report, and no file named - or <stdin>", async () => {
    const { a } = twoRecordings();
    const { code, stdout } = await runMain(["analyze", a, "--json", "-"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).runs).toHaveLength(1);
    expect(existsSync("-") || existsSync("<stdin>")).toBe(false);
  });

  it("says in one line, before any work, that --trace is a folder, --html a read-only place, and writes nothing", async () => {
    const { dir, a } = twoRecordings();
    const folder = join(dir, "folder");
    mkdirSync(folder);
    const json = join(dir, "p.json");
    const trace = await runMain(["analyze", a, "--json", json, "--trace", folder, "--html", join(dir, "r.html")]);
    expect(trace.code).toBe(6);
    expect(trace.stderr).toBe(`comfyprof: --trace ${folder}: is a folder; name a file in it (--trace ${folder}/<file>)\n`);
    expect(trace.stdout).toBe("");
    const readOnly = await runMain(["analyze", a, "--json", json, "--html", "/sys/r.html"]);
    expect(readOnly.code).toBe(6);
    expect(readOnly.stderr).toMatch(/^comfyprof: --html \/sys\/r\.html: cannot write there: .*\((EACCES|EROFS|EPERM|ENOENT)\)\n$/);
    expect(readdirSync(dir).sort()).toEqual(["a.ndjson", "b.ndjson", "folder"]);
  });

  it("says a full device in one line, leaving no half-written file beside it", async () => {
    const { a } = twoRecordings();
    const { code, stderr } = await runMain(["analyze", a, "--json", "/dev/full"]);
    expect(code).toBe(6);
    expect(stderr).toBe("comfyprof: --json /dev/full: cannot write there: no space left on the device (ENOSPC)\n");
    expect(stderr).not.toMatch(STACK_OR_BUG);
  });
});
