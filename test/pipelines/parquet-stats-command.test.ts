import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runMain, STACK_OR_BUG } from "../support/main-in-process.js";
import { stretchedLog } from "../support/stretched-log.js";

const BENCHMARK = new URL("../../samples/recordings/benchmark/run.ndjson", import.meta.url).pathname;
const HOUR = 3_600_000;

describe("pipelines/parquet-stats-command", () => {
  const dir = mkdtempSync(join(tmpdir(), "comfyprof-parquet-cli-"));
  const out = join(dir, "export");
  const single = join(dir, "single");
  let logs: string[];

  beforeAll(async () => {
    logs = [stretchedLog(BENCHMARK, dir, 1.0, 0, "before"), stretchedLog(BENCHMARK, dir, 1.01, HOUR, "same"), stretchedLog(BENCHMARK, dir, 1.4, 2 * HOUR, "after")];
    expect((await runMain(["export", "--parquet", out, ...logs])).code).toBe(0);
    expect((await runMain(["export", "--parquet", single, BENCHMARK])).code).toBe(0);
  });

  it("trend --parquet: one row per recording in time order, exit 4 when the latest is slower", async () => {
    const { code, stdout } = await runMain(["trend", "--parquet", out, "--resamples", "1000"]);
    expect(code).toBe(4);
    const rows = stdout.split("\n").filter((l) => /^\s+(before|same|after)\s/.test(l));
    expect(rows.map((r) => r.trim().split(/\s+/)[0])).toEqual(["before", "same", "after"]);
    expect(rows[1]).toContain("within-noise");
    expect(rows[2]).toContain("slower");
  });

  it("trend --parquet prints what trend over the recordings prints", async () => {
    const fromExport = await runMain(["trend", "--parquet", out, "--resamples", "1000", "--format", "json"]);
    const fromLogs = await runMain(["trend", ...logs, "--resamples", "1000", "--format", "json"]);
    expect(fromExport.code).toBe(fromLogs.code);
    expect(JSON.parse(fromExport.stdout)).toEqual(JSON.parse(fromLogs.stdout));
  });

  it("compare --parquet by labels: exit 4 and 'slower', the JSON written where asked", async () => {
    const json = join(dir, "cmp.json");
    const { code, stdout } = await runMain(["compare", "--parquet", out, "--baseline-label", "before", "--candidate-label", "after", "--resamples", "1000", "--json", json]);
    expect(code).toBe(4);
    expect(stdout).toMatch(/execution .* slower/);
    const result = JSON.parse(readFileSync(json, "utf8"));
    expect(result.groups[0].execution.ratio.point).toBeCloseTo(1.4, 2);
  });

  it("exits 7 when nothing is compared: an export of one recording has no trend", async () => {
    const { code, stdout } = await runMain(["trend", "--parquet", single, "--resamples", "1000"]);
    expect(code).toBe(7);
    expect(stdout).toContain("281.0 ms");
  });

  it("refuses, as usage (exit 1), recordings beside --parquet, missing or unknown labels, and --json without a name", async () => {
    const cases: [string[], string][] = [
      [["trend", BENCHMARK, "--parquet", out], "--parquet reads an export instead of recordings"],
      [["compare", "--parquet", out, "-b", BENCHMARK, "--baseline-label", "before", "--candidate-label", "after"], "--parquet reads an export instead of recordings"],
      [["compare", "--parquet", out, "--baseline-label", "before"], "give --baseline-label and --candidate-label"],
      [["compare", "--parquet", out, "--baseline-label", "before", "--candidate-label", "nope"], "--candidate-label nope: no run has this label (labels there: after, before, same)"],
      [["trend", "--parquet", out, "--json"], "--json without a file name writes beside the first log, and --parquet reads none"],
      [["compare", "-b", BENCHMARK], "give the baseline's and the candidate's recordings"],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await runMain(args);
      expect(code, args.join(" ")).toBe(1);
      expect(stderr).toContain(message);
      expect(stderr).not.toMatch(STACK_OR_BUG);
    }
  });

  it("refuses a folder that is not an export (exit 5)", async () => {
    const { code, stderr } = await runMain(["trend", "--parquet", dir]);
    expect(code).toBe(5);
    expect(stderr).toContain("is not a comfyprof Parquet export");
  });
});
