// Where a node's input really comes from, following links the way the
// frontend's ExecutableNodeDTO.resolveInput/resolveOutput do (frontend
// 1.43.18): through Reroute nodes (same slot), bypassed nodes (an input of
// the output's type), out of a subgraph through its instance, into a subgraph
// instance to the inner node that feeds its output, and into group nodes.

import { SUBGRAPH_INPUT_ID, SUBGRAPH_OUTPUT_ID } from "./editor-format.js";
import type { ExecNode } from "./exec-nodes.js";

export const MODE_MUTED = 2;
export const MODE_BYPASSED = 4;

/** Nodes that exist only in the editor: never sent to the server. */
export const VIRTUAL_NODE_TYPES = new Set(["Reroute", "PrimitiveNode", "Note", "MarkdownNote"]);

export interface LinkSource {
  /** Execution id of the node whose output feeds the input. */
  originId: string;
  originSlot: number;
}

export class LinkResolver {
  constructor(private readonly byId: ReadonlyMap<string, ExecNode>) {}

  /** The output feeding input `slot` of `exec`, or undefined when nothing real feeds it. */
  resolveInput(exec: ExecNode, slot: number, visited = new Set<string>()): LinkSource | undefined {
    const key = `${exec.id}[I]${slot}`;
    if (visited.has(key)) return undefined;
    visited.add(key);
    if (exec.inGroup) return this.resolveGroupInner(exec, slot, visited);
    const input = exec.node.inputs?.[slot];
    if (input?.link === null || input?.link === undefined) return undefined;
    const link = exec.scope.links.get(input.link);
    if (!link) return undefined;
    if (exec.instance && Number(link.originId) === SUBGRAPH_INPUT_ID) {
      // Out through the instance. Nothing linked there: the inner widget keeps its value (1.43 saves a promoted widget's value on the inner node).
      return this.resolveInput(exec.instance, link.originSlot, visited);
    }
    const origin = this.byId.get([...exec.path, String(link.originId)].join(":"));
    return origin ? this.resolveOutput(origin, link.originSlot, input.type, visited) : undefined;
  }

  private resolveOutput(exec: ExecNode, slot: number, type: string | number | undefined, visited: Set<string>): LinkSource | undefined {
    const key = `${exec.id}[O]${slot}`;
    if (visited.has(key)) return undefined;
    visited.add(key);
    if (exec.node.mode === MODE_BYPASSED) return this.resolveInput(exec, bypassSlot(exec, slot, type), visited);
    if (exec.subgraph) {
      const link = exec.subgraph.definition.links.find((l) => Number(l.targetId) === SUBGRAPH_OUTPUT_ID && l.targetSlot === slot);
      if (!link) return undefined;
      if (Number(link.originId) === SUBGRAPH_INPUT_ID) return this.resolveInput(exec, link.originSlot, visited);
      const inner = this.byId.get(`${exec.id}:${link.originId}`);
      return inner ? this.resolveOutput(inner, link.originSlot, type, visited) : undefined;
    }
    if (exec.group) {
      const inner = groupOutputs(exec)[slot];
      const innerExec = inner && this.byId.get(`${exec.id}:${inner.index}`);
      return innerExec ? this.resolveOutput(innerExec, inner.slot, type, visited) : undefined;
    }
    if (VIRTUAL_NODE_TYPES.has(exec.node.type)) {
      return exec.node.inputs?.[slot] ? this.resolveInput(exec, slot, visited) : undefined;
    }
    return { originId: exec.id, originSlot: slot };
  }

  /** A node inside a group node: linked inside the group, or through the group node's own input. */
  private resolveGroupInner(exec: ExecNode, slot: number, visited: Set<string>): LinkSource | undefined {
    const { groupNode, index } = exec.inGroup!;
    const inside = groupNode.group!.definition.links.find((l) => l[0] !== null && l[2] === index && l[3] === slot);
    if (inside) {
      const origin = this.byId.get(`${groupNode.id}:${inside[0]}`);
      return origin ? this.resolveOutput(origin, Number(inside[1]), exec.node.inputs?.[slot]?.type, visited) : undefined;
    }
    const outer = groupInputs(groupNode).findIndex((i) => i.index === index && i.slot === slot);
    return outer < 0 ? undefined : this.resolveInput(groupNode, outer, visited);
  }
}

/**
 * The input a bypassed node passes on for output `slot`: the same slot when its type fits,
 * else the first input of exactly the type asked for. When there is none the frontend's
 * findIndex gives -1, which `inputs.at(-1)` reads as the last input; kept, to convert alike.
 */
function bypassSlot(exec: ExecNode, slot: number, type: string | number | undefined): number {
  const inputs = exec.node.inputs ?? [];
  if (type === "*" || type === "" || type === undefined) return inputs.length > slot ? slot : 0;
  const outputType = exec.node.outputs?.[slot]?.type;
  const same = inputs[slot];
  if (same && isValidConnection(same.type, outputType) && isValidConnection(same.type, type)) return slot;
  const exact = inputs.findIndex((i) => i.type === type);
  return exact >= 0 ? exact : inputs.length - 1;
}

/** LiteGraph's type check: "*" or empty matches anything; "A,B" matches either. */
export function isValidConnection(a: string | number | undefined, b: string | number | undefined): boolean {
  const norm = (t: string | number | undefined) => (t === "" || t === "*" || t === undefined ? 0 : t);
  const x = norm(a);
  const y = norm(b);
  if (!x || !y || x === y) return true;
  const xs = String(x).toLowerCase().split(",");
  const ys = String(y).toLowerCase().split(",");
  return xs.some((t) => ys.includes(t));
}

interface GroupSlot {
  index: number;
  slot: number;
}

/** A group node's inputs, in order: each inner node's inputs not linked inside the group. */
export function groupInputs(groupNode: ExecNode): GroupSlot[] {
  const def = groupNode.group!.definition;
  const slots: GroupSlot[] = [];
  def.nodes.forEach((node, position) => {
    const index = node.index ?? position;
    (node.inputs ?? []).forEach((_, slot) => {
      if (!def.links.some((l) => l[0] !== null && l[2] === index && l[3] === slot)) slots.push({ index, slot });
    });
  });
  return slots;
}

/** A group node's outputs, in order: each inner output not linked inside, or also used outside ("external"). */
function groupOutputs(groupNode: ExecNode): GroupSlot[] {
  const def = groupNode.group!.definition;
  const slots: GroupSlot[] = [];
  def.nodes.forEach((node, position) => {
    const index = node.index ?? position;
    (node.outputs ?? []).forEach((_, slot) => {
      const inside = def.links.some((l) => l[0] === index && l[1] === slot);
      const external = (def.external ?? []).some((e) => e[0] === index && e[1] === slot);
      if (!inside || external) slots.push({ index, slot });
    });
  });
  return slots;
}
