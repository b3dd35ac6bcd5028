// Issue 10, inputs: every bad input is a one-line error naming the file (and
// the line) with the input exit code (5); what came from the file is escaped
// on every path, the fatal one included; several logs: the good ones reported.

import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileHash, runMain, STACK_OR_BUG } from "../support/main-in-process.js";
import { runCli } from "../support/cli.js";

const sample = (p: string) => new URL(`../../samples/${p}`, import.meta.url).pathname;
const PARALLEL = sample("recordings/parallel-branches/run.ndjson");
const dir = mkdtempSync(join(tmpdir(), "comfyprof-bad-inputs-"));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
/** Raw terminal controls (ESC, BEL, C1) and the bidi / zero-width characters. */
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;
const TITLE_ATTACK = "A\u202e21 edon\u202c\u200bB";

/** parallel-branches with node 3's title replaced everywhere it is recorded. */
function retitled(title: string): string {
  const lines = readFileSync(PARALLEL, "utf8").trimEnd().split("\n").map((line) => {
    const d = JSON.parse(line);
    if (d.kind === "header") d.workflow.prompt["3"]._meta.title = title;
    if (d.kind === "note" && d.note === "run-start") d.prompt["3"]._meta.title = title;
    return JSON.stringify(d);
  });
  return file("retitled.ndjson", `${lines.join("\n")}\n`);
}

describe("pipelines bad inputs (issue 10)", () => {
  it("escapes a first line that would retitle and clear the terminal, and a file name in ENOENT", async () => {
    const evil = file("evil.ndjson", '\u001b]0;pwned\u0007\u001b[2J{"kind":"header"}\n{}\n');
    const fatal = await runMain(["analyze", evil]);
    expect(fatal.code).toBe(5);
    expect(fatal.stderr).toContain("line 1: not valid JSON");
    expect(fatal.stderr).not.toMatch(RAW_CONTROLS);
    const missing = await runMain(["analyze", join(dir, "no\u001b[2Jpe\u202e.ndjson")]);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toBe(`comfyprof: ${join(dir, "no\\x1b[2Jpe\\u{202e}.ndjson")}: no such file\n`);
  });

  it("shows bidi and zero-width characters of a title visibly in the HTML and the terminal table", async () => {
    const log = retitled(TITLE_ATTACK);
    const html = join(dir, "attack.html");
    const { code, stdout } = await runMain(["analyze", log, "--html", html]);
    expect(code).toBe(0);
    const page = readFileSync(html, "utf8");
    expect(page).not.toMatch(/[\u202a-\u202e\u200b-\u200f]/);
    expect(page).toContain("A\\u{202e}21 edon\\u{202c}\\u{200b}B");
    expect(stdout).not.toMatch(RAW_CONTROLS);
    // Every row of the slowest-nodes table ends its (right-aligned) share column at the same place: nothing zero-width in a cell.
    const rows = stdout.split("\n").filter((l) => /^\s+\d\s+\d\s+Comfyprof/.test(l));
    const shareEnd = (r: string) => {
      const m = /\d+\.\d+ %/.exec(r);
      return m ? m.index + m[0].length : -1;
    };
    expect(rows.length).toBeGreaterThan(1);
    expect(new Set(rows.map(shareEnd)).size).toBe(1);
  });

  it("refuses an empty file with the input exit code, not 0", async () => {
    const { code, stderr } = await runMain(["analyze", file("empty.ndjson", "")]);
    expect(code).toBe(5);
    expect(stderr).toBe(`comfyprof: ${join(dir, "empty.ndjson")}: the file is empty: no records, nothing to analyze (did the recording write to another file?)\n`);
  });

  it("refuses binary garbage and a JSON array even with --lenient, saying what the file is", async () => {
    const garbage = file("garbage.ndjson", Buffer.concat([randomBytes(2000), Buffer.from([0, 0xff])]));
    const binary = await runMain(["analyze", garbage, "--lenient"]);
    expect(binary.code).toBe(5);
    expect(binary.stderr).toMatch(/garbage\.ndjson: (line \d+: this is binary data|none of its \d+ lines is a comfyprof record)/);
    const array = await runMain(["analyze", file("array.json", '[{"a": 1}, {"b": 2}]\n'), "--lenient"]);
    expect(array.code).toBe(5);
    expect(array.stderr).toContain("array.json: line 1: this is a JSON document (one value over the whole file), not an NDJSON event log");
    const workflow = await runMain(["analyze", sample("workflows/validation-failure.json")]);
    expect(workflow.code).toBe(5);
    expect(workflow.stderr).toContain("comfyprof record --workflow");
  });

  it("says a damaged gzip log is not valid gzip data", async () => {
    const gz = Buffer.from(gzipSync(readFileSync(PARALLEL)));
    for (let i = 200; i < 260; i++) gz[i] = gz[i]! ^ 0x55;
    const { code, stderr } = await runMain(["analyze", file("damaged.ndjson.gz", gz)]);
    expect(code).toBe(5);
    expect(stderr).toBe(`comfyprof: cannot read ${join(dir, "damaged.ndjson.gz")}: not valid gzip data (Z_DATA_ERROR)\n`);
  });

  it("names a folder given as a log", async () => {
    const { code, stderr } = await runMain(["analyze", dir]);
    expect(code).toBe(5);
    expect(stderr).toBe(`comfyprof: ${dir} is a folder, not a log file: name the .ndjson files in it (e.g. ${dir}/*.ndjson)\n`);
  });

  it("reports every bad log among many with its line, still reports the good ones, and exits 5", async () => {
    const corrupt = sample("invalid/corrupt-middle-line.ndjson");
    const empty = file("empty2.ndjson", "");
    const { code, stdout, stderr } = await runMain(["analyze", PARALLEL, corrupt, empty, sample("recordings/cache-warm/run.ndjson")]);
    expect(code).toBe(5);
    expect(stdout).toContain("comfyprof — 2 log(s), 3 run(s)");
    expect(stdout).not.toContain("corrupt-middle-line");
    const lines = stderr.trim().split("\n");
    expect(lines[0]).toBe("comfyprof: 2 of 4 logs not analyzed:");
    expect(lines[1]).toMatch(/corrupt-middle-line\.ndjson: line \d+: not valid JSON/);
    expect(lines[2]).toContain("empty2.ndjson: the file is empty");
    expect(stderr).not.toMatch(STACK_OR_BUG);
  });

  it("drops from the JSON the runs a log gave before it was refused", async () => {
    const good = readFileSync(PARALLEL, "utf8");
    const cutAfterRun = file("late-corruption.ndjson", `${good}{ not json\n{"kind":"end","wallMs":0,"monoMs":0,"reason":"done","message":null,"runsCompleted":1}\n`);
    const { code, stdout } = await runMain(["analyze", PARALLEL, cutAfterRun, "--format", "json"]);
    expect(code).toBe(5);
    const json = JSON.parse(stdout);
    expect(json.inputs.map((i: { file: string }) => i.file)).toEqual([PARALLEL]);
    expect(json.runs).toHaveLength(1);
  });

  it("has replay refuse a log with a corrupt line as analyze does, with the same message, and read it with --lenient", async () => {
    const lines = readFileSync(PARALLEL, "utf8").split("\n");
    lines.splice(20, 0, '{"kind":"ws", cut');
    const corrupt = file("corrupt-line-21.ndjson", lines.join("\n"));
    const analyzed = await runMain(["analyze", corrupt]);
    expect(analyzed.stderr).toContain("corrupt-line-21.ndjson: line 21: not valid JSON");
    const replayed = await runCli(["replay", corrupt, "--port", "0"]);
    expect(replayed.code).toBe(5);
    expect(replayed.stderr).toBe(analyzed.stderr);
    const lenient = await runCli(["replay", corrupt, "--port", "0", "--lenient"], {
      onStderr: (text, kill) => {
        if (text.includes("replaying")) kill("SIGINT");
      },
    });
    expect(lenient.stderr).toContain("replaying 1 run(s)");
  });

  it("reads - as stdin for trend and compare -b", async () => {
    const trend = await runCli(["trend", "-", sample("recordings/benchmark/run.ndjson")], { stdin: readFileSync(sample("recordings/benchmark/run.ndjson")) });
    expect(trend.code).toBe(0);
    expect(trend.stdout).toContain("comfyprof trend");
    const compare = await runCli(["compare", "-b", "-", "-c", sample("recordings/benchmark/run.ndjson")], { stdin: readFileSync(sample("recordings/benchmark/run.ndjson")) });
    expect(compare.code).toBe(0);
    expect(compare.stdout).toContain("comfyprof compare");
    const twice = await runCli(["compare", "-b", "-", "-c", "-"], { stdin: "" });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain("stdin (-) is named twice");
  });

  it("modifies no input whatever happens", async () => {
    const copy = join(dir, "copy.ndjson");
    copyFileSync(PARALLEL, copy);
    const before = fileHash(copy);
    for (const args of [["--html", copy], ["--json", copy], ["--trace", copy, copy]]) await runMain(["analyze", copy, ...args]);
    expect(fileHash(copy)).toBe(before);
  });
});
