import { describe, expect, it } from "vitest";
import { analyzeRun } from "../../src/analysis/index.js";
import { recommend, RULES } from "../../src/analysis/recommendations.js";
import { buildRunTimelines } from "../../src/fold/index.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import type { RunTimeline } from "../../src/model/profile.js";
import { GB, timeline, type Timeline } from "../support/timeline.js";

const GiB = 1024 ** 3;
const PROMPT: ApiWorkflow = {
  "1": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "m.safetensors" } },
  "2": { class_type: "KSampler", inputs: { model: ["1", 0], seed: 5, steps: 4 } },
  "3": { class_type: "SaveImage", inputs: { images: ["2", 0] } },
};

/** One run of PROMPT: loader `loaderMs`, sampler `samplerMs`, save 10 ms, back to back from t = `gap`; queued at `createAt`. */
function oneRun(t: Timeline, opts: { loaderMs?: number; samplerMs?: number; gap?: number; createAt?: number; from?: number; run?: number; log?: string } = {}): void {
  const from = opts.from ?? 0;
  const gap = opts.gap ?? 1;
  const a = from + gap;
  const b = a + (opts.loaderMs ?? 100);
  const c = b + (opts.samplerMs ?? 800);
  t.at(from - 20).runStart({ run: opts.run ?? 0 });
  t.at(from - 10).submit(from - 18);
  t.at(from).start().cached([]);
  t.at(from + 0.5).stats({ ramUsedBytes: 4 * GB, sentAt: from });
  t.at(a).running("1").executing("1");
  t.at(b).finished("1").running("2").executing("2");
  if (opts.log) t.send(b + 1, { type: "logs", entries: [{ localTime: null, text: opts.log }], size: null });
  t.at(c).finished("2").running("3").executing("3");
  t.at(c + 10).executed("3").finished("3");
  t.at(c + 11).success();
  t.at(c + 12).done().history({ createTime: opts.createAt ?? from - 15 }).runEnd({ run: opts.run ?? 0 });
}

function rules(run: RunTimeline, previous: RunTimeline | null = null): string[] {
  return analyzeRun(run, previous).recommendations.map((r) => r.rule);
}

function single(opts: Parameters<typeof oneRun>[1]): RunTimeline {
  const t = timeline({ prompt: PROMPT });
  oneRun(t, opts);
  return buildRunTimelines(t.events(), "run.ndjson").runs[0]!;
}

describe("analysis/recommendations", () => {
  it("has one entry per rule, each saying what it checks", () => {
    expect(RULES.map((r) => r.id)).toEqual([
      "sampler-dominates-critical-path", "vram-near-full", "out-of-vram", "unchanged-nodes-reexecuted", "queue-wait-dominates", "large-gaps", "cold-model-load", "slow-first-step",
    ]);
    for (const r of RULES) expect(r.checks.length).toBeGreaterThan(10);
  });

  it("names a sampler that holds at least half the critical path, with its share", () => {
    // CP = 100 + 800 + 10 = 910; the sampler's share 800/910 = 0.879
    const profile = analyzeRun(single({}), null);
    const rec = profile.recommendations.find((r) => r.rule === "sampler-dominates-critical-path")!;
    expect(rec.nodeIds).toEqual(["2"]);
    expect(rec.evidence.share).toBeCloseTo(800 / 910, 6);
    expect(rec.message).toContain("KSampler #2 takes 88 % of the critical path");
    // A 300 ms sampler after a 700 ms loader: 300 / (700 + 300 + 10) = 30 % of the critical path: no.
    expect(rules(single({ loaderMs: 700, samplerMs: 300 }))).not.toContain("sampler-dominates-critical-path");
  });

  it("says when the prompt waited in the queue longer than it ran", () => {
    // queued 2,000 ms before execution_start; execution 100 + 800 + 10 + 2 = 913 ms
    const profile = analyzeRun(single({ createAt: -2000 }), null);
    expect(profile.recommendations.find((r) => r.rule === "queue-wait-dominates")!.evidence).toMatchObject({ queueWaitMs: 2000, source: "server" });
    expect(rules(single({ createAt: -15 }))).not.toContain("queue-wait-dominates");
  });

  it("points at gaps when no node ran for a quarter of the execution", () => {
    // the first node starts 600 ms after execution_start: gap ≥ 600 of ~1,512 ms (40 %)
    const profile = analyzeRun(single({ gap: 600 }), null);
    const rec = profile.recommendations.find((r) => r.rule === "large-gaps")!;
    expect(rec.evidence.largestGapMs).toBeCloseTo(600, 6);
    expect(rules(single({ gap: 1 }))).not.toContain("large-gaps");
  });

  it("notices a model loaded during the run in the server's log", () => {
    const rec = analyzeRun(single({ log: "Requested to load SDXLClipModel\n" }), null).recommendations.find((r) => r.rule === "cold-model-load")!;
    expect(rec.evidence).toMatchObject({ lines: 1, firstLine: "Requested to load SDXLClipModel" });
    expect(rules(single({ log: "Prompt executed in 0.91 seconds" }))).not.toContain("cold-model-load");
  });

  it("flags unchanged nodes that ran again after the same workflow, unless the server caches nothing", () => {
    const t = timeline({ prompt: PROMPT });
    oneRun(t, { run: 0 });
    const second = t.forPrompt("prompt-2");
    oneRun(second, { from: 2000, run: 1 });
    const [first, again] = buildRunTimelines(t.events(), "run.ndjson").runs;
    // Same seed, same inputs: the loader, the sampler and the save could all have come from the cache.
    const rec = analyzeRun(again!, first!).recommendations.find((r) => r.rule === "unchanged-nodes-reexecuted")!;
    expect(rec.nodeIds).toEqual(["1", "2", "3"]);
    expect(rec.evidence.wastedMs).toBeCloseTo(100 + 800 + 10, 6);
    const noCache = { ...again!, environment: { ...again!.environment!, argv: ["main.py", "--cpu", "--cache-none"] } };
    expect(rules(noCache, first!)).not.toContain("unchanged-nodes-reexecuted");
    expect(rules(first!, null)).not.toContain("unchanged-nodes-reexecuted");
  });

  it("says when a node's first progress step took far longer than the steady ones", () => {
    const t = timeline({ prompt: PROMPT });
    t.at(-20).runStart();
    t.at(0).start().cached([]);
    t.at(10).running("1").executing("1");
    t.at(20).finished("1").running("2").executing("2");
    // first step 500 ms after the start, then one per 100 ms: 500 > 1.5 × 100
    t.at(520).progress("2", 1, 4);
    t.at(620).progress("2", 2, 4);
    t.at(720).progress("2", 3, 4);
    t.at(820).progress("2", 4, 4).finished("2").running("3").executing("3");
    t.at(830).executed("3").finished("3");
    t.at(831).success();
    t.at(832).done().runEnd();
    const rec = analyzeRun(buildRunTimelines(t.events(), "run.ndjson").runs[0]!, null).recommendations.find((r) => r.rule === "slow-first-step")!;
    expect(rec.evidence).toEqual({ firstStepMs: 500, firstValue: 1, steadyStepMs: 100, loadMs: 0 });
    // 500 ms for the first step, 100 of them the step itself.
    expect(rec.message).toContain("steady steps take 100 ms (median): set-up before the loop costs about 0.40 s (model transfer, compilation, warm-up).");
  });

  it("names the model loading inside a slow first step, from the server's log", () => {
    const t = timeline({ prompt: PROMPT });
    t.at(-20).runStart();
    t.at(0).start().cached([]);
    t.at(10).running("1").executing("1");
    t.at(20).finished("1").running("2").executing("2");
    t.at(520).progress("2", 1, 3);
    t.at(620).progress("2", 2, 3);
    t.at(720).progress("2", 3, 3).finished("2").running("3").executing("3");
    t.at(730).logs([{ text: "Requested to load SDXL\n", loggedAt: 30 }, { text: "loaded completely; 9000.00 MB usable, 4800.00 MB loaded, full load: True\n", loggedAt: 280 }]);
    t.at(730).executed("3").finished("3");
    t.at(731).success();
    t.at(732).done().runEnd();
    const rec = analyzeRun(buildRunTimelines(t.events(), "run.ndjson").runs[0]!, null).recommendations.find((r) => r.rule === "slow-first-step")!;
    expect(rec.evidence).toEqual({ firstStepMs: 500, firstValue: 1, steadyStepMs: 100, loadMs: 250 });
    expect(rec.message).toContain("set-up before the loop costs about 0.40 s, 0.25 s of it loading models (the server's log), the rest warm-up or compilation.");
  });
});

describe("analysis/recommendations vram-near-full", () => {
  const run = (peakUsedBytes: number) =>
    ({ memory: { devices: [{ name: "cuda:0", totalBytes: 24 * GiB, baselineBytes: 2 * GiB, peakUsedBytes, peakDeltaBytes: peakUsedBytes - 2 * GiB, minFreeBytes: 0 }], sampleIntervalMs: 500 }, nodes: [], serverLog: [], timing: {}, source: {} }) as unknown as RunTimeline;
  const cp = { nodeIds: [], lengthMs: 0, workMs: 0, speedup: null, parallelizability: null, band: null, overlapObserved: false, observedConcurrency: null, remainingSpeedup: null, whatIf: [] };

  it("fires at 95 % of the device's memory and names the numbers", () => {
    const [rec] = recommend({ run: run(0.96 * 24 * GiB), criticalPath: cp, bottlenecks: [], previous: null }).filter((r) => r.rule === "vram-near-full");
    expect(rec!.evidence).toMatchObject({ device: "cuda:0", totalBytes: 24 * GiB, share: 0.96 });
    expect(rec!.message).toContain("23.0 GB of 24.0 GB (96 %)");
  });

  it("stays quiet below 95 %", () => {
    expect(recommend({ run: run(0.94 * 24 * GiB), criticalPath: cp, bottlenecks: [], previous: null }).filter((r) => r.rule === "vram-near-full")).toEqual([]);
  });
});
