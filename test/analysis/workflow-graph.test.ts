import { describe, expect, it } from "vitest";
import { hasCycle } from "graphology-dag";
import fc from "fast-check";
import { buildWorkflowGraph, workflowGraphMessages, workflowGraphOf } from "../../src/analysis/workflow-graph.js";
import type { ApiWorkflow } from "../../src/model/events.js";

/** A prompt from `id: {input: value}`; every node gets the same class. */
const prompt = (nodes: Record<string, Record<string, unknown>>): ApiWorkflow =>
  Object.fromEntries(Object.entries(nodes).map(([id, inputs]) => [id, { class_type: "Test", inputs }]));

describe("analysis/workflow-graph", () => {
  it("makes one node per prompt node and an edge per link, source to target", () => {
    const { graph, edges, diagnostics } = buildWorkflowGraph(
      prompt({
        "4": { ckpt_name: "model.safetensors" },
        "6": { text: "a cat", clip: ["4", 1] },
        "3": { model: ["4", 0], positive: ["6", 0], seed: 7 },
      }),
    );
    expect(graph.order).toBe(3);
    expect(edges).toEqual([["4", "3"], ["4", "6"], ["6", "3"]]);
    expect(diagnostics).toEqual([]);
  });

  it("counts several links between the same pair as one dependency", () => {
    // 2 feeds 3 through three inputs, two of them from the same output.
    const { graph, edges } = buildWorkflowGraph(
      prompt({ "2": {}, "3": { a: ["2", 0], b: ["2", 1], c: ["2", 0] } }),
    );
    expect(graph.size).toBe(1);
    expect(edges).toEqual([["2", "3"]]);
  });

  it("takes anything but a [string id, integer index] pair as a literal", () => {
    const { edges, diagnostics } = buildWorkflowGraph(
      prompt({
        "1": {},
        "2": {
          numericId: [1, 0],
          fractional: ["1", 0.5],
          indexAsString: ["1", "0"],
          threeLong: ["1", 0, 0],
          oneLong: ["1"],
          object: { 0: "1", 1: 0 },
          text: "1",
        },
      }),
    );
    expect(edges).toEqual([]);
    expect(diagnostics).toEqual([]);
  });

  it("orders nodes and edges by natural id order, 2 before 10", () => {
    const { graph, edges } = buildWorkflowGraph(prompt({ "10": {}, "2": {}, "11": { a: ["10", 0], b: ["2", 0] } }));
    expect(graph.nodes()).toEqual(["2", "10", "11"]);
    expect(edges).toEqual([["2", "11"], ["10", "11"]]);
  });

  it("ignores a link to a node missing from the prompt, with one diagnostic per link", () => {
    const { graph, edges, diagnostics } = buildWorkflowGraph(
      prompt({ "1": {}, "2": { model: ["1", 0], vae: ["99", 2] } }),
    );
    expect(graph.nodes()).toEqual(["1", "2"]);
    expect(edges).toEqual([["1", "2"]]);
    expect(diagnostics).toEqual([{ code: "workflow-link-missing-source", nodeId: "2", message: workflowGraphMessages.missingSource("2", "vae", "99") }]);
  });

  it("skips nodes without an inputs object instead of failing", () => {
    const bad = { "1": { class_type: "Test" }, "2": { class_type: "Test", inputs: null } } as unknown as ApiWorkflow;
    const { graph, edges, diagnostics } = buildWorkflowGraph(bad);
    expect([graph.order, edges, diagnostics]).toEqual([2, [], []]);
  });

  it("breaks a cycle by dropping the back edge of a DFS in natural id order", () => {
    // 1 → 2 → 3 → 1, and 3 → 4. DFS from 1 reaches 3, whose edge back to the open node 1 is dropped.
    const cyclic = prompt({ "1": { x: ["3", 0] }, "2": { x: ["1", 0] }, "3": { x: ["2", 0] }, "4": { x: ["3", 0] } });
    const { graph, edges, diagnostics } = buildWorkflowGraph(cyclic);
    expect(hasCycle(graph)).toBe(false);
    expect(edges).toEqual([["1", "2"], ["2", "3"], ["3", "4"]]);
    expect(diagnostics).toEqual([{ code: "workflow-cycle-edge-dropped", nodeId: "1", message: workflowGraphMessages.cycleEdgeDropped("3", "1") }]);
    expect(buildWorkflowGraph(cyclic)).toEqual({ graph: expect.anything(), edges, diagnostics });
  });

  it("drops a node's link to itself", () => {
    const { graph, edges, diagnostics } = buildWorkflowGraph(prompt({ "5": { loop: ["5", 0] } }));
    expect(hasCycle(graph)).toBe(false);
    expect(edges).toEqual([]);
    expect(diagnostics).toEqual([{ code: "workflow-cycle-edge-dropped", nodeId: "5", message: workflowGraphMessages.cycleEdgeDropped("5", "5") }]);
  });

  it("breaks a 50,000-node cycle without overflowing the stack", () => {
    // i links to i − 1, and 0 to the last one: one ring; DFS from 0 walks it all and drops the edge back to 0.
    const n = 50_000;
    const ring = prompt(Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), { x: [String((i + n - 1) % n), 0] }])));
    const { graph, diagnostics } = buildWorkflowGraph(ring);
    expect(graph.size).toBe(n - 1);
    expect(diagnostics.map((d) => d.message)).toEqual([workflowGraphMessages.cycleEdgeDropped(String(n - 1), "0")]);
  });

  it("gives an empty graph for an empty prompt", () => {
    const { graph, edges, diagnostics } = buildWorkflowGraph({});
    expect([graph.order, edges, diagnostics]).toEqual([0, [], []]);
  });

  describe("workflowGraphOf (one graph for the runs of a workflow)", () => {
    const linkOrLiteral = fc.oneof(fc.constantFrom<unknown>(1, "x", null, ["9", 0]), fc.tuple(fc.constantFrom("1", "2", "3", "4"), fc.constantFrom(0, 1)));
    const promptArb = fc.dictionary(fc.constantFrom("1", "2", "3", "4"), fc.dictionary(fc.constantFrom("a", "b", "image"), linkOrLiteral, { maxKeys: 3 }), { minKeys: 1 }).map(prompt);
    const view = (w: ReturnType<typeof buildWorkflowGraph>) => ({ nodes: w.graph.nodes(), edges: w.edges, diagnostics: w.diagnostics });

    it("gives, for any sequence of prompts, the graph buildWorkflowGraph makes of each (cycles and missing nodes included)", () => {
      fc.assert(
        fc.property(fc.array(promptArb, { minLength: 1, maxLength: 8 }), (prompts) => {
          for (const p of prompts) expect(view(workflowGraphOf(p))).toEqual(view(buildWorkflowGraph(p)));
        }),
        { numRuns: 500 },
      );
    });

    it("shares one graph between prompts that differ only in literal inputs", () => {
      const a = workflowGraphOf(prompt({ "1": { seed: 1 }, "2": { image: ["1", 0], r: 2 } }));
      expect(workflowGraphOf(prompt({ "1": { seed: 99 }, "2": { image: ["1", 0], r: 3 } }))).toBe(a);
      expect(workflowGraphOf(prompt({ "1": { seed: 1 }, "2": { image: ["1", 1], r: 2 } }))).toBe(a);
      expect(workflowGraphOf(prompt({ "1": { seed: 1 }, "2": { mask: ["1", 0], r: 2 } }))).not.toBe(a);
    });
  });
});
