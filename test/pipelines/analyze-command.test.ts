import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const sample = (p: string) => new URL(`../../samples/${p}`, import.meta.url).pathname;
const PARALLEL = sample("recordings/parallel-branches/run.ndjson");
const dir = mkdtempSync(join(tmpdir(), "comfyprof-analyze-"));

/** A copy of a real log with hostile text where a workflow or server puts text. */
function hostileLog(): string {
  const lines = readFileSync(sample("recordings/error-mid-run/run.ndjson"), "utf8").trimEnd().split("\n");
  const evil = "\u001b[2J\u001b]0;pwned\u0007<script>alert(1)</script>";
  const out = lines.map((line) => {
    const d = JSON.parse(line);
    if (d.kind === "header") d.workflow.prompt["2"]._meta.title = `Raise ${evil}`;
    if (d.kind === "note" && d.note === "run-start") d.prompt["2"]._meta.title = `Raise ${evil}`;
    if (d.kind === "ws" && d.msg.type === "execution_error") d.msg.data.exception_message = `bad ${evil}`;
    return JSON.stringify(d);
  });
  const path = join(dir, "hostile.ndjson");
  writeFileSync(path, `${out.join("\n")}\n`);
  return path;
}

describe("pipelines/analyze-command", () => {
  it("prints the basic report: summary, slowest nodes, node types", async () => {
    const { code, stdout, stderr } = await runCli(["analyze", PARALLEL]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain("Queue wait 1.00 ms · Execution 1.406 s");
    expect(stdout).toContain("Nodes 6: 6 executed · 0 cached · 0 failed · 0 not run");
    expect(stdout).toContain("Slowest nodes");
    expect(stdout).toMatch(/1\s+3\s+ComfyprofSleep\s+A3 sleep 0\.4s\s+401\.\d ms/);
    expect(stdout).toContain("Node types");
    expect(stdout).not.toContain("Critical path 1.");
  });

  it("adds timeline, critical path, memory and data quality with --detail", async () => {
    const { stdout } = await runCli(["analyze", PARALLEL, "--detail"]);
    expect(stdout).toContain("Critical path 1.00");
    expect(stdout).toContain("#1 ComfyprofSleep → #2 ComfyprofSleep → #3 ComfyprofSleep → #6 ComfyprofJoin");
    expect(stdout).toMatch(/est\. speedup \(∞ workers\) 1\.40× · parallelizability 28\.\d %/);
    expect(stdout).toContain("device cpu: the CPU (--cpu): no VRAM");
    expect(stdout).toContain("Data quality");
    expect(stdout).toMatch(/Environment ComfyUI 0\.21\.0 · Python 3\.11\.7 · PyTorch 2\.14\.1\+cu130 · linux · devices: cpu/);
    expect(stdout).toContain("launched with: --cpu --listen 127.0.0.1");
  });

  it("writes the JSON with --json and prints it with --format json", async () => {
    const out = join(dir, "profile.json");
    const { code } = await runCli(["analyze", PARALLEL, "--json", out]);
    expect(code).toBe(0);
    const written = JSON.parse(readFileSync(out, "utf8"));
    expect(written.schemaVersion).toBe("1.0");
    expect(written.runs[0].criticalPath.nodeIds).toEqual(["1", "2", "3", "6"]);
    const { stdout } = await runCli(["analyze", PARALLEL, "--format", "json"]);
    expect(JSON.parse(stdout)).toEqual(written);
  });

  it("reads gzip files and stdin the same as the plain file", async () => {
    const gz = join(dir, "run.ndjson.gz");
    writeFileSync(gz, gzipSync(readFileSync(PARALLEL)));
    const plain = JSON.parse((await runCli(["analyze", PARALLEL, "--format", "json"])).stdout);
    const fromGz = JSON.parse((await runCli(["analyze", gz, "--format", "json"])).stdout);
    const fromStdin = JSON.parse((await runCli(["analyze", "-", "--format", "json"], { stdin: readFileSync(PARALLEL) })).stdout);
    expect(fromGz.runs).toEqual(plain.runs.map((r: { source: object }) => ({ ...r, source: { ...r.source, file: gz } })));
    expect(fromStdin.runs[0].criticalPath).toEqual(plain.runs[0].criticalPath);
  });

  it("escapes control sequences from titles and error messages", async () => {
    const { code, stdout } = await runCli(["analyze", hostileLog(), "--detail"]);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(stdout).toContain("bad \\x1b[2J\\x1b]0;pwned\\x07");
  });

  it("refuses an unknown major version, naming the file and line", async () => {
    const { code, stderr, stdout } = await runCli(["analyze", sample("invalid/unknown-major-version.ndjson")]);
    expect(code).toBe(5);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/unknown-major-version\.ndjson: line 1: .*2\.0/);
  });

  it("stops at a corrupt line unless --lenient, which skips it with a warning", async () => {
    const strict = await runCli(["analyze", sample("invalid/corrupt-middle-line.ndjson")]);
    expect(strict.code).toBe(5);
    expect(strict.stderr).toMatch(/corrupt-middle-line\.ndjson: line \d+: .*--lenient/);
    const lenient = await runCli(["analyze", sample("invalid/corrupt-middle-line.ndjson"), "--lenient"]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/warning: \S*corrupt-middle-line\.ndjson: line \d+/);
  });

  it("analyzes what is there in a cut recording and says it was cut", async () => {
    const { code, stdout } = await runCli(["analyze", sample("invalid/truncated-last-line.ndjson")]);
    expect(code).toBe(0);
    expect(stdout).toContain("the recording has no end record");
    expect(stdout).toMatch(/warning: .*truncated|cut/);
  });

  it("checks that it can write --json, --html and --trace before reading anything", async () => {
    const { code, stderr } = await runCli(["analyze", PARALLEL, "--html", "/nonexistent-dir/r.html"]);
    expect(code).toBe(6);
    expect(stderr).toContain("--html /nonexistent-dir/r.html: cannot write there: no such file or folder (ENOENT)");
  });

  it("names a missing file", async () => {
    const { code, stderr } = await runCli(["analyze", join(dir, "nope.ndjson")]);
    expect(code).toBe(5);
    expect(stderr).toContain("nope.ndjson");
  });
});

describe("pipelines/analyze-command outputs", () => {
  it("writes the HTML report and the Chrome trace beside the terminal report", async () => {
    const html = join(dir, "report.html");
    const trace = join(dir, "trace.json");
    const { code, stdout } = await runCli(["analyze", PARALLEL, "--html", html, "--trace", trace]);
    expect(code).toBe(0);
    expect(stdout).toContain("Slowest nodes");
    const page = readFileSync(html, "utf8");
    expect(page.startsWith("<!doctype html>") || page.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(page).not.toMatch(/<script[^>]+src=/);
    const events = JSON.parse(readFileSync(trace, "utf8")).traceEvents as { ph: string; name: string }[];
    expect(events.filter((e) => e.ph === "X" && e.name.startsWith("#")).length).toBe(6);
  });

  it("prints the same terminal report whether or not it also writes JSON", async () => {
    const plain = await runCli(["analyze", sample("recordings/benchmark/run.ndjson"), PARALLEL, "--detail"]);
    const withJson = await runCli(["analyze", sample("recordings/benchmark/run.ndjson"), PARALLEL, "--detail", "--json", join(dir, "both.json")]);
    expect(withJson.stdout).toBe(plain.stdout);
    expect(plain.stdout).toContain("run 3 of 10 ·");
  });

  it("shows every run of a small log in the HTML report, names a --run that matched nothing, and draws no progress line off a terminal", async () => {
    const html = join(dir, "runs.html");
    const { code, stderr } = await runCli(["analyze", sample("recordings/benchmark/run.ndjson"), "--html", html, "--run", "3", "--run", "no-such-prompt"]);
    expect(code).toBe(0);
    expect(readFileSync(html, "utf8").match(/<section class="run"/g)).toHaveLength(11);
    expect(stderr).toContain("--run no-such-prompt: no such run in these logs");
    expect(stderr).not.toContain("comfyprof: reading");
  });

  it("refuses --run without --html, and a run number below 1", async () => {
    const alone = await runCli(["analyze", PARALLEL, "--run", "2"]);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain("--run picks the runs the HTML report shows in detail: add --html");
    const zero = await runCli(["analyze", PARALLEL, "--html", join(dir, "zero.html"), "--run", "0"]);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain("--run 0: give a measured run's number");
  });
});
