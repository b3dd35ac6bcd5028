import { describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";
import { renderTerminalReport, TerminalReport } from "../../reports/terminal.js";

const recording = (name: string) => new URL(`../../samples/recordings/${name}/run.ndjson`, import.meta.url).pathname;

describe("reports/terminal", () => {
  it("shows each run of a short log, and only the runs table for a long one", async () => {
    const analysis = await analyzeFiles([recording("cache-warm"), recording("benchmark")]);
    const text = renderTerminalReport(analysis, { detail: false, color: false });
    expect(text).toContain("warm-up 1 · prompt");
    expect(text).toContain("run 1 · prompt");
    expect(text).toContain("(11 runs: add --detail");
    expect(text).not.toContain("run 3 of 10 ·");
    expect(renderTerminalReport(analysis, { detail: true, color: false })).toContain("run 3 of 10 ·");
  });

  it("keeps no section of a long log's runs unless --detail", async () => {
    const analysis = await analyzeFiles([recording("benchmark")]);
    const report = new TerminalReport({ detail: false, color: false });
    for (const run of analysis.runs) report.addRun(run);
    const text = report.finish(analysis);
    // 11 rows in the runs table, no per-run section: the builder let go of them after the fourth run.
    expect(text.match(/^ {2}(warm-up|run) \d+ /gm)).toHaveLength(11);
    expect(text).not.toContain("Slowest nodes");
  });

  it("colours only when asked", async () => {
    const analysis = await analyzeFiles([recording("error-mid-run")]);
    expect(renderTerminalReport(analysis, { detail: true, color: false })).not.toContain("\u001b[");
    expect(renderTerminalReport(analysis, { detail: true, color: true })).toContain("\u001b[31merror at #2 ComfyprofRaise\u001b[0m");
  });

  it("shows a GPU's memory peak against its total, and says the CPU device is not VRAM", async () => {
    const analysis = await analyzeFiles([recording("parallel-branches")]);
    const GiB = 1024 ** 3;
    const run = analysis.runs[0]!;
    const gpu = { ...analysis, runs: [{ ...run, memory: { ...run.memory, devices: [{ name: "cuda:0 RTX 3090", totalBytes: 24 * GiB, baselineBytes: 2 * GiB, peakUsedBytes: 18.2 * GiB, peakDeltaBytes: 16.2 * GiB, minFreeBytes: 5.8 * GiB }] } }] };
    const text = renderTerminalReport(gpu, { detail: true, color: false });
    expect(text).toContain("cuda:0 RTX 3090: used baseline 2.00 GB · peak 18.20 GB of 24.00 GB = 75.8 % (+16.20 GB vs baseline) · min free 5.80 GB");
    expect(text).toContain("device cpu: the CPU (--cpu): no VRAM, its figures repeat RAM");
  });
});
