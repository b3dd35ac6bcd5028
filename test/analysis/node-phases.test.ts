import { describe, expect, it } from "vitest";
import { analyzeRun } from "../../src/analysis/index.js";
import { buildRunTimelines } from "../../src/fold/index.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import type { NodeRun } from "../../src/model/profile.js";
import { GB, timeline } from "../support/timeline.js";

const prompt: ApiWorkflow = {
  "1": { class_type: "CheckpointLoaderSimple", inputs: {} },
  "2": { class_type: "KSampler", inputs: { model: ["1", 0] } },
  "3": { class_type: "VAEDecode", inputs: { samples: ["2", 0] } },
};

/**
 * 1: 10–110; 2 (the sampler): 110–1110, steps 1..5 at 600, 700, 800, 900, 1000; 3: 1110–1200, no progress.
 * `loads`: [requested, loaded] in run ms, each a full load logged by the server.
 */
function sampler(loads: [number, number][]): NodeRun[] {
  const t = timeline({ prompt });
  t.at(-20).runStart();
  t.at(-10).submit(-18);
  t.at(0).start().cached([]);
  t.at(5).stats({ ramUsedBytes: 4 * GB, sentAt: 3 });
  t.at(10).running("1").executing("1");
  t.at(110).finished("1").running("2").executing("2");
  for (const [i, at] of [600, 700, 800, 900, 1000].entries()) t.at(at).progress("2", i + 1, 5);
  t.at(1110).finished("2").running("3").executing("3");
  t.at(1150).logs(loads.flatMap(([from, to]) => [
    { text: "Requested to load BaseModel\n", loggedAt: from },
    { text: "loaded completely; 9000.00 MB usable, 1600.00 MB loaded, full load: True\n", loggedAt: to },
  ]));
  t.at(1200).finished("3").success();
  t.at(1205).done().history({ createTime: -15 }).runEnd();
  const [run] = buildRunTimelines(t.events(), "run.ndjson").runs;
  return analyzeRun(run!, null).nodes;
}

describe("analysis/node-phases", () => {
  it("splits a sampler's time into loading, to the first step, the steps and after the last step", () => {
    // Loaded 150–450: 1000 ms = 300 loading + (600 − 110 − 300 =) 190 to the first step + 4 steps in 400 ms (100 each) + 110 after.
    const [, n2, n3] = sampler([[150, 450]]);
    expect(n2!.phases).toEqual({
      loadMs: 300, toFirstStepMs: 190, firstStepValue: 1, steps: 4, steppingMs: 400, steadyStepMs: 100,
      steadyStepSpreadMs: { p25Ms: 100, p75Ms: 100 }, afterLastStepMs: 110,
    });
    expect(n2!.loadSplit).toEqual({ loadMs: 300, computeMs: 700 });
    // No progress, no phases.
    expect(n3!.phases).toBeNull();
  });

  it("takes a load out of the phase its request falls in: one during the steps shortens the stepping", () => {
    // 150–450 before the first step, 720–770 between steps 2 and 3 (a preview model, say).
    const [, n2] = sampler([[150, 450], [720, 770]]);
    expect(n2!.phases).toMatchObject({ loadMs: 350, toFirstStepMs: 190, steppingMs: 350, afterLastStepMs: 110 });
    expect(n2!.loadSplit).toEqual({ loadMs: 350, computeMs: 650 });
  });

  it("keeps a load requested just before the node's received start whole, in the first phase (the start arrived late)", () => {
    // Requested at 100, 10 ms before node 2's start was received (within the attribution slack), loaded at 400.
    const [n1, n2] = sampler([[100, 400]]);
    expect(n1!.loadSplit).toBeNull();
    expect(n2!.phases).toMatchObject({ loadMs: 300, toFirstStepMs: 190, steppingMs: 400, afterLastStepMs: 110 });
    const p = n2!.phases!;
    expect(p.loadMs + p.toFirstStepMs + p.steppingMs + p.afterLastStepMs).toBe(n2!.durationMs);
  });

  it("gives a stepping node that loaded nothing no loading", () => {
    const [, n2] = sampler([]);
    expect(n2!.phases).toMatchObject({ loadMs: 0, toFirstStepMs: 490, steppingMs: 400, afterLastStepMs: 110 });
    expect(n2!.loadSplit).toBeNull();
  });
});
