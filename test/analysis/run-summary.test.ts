// A run's summary is the same whether made from its timeline (compare and trend, which skip the
// analysis) or from its profile (a RunProfile is a RunSummary), on every bundled real recording.

import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeFilesStreaming, foldFilesStreaming } from "../../pipelines/analyze.js";
import { RunSummarizer } from "../../src/analysis/run-summary.js";
import type { RunSummary } from "../../src/model/run-summary.js";

const dir = new URL("../../samples/recordings/", import.meta.url).pathname;
const recordings = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${dir}${d.name}/run.ndjson`);

describe("analysis/run-summary", () => {
  it("summarizes a run from its timeline exactly as from its profile, on every bundled recording", async () => {
    expect(recordings.length).toBeGreaterThan(10);
    for (const path of recordings) {
      const fromTimelines: RunSummary[] = [];
      const fromProfiles: RunSummary[] = [];
      const a = new RunSummarizer();
      const b = new RunSummarizer();
      await foldFilesStreaming([path], {}, { onTimeline: (t) => fromTimelines.push(a.summarize(t)) });
      await analyzeFilesStreaming([path], {}, (p) => fromProfiles.push(b.summarize(p)));
      expect(fromTimelines.length, path).toBe(fromProfiles.length);
      expect(fromTimelines, path).toEqual(fromProfiles);
    }
  });

  it("keeps the fields compare reads, and shares one environment between runs", async () => {
    const runs: RunSummary[] = [];
    const s = new RunSummarizer();
    await analyzeFilesStreaming([`${dir}benchmark/run.ndjson`], {}, (p) => runs.push(s.summarize(p)));
    expect(runs.length).toBe(11);
    expect(runs[0]!.source.warmup).toBe(true);
    expect(runs.slice(1).every((r) => r.outcome.status === "success" && r.timing.executionMs! > 0)).toBe(true);
    expect(runs[1]!.nodes.some((n) => n.status === "executed" && n.durationMs! > 0)).toBe(true);
    expect(runs[1]!.environment).not.toBeNull();
    expect(runs[2]!.environment).toBe(runs[1]!.environment);
    expect(Object.keys(runs[1]!).sort()).toEqual(["cache", "diagnostics", "environment", "nodes", "outcome", "promptId", "source", "startedAtMs", "timing", "workflow"]);
  });
});
