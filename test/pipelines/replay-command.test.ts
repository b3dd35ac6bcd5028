import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { parseAndValidate } from "../support/record-harness.js";

const BIN = new URL("../../bin/comfyprof.js", import.meta.url).pathname;
const sample = (p: string) => new URL(`../../samples/${p}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "comfyprof-replay-cli-"));
let stop: (() => Promise<number | null>) | null = null;

afterEach(async () => {
  await stop?.();
  stop = null;
});

/** Starts `comfyprof replay` on a free port; resolves with its URL once it listens. */
function startReplay(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [BIN, "replay", ...args, "--port", "0"], { stdio: ["ignore", "ignore", "pipe"] });
  const exited = new Promise<number | null>((r) => child.on("close", r));
  stop = () => {
    child.kill("SIGINT");
    return exited;
  };
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr.on("data", (d) => {
      err += d;
      const m = /at (http:\/\/[^ ]+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`replay exited with ${code}: ${err}`)));
  });
}

describe("pipelines/replay-command", () => {
  it("serves a recording that the recorder records again, and stops cleanly on Ctrl-C", async () => {
    const url = await startReplay([sample("recordings/error-mid-run/run.ndjson"), "--speed", "max"]);
    const out = join(dir, "again.ndjson");
    const rec = await runCli(["record", "--url", url, "-w", sample("workflows/error-mid-run.json"), "-o", out, "-q"]);
    expect(rec.code).toBe(0);
    const lines = parseAndValidate(readFileSync(out, "utf8"));
    expect(lines.some((l) => l.kind === "ws" && (l.msg as { type: string }).type === "execution_error")).toBe(true);
    const analyzed = await runCli(["analyze", out]);
    expect(analyzed.stdout).toContain("error at #2 ComfyprofRaise");
    expect(await stop!()).toBe(0);
    stop = null;
  });

  it("refuses another workflow with a 400 that the recorder prints", async () => {
    const url = await startReplay([sample("recordings/parallel-branches/run.ndjson")]);
    const rec = await runCli(["record", "--url", url, "-w", sample("workflows/ram-chain.json"), "-o", join(dir, "x.ndjson")]);
    expect(rec.code).toBe(3);
    expect(rec.stderr).toContain("the submitted workflow differs from the recorded one");
  });

  it("plays the recorded refusal with --reject recorded", async () => {
    const url = await startReplay([sample("recordings/validation-failure/run.ndjson"), "--reject", "recorded"]);
    const rec = await runCli(["record", "--url", url, "-w", sample("workflows/validation-failure.json"), "-o", join(dir, "y.ndjson")]);
    expect(rec.code).toBe(3);
    expect(rec.stderr).toContain('input "image": Required input is missing');
  });

  it("refuses a port out of range or not a number in one line (usage, exit 1)", async () => {
    for (const port of ["99999", "abc"]) {
      const { code, stderr } = await runCli(["replay", sample("recordings/parallel-branches/run.ndjson"), "--port", port]);
      expect(code).toBe(1);
      expect(stderr).toBe(`comfyprof: --port must be a whole number from 0 to 65535 (0 = any free port), got "${port}"\nRun "comfyprof --help" for usage.\n`);
    }
  });

  it("explains a log it cannot replay, with the input exit code", async () => {
    const { code, stderr } = await runCli(["replay", sample("invalid/unknown-major-version.ndjson"), "--port", "0"]);
    expect(code).toBe(5);
    expect(stderr).toContain("unknown-major-version.ndjson: line 1");
  });
});
