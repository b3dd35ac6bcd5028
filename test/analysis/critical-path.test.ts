import { describe, expect, it } from "vitest";
import { DirectedGraph } from "graphology";
import { classifyParallelizability, findCriticalPath } from "../../src/analysis/critical-path.js";
import { buildWorkflowGraph } from "../../src/analysis/workflow-graph.js";
import { compareNodeIds } from "../../src/model/node-ids.js";

/** A graph from node weights and "a>b" edges; returns it with its weight function. */
function dag(weights: Record<string, number>, edges: string[] = []) {
  const graph = new DirectedGraph();
  for (const id of Object.keys(weights)) graph.addNode(id);
  for (const e of edges) graph.addEdge(...(e.split(">") as [string, string]));
  return [graph, (id: string) => weights[id]!] as const;
}
const slack = (result: ReturnType<typeof findCriticalPath>) => Object.fromEntries(result.slackMs);

/** mulberry32: a small seeded PRNG, so random cases are the same on every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random DAG: edges only from earlier to later in `order`, a shuffled list of numeric ids. */
function randomDag(rand: () => number, n: number, edgeChance: number, maxWeight: number) {
  const order = Array.from({ length: n }, (_, i) => String(i + 1));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const weights = Object.fromEntries(order.map((id) => [id, Math.floor(rand() * (maxWeight + 1))]));
  const edges: string[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rand() < edgeChance) edges.push(`${order[i]}>${order[j]}`);
  return { order, weights, edges };
}

/** Every source-to-sink path, enumerated; the stated tie rule applied by sorting them all. */
function bruteForce(graph: DirectedGraph, w: (id: string) => number) {
  const paths: string[][] = [];
  const walk = (path: string[]): void => {
    const next = graph.outNeighbors(path[path.length - 1]!);
    if (next.length === 0) paths.push(path);
    for (const n of next) walk([...path, n]);
  };
  for (const id of graph.nodes()) if (graph.inDegree(id) === 0) walk([id]);
  const sum = (p: string[]) => p.reduce((s, id) => s + w(id), 0);
  const length = Math.max(0, ...paths.map(sum));
  const best = paths.filter((p) => sum(p) === length).sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return compareNodeIds(a[i]!, b[i]!);
    return a.length - b.length;
  })[0] ?? [];
  let [start, end] = [0, best.length];
  while (start < end && w(best[start]!) === 0) start++;
  while (end > start && w(best[end - 1]!) === 0) end--;
  const through = (id: string) => Math.max(...paths.filter((p) => p.includes(id)).map(sum));
  return { length, nodeIds: best.slice(start, end), slack: Object.fromEntries(graph.nodes().map((id) => [id, length - through(id)])) };
}

describe("analysis/critical-path", () => {
  it("gives a sequential chain as the whole path, with speedup 1 and no slack", () => {
    const result = findCriticalPath(...dag({ "1": 100, "2": 200, "3": 300 }, ["1>2", "2>3"]));
    // 100 + 200 + 300 = 600 = Σ: speedup 600/600 = 1, parallelizability 0.
    expect(result.path).toMatchObject({ nodeIds: ["1", "2", "3"], lengthMs: 600, workMs: 600, speedup: 1, parallelizability: 0, band: "low" });
    expect(slack(result)).toEqual({ "1": 0, "2": 0, "3": 0 });
  });

  it("takes the longer of two joined branches plus the join, not the slowest node", () => {
    // A: 1, 2, 3 = 300 + 300 + 400 = 1000; B: 4, 5 = 200 + 200 = 400; join 6 = 5.
    const result = findCriticalPath(...dag({ "1": 300, "2": 300, "3": 400, "4": 200, "5": 200, "6": 5 }, ["1>2", "2>3", "3>6", "4>5", "5>6"]));
    // CP = 1000 + 5 = 1005; Σ = 1000 + 400 + 5 = 1405.
    expect(result.path).toMatchObject({ nodeIds: ["1", "2", "3", "6"], lengthMs: 1005, workMs: 1405, speedup: 1405 / 1005, band: "low" });
    expect(result.path.parallelizability).toBeCloseTo(1 - 1005 / 1405, 12); // 400/1405 ≈ 0.285
    // B could run until A ends at 1000: slack = 1000 − 400 = 600.
    expect(slack(result)).toEqual({ "1": 0, "2": 0, "3": 0, "4": 600, "5": 600, "6": 0 });
    // What-ifs for the three heaviest CP nodes, 300s tied in id order: 3 halved 1005 − 200; 1 or 2 halved 1005 − 150.
    expect(result.path.whatIf).toEqual([
      { nodeId: "3", factor: 2, lengthMs: 805, savedMs: 200, nodeIds: ["1", "2", "3", "6"] },
      { nodeId: "1", factor: 2, lengthMs: 855, savedMs: 150, nodeIds: ["1", "2", "3", "6"] },
      { nodeId: "2", factor: 2, lengthMs: 855, savedMs: 150, nodeIds: ["1", "2", "3", "6"] },
    ]);
  });

  it("goes through the heavier middle of a diamond and gives the other its difference as slack", () => {
    // 1 (10) → 2 (50) | 3 (70) → 4 (20): CP 10 + 70 + 20 = 100; slack of 2 = 70 − 50 = 20; Σ = 150.
    const result = findCriticalPath(...dag({ "1": 10, "2": 50, "3": 70, "4": 20 }, ["1>2", "1>3", "2>4", "3>4"]));
    expect(result.path).toMatchObject({ nodeIds: ["1", "3", "4"], lengthMs: 100, workMs: 150, speedup: 1.5 });
    expect(slack(result)).toEqual({ "1": 0, "2": 20, "3": 0, "4": 0 });
  });

  it("breaks a tie between equal branches by natural id order, 9 before 10", () => {
    // 1 → 9 | 10 → 2, both middles 50: the path through 9 is chosen although "10" < "9" as strings.
    const result = findCriticalPath(...dag({ "1": 1, "9": 50, "10": 50, "2": 1 }, ["1>9", "1>10", "9>2", "10>2"]));
    expect(result.path.nodeIds).toEqual(["1", "9", "2"]);
    expect(slack(result)).toEqual({ "1": 0, "9": 0, "10": 0, "2": 0 });
  });

  it("prefers a long chain of fast nodes to a short branch with one slow node", () => {
    // Branch: 1 = 500 → 7. Chain: 2..6 = 5 × 120 = 600 → 7 (10). CP = 600 + 10 = 610; slack of 1 = 600 − 500 = 100.
    const weights = { "1": 500, "2": 120, "3": 120, "4": 120, "5": 120, "6": 120, "7": 10 };
    const result = findCriticalPath(...dag(weights, ["1>7", "2>3", "3>4", "4>5", "5>6", "6>7"]));
    expect(result.path).toMatchObject({ nodeIds: ["2", "3", "4", "5", "6", "7"], lengthMs: 610, workMs: 1110 });
    expect(result.slackMs.get("1")).toBe(100);
  });

  it("picks the longest of disconnected components and gives the others slack", () => {
    // {1 → 2} = 200, {3} = 150, {4 → 5} = 50 + 300 = 350: CP 350; Σ = 700; speedup 2; parallelizability 350/700 = 0.5.
    const result = findCriticalPath(...dag({ "1": 100, "2": 100, "3": 150, "4": 50, "5": 300 }, ["1>2", "4>5"]));
    expect(result.path).toMatchObject({ nodeIds: ["4", "5"], lengthMs: 350, workMs: 700, speedup: 2, parallelizability: 0.5, band: "moderate" });
    expect(slack(result)).toEqual({ "1": 150, "2": 150, "3": 200, "4": 0, "5": 0 });
  });

  it("trims cached zero-weight nodes at the ends of the path but keeps them in the middle", () => {
    // Cached loaders 1, 2 (0) → sampler 3 (500) → save 5 (20) → preview 6 (0): CP 3, 5 = 520; the 0s add nothing.
    const ends = findCriticalPath(...dag({ "1": 0, "2": 0, "3": 500, "5": 20, "6": 0 }, ["1>3", "2>3", "3>5", "5>6"]));
    expect(ends.path).toMatchObject({ nodeIds: ["3", "5"], lengthMs: 520, workMs: 520 });
    expect(ends.path.whatIf.map((w) => w.nodeId)).toEqual(["3", "5"]);
    expect(slack(ends)).toEqual({ "1": 0, "2": 0, "3": 0, "5": 0, "6": 0 });
    const middle = findCriticalPath(...dag({ "1": 100, "2": 0, "3": 100 }, ["1>2", "2>3"]));
    expect(middle.path.nodeIds).toEqual(["1", "2", "3"]);
  });

  it("gives an empty path and nulls when every node was cached", () => {
    const result = findCriticalPath(...dag({ "1": 0, "2": 0 }, ["1>2"]));
    expect(result.path).toEqual({ nodeIds: [], lengthMs: 0, workMs: 0, speedup: null, parallelizability: null, band: null, overlapObserved: false, observedConcurrency: null, remainingSpeedup: null, whatIf: [] });
    expect(slack(result)).toEqual({ "1": 0, "2": 0 });
  });

  it("moves the path to the other branch when the what-if halves its heaviest node", () => {
    // A: 1 (1000) → 3 (10) = 1010; B: 2 (800) → 3 = 810. Halving 1: A = 500 + 10 = 510 < 810, so CP = B; saved 1010 − 810 = 200.
    const result = findCriticalPath(...dag({ "1": 1000, "2": 800, "3": 10 }, ["1>3", "2>3"]), { whatIfTop: 1 });
    expect(result.path.nodeIds).toEqual(["1", "3"]);
    expect(result.path.whatIf).toEqual([{ nodeId: "1", factor: 2, lengthMs: 810, savedMs: 200, nodeIds: ["2", "3"] }]);
  });

  it("applies the what-if factor and count, and passes overlapObserved through", () => {
    // 1 (400) → 2 (100): 400 / 4 = 100, CP 100 + 100 = 200, saved 300.
    const result = findCriticalPath(...dag({ "1": 400, "2": 100 }, ["1>2"]), { whatIfFactor: 4, whatIfTop: 1, overlapObserved: true });
    expect(result.path.overlapObserved).toBe(true);
    expect(result.path.whatIf).toEqual([{ nodeId: "1", factor: 4, lengthMs: 200, savedMs: 300, nodeIds: ["1", "2"] }]);
    expect(findCriticalPath(...dag({ "1": 400 }), { whatIfTop: 0 }).path.whatIf).toEqual([]);
  });

  it("gives an empty path, no slack and nulls for an empty graph", () => {
    const result = findCriticalPath(new DirectedGraph(), () => 1);
    expect(result.path).toEqual({ nodeIds: [], lengthMs: 0, workMs: 0, speedup: null, parallelizability: null, band: null, overlapObserved: false, observedConcurrency: null, remainingSpeedup: null, whatIf: [] });
    expect(result.slackMs.size).toBe(0);
  });

  it("analyses a prompt with a link to a missing node and one with a cycle, once the graph is built", () => {
    const w = (id: string) => Number(id) * 100;
    // 2's link to 99 is ignored: 1 (100) → 2 (200) = 300.
    const missing = buildWorkflowGraph({ "1": { class_type: "T", inputs: {} }, "2": { class_type: "T", inputs: { a: ["1", 0], b: ["99", 0] } } });
    expect(findCriticalPath(missing.graph, w).path).toMatchObject({ nodeIds: ["1", "2"], lengthMs: 300 });
    // 1 → 2 → 3 → 1: the edge 3 → 1 is dropped, leaving 100 + 200 + 300 = 600.
    const cyclic = buildWorkflowGraph({
      "1": { class_type: "T", inputs: { x: ["3", 0] } }, "2": { class_type: "T", inputs: { x: ["1", 0] } }, "3": { class_type: "T", inputs: { x: ["2", 0] } },
    });
    expect(findCriticalPath(cyclic.graph, w).path).toMatchObject({ nodeIds: ["1", "2", "3"], lengthMs: 600 });
  });

  it("refuses a graph that still has a cycle, a negative weight and a bad factor", () => {
    expect(() => findCriticalPath(...dag({ "1": 1, "2": 1 }, ["1>2", "2>1"]))).toThrow(/acyclic/);
    expect(() => findCriticalPath(...dag({ "1": -1 }))).toThrow(RangeError);
    expect(() => findCriticalPath(...dag({ "1": 1 }), { whatIfFactor: 0 })).toThrow(RangeError);
  });

  it("puts both band boundaries, exactly 30 % and 70 %, in moderate", () => {
    expect([0.2999, 0.3, 0.5, 0.7, 0.7001].map(classifyParallelizability)).toEqual(["low", "moderate", "moderate", "moderate", "high"]);
    // CP 7 of Σ 10: (10 − 7)/10 = 0.3. CP 3 of Σ 3 + 3 + 3 + 1 = 10: (10 − 3)/10 = 0.7.
    expect(findCriticalPath(...dag({ "1": 7, "2": 3 })).path).toMatchObject({ parallelizability: 0.3, band: "moderate" });
    expect(findCriticalPath(...dag({ "1": 3, "2": 3, "3": 3, "4": 1 })).path).toMatchObject({ parallelizability: 0.7, band: "moderate" });
  });

  it("agrees with a brute-force search over every path on 300 small random DAGs", () => {
    const rand = prng(20240611);
    for (let round = 0; round < 300; round++) {
      // Weights 0..4 make ties and zero ends common, so the tie and trim rules are exercised.
      const { weights, edges } = randomDag(rand, 1 + Math.floor(rand() * 8), rand() * 0.6, 4);
      const [graph, w] = dag(weights, edges);
      const result = findCriticalPath(graph, w, { whatIfTop: 8 });
      const expected = bruteForce(graph, w);
      expect({ length: result.path.lengthMs, nodeIds: result.path.nodeIds, slack: slack(result) }).toEqual(expected);
      for (const whatIf of result.path.whatIf) {
        const changed = bruteForce(graph, (id) => (id === whatIf.nodeId ? w(id) / 2 : w(id)));
        expect([whatIf.lengthMs, whatIf.nodeIds]).toEqual([changed.length, changed.nodeIds]);
      }
    }
  });

  it("handles a 2,000-node random DAG at once and agrees with a plain longest-path recurrence", () => {
    const { order, weights, edges } = randomDag(prng(7), 2000, 3 / 2000, 1000);
    const [graph, w] = dag(weights, edges);
    // Its speed is the benchmark's to measure (npm run bench), not a test's: only the answer is checked here.
    const result = findCriticalPath(graph, w);
    // Longest path ending at each node, in generation order (edges only go forward in `order`).
    const ending = new Map<string, number>();
    for (const id of order) ending.set(id, w(id) + Math.max(0, ...graph.inNeighbors(id).map((p) => ending.get(p)!)));
    expect(result.path.lengthMs).toBe(Math.max(...ending.values()));
    const ids = result.path.nodeIds;
    expect(ids.reduce((s, id) => s + w(id), 0)).toBe(result.path.lengthMs);
    for (let i = 1; i < ids.length; i++) expect(graph.hasEdge(ids[i - 1]!, ids[i]!)).toBe(true);
    expect([...result.slackMs.values()].every((s) => s >= 0)).toBe(true);
    expect(result.path.whatIf).toHaveLength(3);
  });
});
