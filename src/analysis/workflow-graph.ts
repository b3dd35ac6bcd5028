// The workflow DAG: which prompt node needs which, read from an API prompt
// (docs/metrics.md "Graph"). Nodes are the prompt's node ids; an edge
// source → target says target has an input linked to one of source's outputs.
// Pure: the prompt in, a graph and diagnostics out.

import { DirectedGraph } from "graphology";
import { hasCycle } from "graphology-dag";
import type { DiagnosticCode } from "../model/diagnostic.js";
import type { ApiWorkflow } from "../model/events.js";
import { compareNodeIds } from "../model/node-ids.js";

export interface GraphDiagnostic {
  code: Extract<DiagnosticCode, "workflow-link-missing-source" | "workflow-cycle-edge-dropped">;
  nodeId: string;
  message: string;
}

export interface WorkflowGraph {
  /** One node per prompt node id, one edge per dependency (never two between a pair), acyclic. */
  graph: DirectedGraph;
  /** The graph's edges as [source, target], sorted by source then target (compareNodeIds). */
  edges: [string, string][];
  /** One per ignored link or dropped edge (the run's profile keeps them, with its file and prompt). */
  diagnostics: GraphDiagnostic[];
}

/** The sentences this module says; tests match against these, not pasted text. */
export const workflowGraphMessages = {
  missingSource: (nodeId: string, input: string, sourceId: string): string =>
    `node ${nodeId} input "${input}": links to node ${sourceId}, which is not in the prompt; link ignored`,
  cycleEdgeDropped: (sourceId: string, targetId: string): string =>
    `dependency ${sourceId} → ${targetId} closes a cycle (a valid prompt has none); edge dropped to analyse the rest`,
};

/** ComfyUI's own test (execution.py `is_link`): a two-element list, a string id and an integer output index. */
function linkSource(value: unknown): string | null {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && Number.isInteger(value[1])
    ? value[0]
    : null;
}

/**
 * Graphs made, by the prompt's nodes and links (what buildWorkflowGraph reads): every run of a
 * workflow has the same ones, and building the graph was ~0.2 ms of each run. Shared between
 * runs, so read only; bounded (cleared when full). Only a cache: the answer is the same without it.
 */
const built = new Map<string, WorkflowGraph>();
const BUILT_MAX = 256;

/** buildWorkflowGraph, shared with earlier runs of the same nodes and links: the analysis only reads it. */
export function workflowGraphOf(prompt: ApiWorkflow): WorkflowGraph {
  const key = graphKey(prompt);
  const hit = built.get(key);
  if (hit !== undefined) return hit;
  const graph = buildWorkflowGraph(prompt);
  if (built.size >= BUILT_MAX) built.clear();
  built.set(key, graph);
  return graph;
}

/** Everything buildWorkflowGraph reads, in the order it reads it: per node, its id then each link's input and source. */
function graphKey(prompt: ApiWorkflow): string {
  const nodes: string[][] = [];
  for (const id of Object.keys(prompt)) {
    const node = [id];
    const inputs: unknown = prompt[id]?.inputs;
    if (typeof inputs === "object" && inputs !== null) {
      for (const [input, value] of Object.entries(inputs)) {
        const source = linkSource(value);
        if (source !== null) node.push(input, source);
      }
    }
    nodes.push(node);
  }
  return JSON.stringify(nodes);
}

export function buildWorkflowGraph(prompt: ApiWorkflow): WorkflowGraph {
  const graph = new DirectedGraph();
  const diagnostics: GraphDiagnostic[] = [];
  const ids = Object.keys(prompt).sort(compareNodeIds);
  for (const id of ids) graph.addNode(id);

  for (const id of ids) {
    const inputs: unknown = prompt[id]?.inputs;
    if (typeof inputs !== "object" || inputs === null) continue;
    for (const [input, value] of Object.entries(inputs)) {
      const source = linkSource(value);
      if (source === null) continue;
      if (!graph.hasNode(source)) {
        diagnostics.push({ code: "workflow-link-missing-source", nodeId: id, message: workflowGraphMessages.missingSource(id, input, source) });
        continue;
      }
      // Several inputs fed by one node (or one output twice) are one dependency.
      graph.mergeEdge(source, id);
    }
  }

  if (hasCycle(graph)) {
    for (const [source, target] of backEdges(graph, ids)) {
      graph.dropEdge(source, target);
      diagnostics.push({ code: "workflow-cycle-edge-dropped", nodeId: target, message: workflowGraphMessages.cycleEdgeDropped(source, target) });
    }
  }

  const edges = graph.mapEdges((_edge, _attrs, source, target): [string, string] => [source, target]);
  edges.sort((x, y) => compareNodeIds(x[0], y[0]) || compareNodeIds(x[1], y[1]));
  return { graph, edges, diagnostics };
}

/**
 * The back edges of a depth-first search that starts from nodes in natural id
 * order and follows out-edges in natural order. Removing every back edge of a
 * DFS leaves a DAG, and the fixed visiting order makes the choice of dropped
 * edges the same on every run. Iterative, so a long chain can't overflow the stack.
 */
function backEdges(graph: DirectedGraph, ids: string[]): [string, string][] {
  const state = new Map<string, "open" | "done">();
  const found: [string, string][] = [];
  for (const root of ids) {
    if (state.has(root)) continue;
    const stack: { id: string; next: string[]; at: number }[] = [];
    const enter = (id: string): void => {
      state.set(id, "open");
      stack.push({ id, next: graph.outNeighbors(id).sort(compareNodeIds), at: 0 });
    };
    enter(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const neighbour = top.next[top.at++];
      if (neighbour === undefined) {
        state.set(top.id, "done");
        stack.pop();
      } else if (state.get(neighbour) === "open") {
        found.push([top.id, neighbour]);
      } else if (!state.has(neighbour)) {
        enter(neighbour);
      }
    }
  }
  return found;
}
