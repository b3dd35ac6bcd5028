// A run's summary is the same whether made from its timeline (compare and trend, which skip the
// analysis) or from its profile (a RunProfile is a ComparableRun), on every bundled real recording.

import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeFilesStreaming, foldFilesStreaming } from "../../pipelines/analyze.js";
import { ComparableRunSummarizer } from "../../src/analysis/comparable-run.js";
import type { ComparableRun } from "../../src/model/comparable-run.js";

const dir = new URL("../../samples/recordings/", import.meta.url).pathname;
const recordings = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${dir}${d.name}/run.ndjson`);

describe("analysis/comparable-run", () => {
  it("summarizes a run from its timeline exactly as from its profile, on every bundled recording", async () => {
    expect(recordings.length).toBeGreaterThan(10);
    for (const path of recordings) {
      const fromTimelines: ComparableRun[] = [];
      const fromProfiles: ComparableRun[] = [];
      const a = new ComparableRunSummarizer();
      const b = new ComparableRunSummarizer();
      await foldFilesStreaming([path], {}, { onTimeline: (t) => fromTimelines.push(a.summarize(t)) });
      await analyzeFilesStreaming([path], {}, (p) => fromProfiles.push(b.summarize(p)));
      expect(fromTimelines.length, path).toBe(fromProfiles.length);
      expect(fromTimelines, path).toEqual(fromProfiles);
    }
  });

  it("keeps the fields compare reads, and shares one environment between runs", async () => {
    const runs: ComparableRun[] = [];
    const s = new ComparableRunSummarizer();
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
