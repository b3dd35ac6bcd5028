// A workflow's fingerprint is the FNV-1a of the canonical JSON of its nodes' classes and inputs,
// seeds and our nonce left out (docs/metrics.md "Across runs"): written straight from the prompt,
// it must give the same digits as the object it stands for, since exports and recordings keep them.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { workflowFingerprint } from "../../src/fold/workflow-fingerprint.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import { fingerprint } from "../../src/text/hash.js";

/** The definition: the structure as an object, then its fingerprint. */
function byDefinition(prompt: ApiWorkflow): string {
  const varying = new Set(["seed", "noise_seed", "comfyprof_nonce"]);
  const structure = Object.fromEntries(
    Object.entries(prompt).map(([id, node]) => [
      id,
      { class_type: node.class_type, inputs: Object.fromEntries(Object.entries(node.inputs).filter(([name, v]) => !(varying.has(name) && !Array.isArray(v)))) },
    ]),
  );
  return fingerprint(structure);
}

const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.tuple(fc.constantFrom("1", "10", "2"), fc.nat(3)),
  fc.constantFrom("a \"quoted\" \\ text\n", "é漢👍", -0, 1e21, 0.1),
);
const promptArb: fc.Arbitrary<ApiWorkflow> = fc.dictionary(
  fc.constantFrom("1", "2", "10", "a", "__proto__", "é"),
  fc.record({
    class_type: fc.constantFrom("KSampler", "VAEDecode", "Say \"hi\""),
    inputs: fc.dictionary(fc.constantFrom("seed", "noise_seed", "comfyprof_nonce", "steps", "text", "image", "__proto__", "b", "B"), value, { maxKeys: 5 }),
  }),
  { maxKeys: 6 },
);

describe("fold/workflow-fingerprint", () => {
  it("gives the definition's digits for any prompt", () => {
    fc.assert(fc.property(promptArb, (prompt) => {
        expect(workflowFingerprint(prompt)).toBe(byDefinition(prompt));
      }), { numRuns: 2000 });
  });

  it("leaves out literal seeds and the nonce but keeps a seed fed by a link", () => {
    const base: ApiWorkflow = { "3": { class_type: "KSampler", inputs: { seed: 1, steps: 20, model: ["4", 0] } }, "4": { class_type: "Load", inputs: { comfyprof_nonce: "a" } } };
    const reseeded: ApiWorkflow = { "3": { class_type: "KSampler", inputs: { seed: 2, steps: 20, model: ["4", 0] } }, "4": { class_type: "Load", inputs: { comfyprof_nonce: "b" } } };
    expect(workflowFingerprint(reseeded)).toBe(workflowFingerprint(base));
    expect(workflowFingerprint({ ...base, "3": { class_type: "KSampler", inputs: { seed: 1, steps: 21, model: ["4", 0] } } })).not.toBe(workflowFingerprint(base));
    const linked = (from: string): ApiWorkflow => ({ ...base, "3": { class_type: "KSampler", inputs: { seed: [from, 0], steps: 20, model: ["4", 0] } } });
    expect(workflowFingerprint(linked("4"))).not.toBe(workflowFingerprint(linked("5")));
  });
});
