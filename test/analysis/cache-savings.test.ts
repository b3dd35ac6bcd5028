import { describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";

const recording = (name: string) => new URL(`../../samples/recordings/${name}/run.ndjson`, import.meta.url).pathname;

describe("analysis/cache-savings", () => {
  it("gives each cached node the time the same node took when it last ran, and labels the run by its cache use", async () => {
    // cache-warm: the warm-up runs every node; the identical resubmission runs none (all cached).
    const [warmup, cached] = (await analyzeFiles([recording("cache-warm")])).runs;
    expect(warmup!.cache).toEqual({ use: "model-warm", timeSavedMs: null });
    expect(cached!.cache.use).toBe("cache-warm");
    for (const n of cached!.nodes) {
      const ran = warmup!.nodes.find((w) => w.nodeId === n.nodeId)!;
      expect(n.status).toBe("cached");
      expect(n.timeSavedMs, `node ${n.nodeId}`).toBe(ran.durationMs);
    }
    const total = warmup!.nodes.reduce((sum, n) => sum + n.durationMs!, 0);
    expect(cached!.cache.timeSavedMs).toBeCloseTo(total, 9);
  });

  it("saves nothing it cannot know: model-warm runs (a nonce re-runs every node) and cold runs", async () => {
    for (const [name, use] of [["model-warm", "model-warm"], ["cold", "cold"]] as const) {
      for (const run of (await analyzeFiles([recording(name)])).runs) {
        if (run.source.warmup) continue;
        expect(run.cache, name).toEqual({ use, timeSavedMs: null });
        expect(run.nodes.every((n) => n.timeSavedMs === null)).toBe(true);
      }
    }
  });
});
