import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { stretchedLog } from "../support/stretched-log.js";

const BENCHMARK = new URL("../../samples/recordings/benchmark/run.ndjson", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "comfyprof-compare-"));

/** The benchmark recording stretched by `factor` and moved `laterMs` on, relabelled (test/support/stretched-log.ts). */
const stretched = (factor: number, laterMs: number, label: string) => stretchedLog(BENCHMARK, dir, factor, laterMs, label);

describe("pipelines/compare-command", () => {
  it("exits 0 with 'within-noise' when the candidate is the baseline", async () => {
    const { code, stdout } = await runCli(["compare", "-b", BENCHMARK, "-c", BENCHMARK, "--resamples", "2000"]);
    expect(code).toBe(0);
    // …, the bootstrap's change and interval, the rank test's p (1.000: identical samples), the verdict.
    expect(stdout).toMatch(/execution\s+281\.0 ms\s+10\s+281\.0 ms\s+10\s+\+0\.0 % \[.*\]\s+1\.000\s+within-noise/);
    expect(stdout).toContain("95 % interval, exact for up to 8 runs a side, else resampled until its ends were within ±0.5 % (at most 2000 resamples, seed 1); noise threshold ±5.0 %");
  });

  it("exits 4 and says slower, with the interval, when the candidate takes 30 % longer", async () => {
    const { code, stdout } = await runCli(["compare", "-b", BENCHMARK, "-c", stretched(1.3, 0, "slow"), "--resamples", "2000"]);
    expect(code).toBe(4);
    expect(stdout).toMatch(/execution .* \+(29\.[5-9]|30\.[0-4]) % \[\+2\d\.\d %, \+3\d\.\d %\]\s+< 0\.001\s+slower/);
  });

  it("writes the comparison as JSON", async () => {
    const out = join(dir, "cmp.json");
    await runCli(["compare", "-b", BENCHMARK, "-c", stretched(0.7, 0, "fast"), "--resamples", "2000", "--json", out]);
    const json = JSON.parse(readFileSync(out, "utf8"));
    expect(json.groups[0].execution.verdict).toBe("faster");
    expect(json.groups[0].execution.ratio.point).toBeCloseTo(0.7, 1);
    expect(json.settings.test).toContain("bootstrap");
  });

  it("trends recordings in time order and exits 4 when the latest is slower than the one before", async () => {
    const { code, stdout } = await runCli(["trend", stretched(1.4, 7_200_000, "c-later-slower"), BENCHMARK, stretched(1.0, 3_600_000, "b-same"), "--resamples", "2000"]);
    expect(code).toBe(4);
    const rows = stdout.split("\n").filter((l) => /run\.ndjson|b-same|c-later-slower/.test(l));
    expect(rows[0]).toContain("run.ndjson");
    expect(rows[1]).toMatch(/b-same .*within-noise/);
    expect(rows[2]).toMatch(/c-later-slower .*slower/);
  });

  it("exits 7 when nothing was compared: no workflow, or variant of one, in the same cache state on both sides", async () => {
    const cold = new URL("../../samples/recordings/cold/run.ndjson", import.meta.url).pathname;
    const { code, stdout } = await runCli(["compare", "-b", BENCHMARK, "-c", cold, "--resamples", "2000"]);
    expect(code).toBe(7);
    expect(stdout).toContain("Nothing to compare");
  });

  it("pairs a variant of the workflow (A/B) and names the input that differs", async () => {
    // The same recording, but its workflow says node 4 sleeps 0.25 s: a variant, its times unchanged.
    const lines = readFileSync(BENCHMARK, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    const edit = (prompt: Record<string, { inputs: Record<string, unknown> }> | undefined) => {
      if (prompt?.["4"]) prompt["4"].inputs.seconds = 0.25;
    };
    for (const l of lines) {
      if (l.kind === "header") edit(l.workflow.prompt);
      if (l.kind === "note" && l.note === "run-start") edit(l.prompt);
    }
    const variant = join(dir, "variant.ndjson");
    writeFileSync(variant, `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`);
    const { code, stdout } = await runCli(["compare", "-b", BENCHMARK, "-c", variant, "--resamples", "2000"]);
    expect(code).toBe(0);
    expect(stdout).toContain("→ variant");
    expect(stdout).toContain("#4 ComfyprofSleep: seconds 0.2 → 0.25");
    expect(stdout).toMatch(/execution .*within-noise/);
  });

  it("refuses a noise threshold below zero", async () => {
    const { code, stderr } = await runCli(["compare", "-b", BENCHMARK, "-c", BENCHMARK, "--noise", "-1"]);
    expect(code).toBe(1);
    expect(stderr).toContain("--noise must be ≥ 0");
  });
});
