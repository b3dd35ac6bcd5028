// pipelines/analyze.ts's options: the same runs whatever is asked of the node-type statistics.

import { describe, expect, it } from "vitest";
import { analyzeFilesStreaming } from "../../pipelines/analyze.js";
import type { RunProfile } from "../../src/model/profile.js";

const BENCHMARK = new URL("../../samples/recordings/benchmark/run.ndjson", import.meta.url).pathname;

describe("pipelines/analyze", () => {
  it("keeps no node durations with nodeTypes: false, and hands out the same runs", async () => {
    const withTypes: RunProfile[] = [];
    const without: RunProfile[] = [];
    const a = await analyzeFilesStreaming([BENCHMARK], {}, (r) => withTypes.push(r));
    const b = await analyzeFilesStreaming([BENCHMARK], { nodeTypes: false }, (r) => without.push(r));
    expect(a.nodeTypes.length).toBeGreaterThan(3);
    expect(a.nodeTypes.find((t) => t.classType === "ImageInvert")?.count).toBe(10);
    expect(b.nodeTypes).toEqual([]);
    expect(without).toEqual(withTypes);
    expect(b.inputs).toEqual(a.inputs);
  });
});
