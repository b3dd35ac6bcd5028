// The committed real recordings with a truth of what happened inside their
// nodes (model loads timed around ComfyUI's load_models_gpu; the steps of
// ComfyprofModelSteps): the profile's load/compute split and step phases are
// within the tolerances docs/accuracy.md states.

import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";
import type { Analysis } from "../../src/model/profile.js";
import { checkInsideNode } from "../support/expectations.js";
import { insideNodeRows, readLoadTruth, type InsideMeasure } from "../support/inside-truth.js";

const root = fileURLToPath(new URL("../../samples/recordings/", import.meta.url));
const cases = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && readLoadTruth(`${root}${d.name}/truth.ndjson`).length > 0).map((d) => d.name).sort();

describe("pipelines/analyze: inside the node, against the truth", () => {
  it("has recordings with a load truth (model-load, model-steps)", () => {
    expect(cases).toEqual(expect.arrayContaining(["model-load", "model-steps"]));
  });

  for (const name of cases) {
    describe(name, () => {
      const dir = `${root}${name}`;
      let analysis: Analysis;
      beforeAll(async () => {
        analysis = await analyzeFiles([`${dir}/run.ndjson`]);
      });

      it("gives every true load to the node that loaded it, and splits its time within tolerance", () => {
        expect(checkInsideNode(analysis, `${dir}/truth.ndjson`)).toBeGreaterThan(0);
      });
    });
  }

  it("holds every phase of the stepping node in each of model-steps' three runs", async () => {
    const analysis = await analyzeFiles([`${root}model-steps/run.ndjson`]);
    const rows = insideNodeRows(analysis, `${root}model-steps/truth.ndjson`);
    const measures: InsideMeasure[] = ["load", "compute", "to-first-step", "stepping", "steady-step", "after-last-step"];
    for (const m of measures) expect(rows.filter((r) => r.measure === m && r.nodeId === "2"), m).toHaveLength(3);
    // The phases add up to the node's time.
    for (const run of analysis.runs) {
      const n = run.nodes.find((x) => x.nodeId === "2")!;
      const p = n.phases!;
      expect(p.loadMs + p.toFirstStepMs + p.steppingMs + p.afterLastStepMs).toBeCloseTo(n.durationMs!, 6);
      expect(p).toMatchObject({ firstStepValue: 1, steps: 7 });
      expect(p.loadMs).toBeCloseTo(n.loadSplit!.loadMs, 6);
    }
  });
});
