import { describe, expect, it } from "vitest";
import { diffWorkflows } from "../../src/analysis/workflow-diff.js";
import type { ApiWorkflow } from "../../src/model/events.js";

const base: ApiWorkflow = {
  "1": { class_type: "EmptyImage", inputs: { width: 512, seed: 1 } },
  "2": { class_type: "ImageScale", inputs: { image: ["1", 0], width: 768 } },
  "3": { class_type: "PreviewImage", inputs: { images: ["2", 0] } },
};

describe("analysis/workflow-diff", () => {
  it("names each input that differs, by node, and not the seeds that differ by design", () => {
    const cand: ApiWorkflow = { ...base, "1": { class_type: "EmptyImage", inputs: { width: 1024, seed: 99 } } };
    expect(diffWorkflows(base, cand)).toEqual({
      similarity: 1,
      matched: ["1", "2", "3"],
      differences: [{ nodeId: "1", classType: "EmptyImage", change: "inputs", inputs: [{ name: "width", baseline: "512", candidate: "1024" }] }],
    });
  });

  it("lists added, removed and re-classed nodes, which are not compared, and shows links as links", () => {
    const cand: ApiWorkflow = {
      "1": base["1"]!,
      "2": { class_type: "ImageInvert", inputs: { image: ["1", 0] } },
      "4": { class_type: "SaveImage", inputs: { images: ["1", 0] } },
    };
    const d = diffWorkflows(base, cand);
    expect(d.matched).toEqual(["1"]);
    expect(d.similarity).toBe(1 / 4);
    expect(d.differences.map((x) => [x.nodeId, x.change, x.classType])).toEqual([
      ["2", "class-changed", "ImageScale → ImageInvert"], ["3", "removed", "PreviewImage"], ["4", "added", "SaveImage"],
    ]);
    const relinked = diffWorkflows(base, { ...base, "3": { class_type: "PreviewImage", inputs: { images: ["1", 0] } } });
    expect(relinked.differences[0]!.inputs).toEqual([{ name: "images", baseline: "← #2", candidate: "← #1" }]);
  });
});
