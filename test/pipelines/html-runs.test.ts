import { describe, expect, it } from "vitest";
import type { RunProfile } from "../../src/model/profile.js";
import { analyzeFiles } from "../../pipelines/analyze.js";
import { ManyRunsCollector, PRUNE_AT } from "../../pipelines/html-runs.js";
import { selectDetailRuns } from "../../src/analysis/run-selection.js";

const template = async () => (await analyzeFiles([new URL("../../samples/recordings/benchmark/run.ndjson", import.meta.url).pathname])).runs[1]!;

/** A run of `file` with its own prompt id and time; status "error" when `failed`. */
function runOf(base: RunProfile, file: string, n: number, executionMs: number, failed = false): RunProfile {
  return { ...base, promptId: `${file}-${n}`, source: { ...base.source, file }, timing: { ...base.timing, executionMs }, outcome: { ...base.outcome, status: failed ? "error" : "success" } };
}

/** 1,000 times, each once, in a scrambled order: 100 + (389·i mod 1000) ms. */
const scrambled = (i: number) => 100 + ((389 * i) % 1000);

describe("pipelines/html-runs", () => {
  it("holds a bounded number of profiles and still picks what holding them all would pick", async () => {
    const base = await template();
    const collector = new ManyRunsCollector([{ text: "500", measuredNo: 500 }]);
    let most = 0;
    for (let i = 0; i < 1000; i++) {
      collector.add(runOf(base, "a.ndjson", i, scrambled(i), i % 97 === 3));
      most = Math.max(most, collector.profilesHeld);
    }
    expect(most).toBeLessThanOrEqual(PRUNE_AT + 1);
    const many = collector.finish({ schemaVersion: "1.0", inputs: [], nodeTypes: [], diagnostics: [] });
    const everything = selectDetailRuns(many.summaries, new Set(many.summaries.map((s) => s.index)), [{ text: "500", measuredNo: 500 }]);
    expect(many.selection).toEqual(everything);
    expect([...many.details.keys()]).toEqual(everything.picks.map((p) => p.index));
    const median = everything.picks.flatMap((p) => p.reasons).find((r) => r.kind === "median");
    expect(median?.kind === "median" && median.executionMs === median.medianMs).toBe(true);
  });

  it("takes back a refused log's runs and node times, and keeps the earlier log's picks", async () => {
    const base = await template();
    const collector = new ManyRunsCollector([]);
    for (let i = 0; i < 300; i++) collector.add(runOf(base, "a.ndjson", i, scrambled(i)));
    collector.logRead();
    // The second log has a faster and a slower run than any of the first, then is refused.
    for (let i = 0; i < 250; i++) collector.add(runOf(base, "b.ndjson", i, i === 0 ? 1 : i === 1 ? 99_999 : 600));
    collector.dropLast(250);
    const many = collector.finish({ schemaVersion: "1.0", inputs: [], nodeTypes: [], diagnostics: [] });
    expect(many.summaries).toHaveLength(300);
    const roles = Object.fromEntries(many.selection.picks.flatMap((p) => p.reasons.map((r) => [r.kind, many.summaries[p.index]!.executionMs])));
    const times = Array.from({ length: 300 }, (_, i) => scrambled(i)).sort((a, b) => a - b);
    expect(roles).toEqual({ fastest: times[0], slowest: times[299], median: times[149] });
    const executedPerRun = base.nodes.filter((n) => n.status === "executed").length;
    expect(many.boxes.reduce((n, b) => n + b.count, 0)).toBeLessThanOrEqual(300 * executedPerRun);
  });

  it("keeps every run of a short first log when a long second one is refused, so each still gets its section", async () => {
    const base = await template();
    const collector = new ManyRunsCollector([]);
    // All at one time: the candidates of that range alone would be a single run.
    for (let i = 0; i < 15; i++) collector.add(runOf(base, "a.ndjson", i, 100));
    collector.logRead();
    for (let i = 0; i < 400; i++) collector.add(runOf(base, "b.ndjson", i, scrambled(i)));
    collector.dropLast(400);
    const many = collector.finish({ schemaVersion: "1.0", inputs: [], nodeTypes: [], diagnostics: [] });
    expect(many.selection.picks.map((p) => p.index)).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect([...many.details.values()].every((run) => run !== undefined)).toBe(true);
  });
});
