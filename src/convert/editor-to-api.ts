// Editor workflow → API prompt, as the frontend's graphToPrompt makes it
// (frontend 1.43.18, checked against it on samples/workflows/editor/):
// flatten subgraphs and group nodes, skip editor-only, muted and bypassed
// nodes, map widget values to inputs through /object_info, let primitive
// nodes set the widgets they feed, resolve links, and drop links to nodes
// that are not sent.

import type { ApiNode, ApiWorkflow } from "../model/events.js";
import { readEditorWorkflow, type EditorNode } from "./editor-format.js";
import { flattenWorkflow, type ExecNode } from "./exec-nodes.js";
import { LinkResolver, MODE_BYPASSED, MODE_MUTED, VIRTUAL_NODE_TYPES } from "./resolve-links.js";
import { boxed, widgetInputs, type NodeClassInfo, type ObjectInfo } from "./widget-slots.js";
import * as say from "./messages.js";

/** A node that could not be converted, and what to do about it. */
export interface UnconvertedNode {
  /** Execution id ("12:10:3" inside subgraphs). */
  nodeId: string;
  type: string;
  title: string | null;
  message: string;
}

export interface Conversion {
  prompt: ApiWorkflow;
  /** Empty when every node was converted; otherwise the prompt should not be submitted. */
  unconverted: UnconvertedNode[];
  /** Node classes whose /object_info the conversion used. */
  classesUsed: string[];
}

/** Converts an editor file's JSON (`isEditorWorkflow(data)` holds) with the server's /object_info. */
export function convertEditorWorkflow(data: unknown, objectInfo: ObjectInfo): Conversion {
  const byId = flattenWorkflow(readEditorWorkflow(data));
  const resolver = new LinkResolver(byId);
  const prompt: ApiWorkflow = {};
  const unconverted: UnconvertedNode[] = [];
  const classesUsed = new Set<string>();
  for (const exec of byId.values()) {
    const { node } = exec;
    if (exec.subgraph || exec.group || VIRTUAL_NODE_TYPES.has(node.type)) continue;
    if (!runs(exec)) continue;
    const info = objectInfo[node.type];
    if (!info) {
      unconverted.push({ nodeId: exec.id, type: node.type, title: node.title ?? null, message: say.unknownClass(node.type) });
      continue;
    }
    classesUsed.add(node.type);
    prompt[exec.id] = convertNode(exec, info, byId, resolver);
  }
  dropLinksToUnsentNodes(prompt);
  return { prompt, unconverted, classesUsed: [...classesUsed].sort() };
}

/** Muted and bypassed nodes are not sent, nor is anything inside a muted or bypassed subgraph instance or group node. */
function runs(exec: ExecNode): boolean {
  for (let e: ExecNode | null = exec; e !== null; e = e.inGroup?.groupNode ?? e.instance) {
    if (e.node.mode === MODE_MUTED || e.node.mode === MODE_BYPASSED) return false;
  }
  return true;
}

/** Node classes an editor workflow names, for asking the server's /object_info about just those. */
export function editorNodeClasses(data: unknown): string[] {
  const byId = flattenWorkflow(readEditorWorkflow(data));
  const classes = new Set<string>();
  for (const exec of byId.values()) {
    if (!exec.subgraph && !exec.group && !VIRTUAL_NODE_TYPES.has(exec.node.type)) classes.add(exec.node.type);
  }
  return [...classes].sort();
}

function convertNode(exec: ExecNode, info: NodeClassInfo, byId: ReadonlyMap<string, ExecNode>, resolver: LinkResolver): ApiNode {
  const { node } = exec;
  const inputs = widgetInputs(info, widgetValuesOf(exec, byId));
  (node.inputs ?? []).forEach((input, slot) => {
    const primitive = feedingPrimitive(exec, slot);
    if (primitive) inputs[input.widget?.name ?? input.name] = boxed(primitiveValue(primitive));
    const source = resolver.resolveInput(exec, slot);
    if (source) inputs[input.name] = [source.originId, source.originSlot];
  });
  return { inputs, class_type: node.type, _meta: { title: node.title ?? info.display_name ?? node.type } };
}

/**
 * A node inside a group node takes its widget values from the group node's,
 * which hold every inner widget in inner-node order; the inner node's own
 * values are used when the counts do not match.
 */
function widgetValuesOf(exec: ExecNode, byId: ReadonlyMap<string, ExecNode>): EditorNode["widgets_values"] {
  if (!exec.inGroup) return exec.node.widgets_values;
  const group = exec.inGroup.groupNode;
  const outer = group.node.widgets_values;
  if (!Array.isArray(outer)) return exec.node.widgets_values;
  let offset = 0;
  let total = 0;
  let own = 0;
  group.group!.definition.nodes.forEach((inner, position) => {
    const innerExec = byId.get(`${group.id}:${inner.index ?? position}`);
    const count = Array.isArray(inner.widgets_values) ? inner.widgets_values.length : 0;
    if (innerExec === exec) {
      offset = total;
      own = count;
    }
    total += count;
  });
  return total === outer.length ? outer.slice(offset, offset + own) : exec.node.widgets_values;
}

/** The PrimitiveNode linked straight to this input (the editor copies its value into the widget it feeds). */
function feedingPrimitive(exec: ExecNode, slot: number): EditorNode | null {
  const linkId = exec.inGroup ? null : exec.node.inputs?.[slot]?.link;
  if (linkId === null || linkId === undefined) return null;
  const link = exec.scope.links.get(linkId);
  const origin = link ? exec.scope.nodes.get(String(link.originId)) : undefined;
  return origin?.type === "PrimitiveNode" ? origin : null;
}

function primitiveValue(primitive: EditorNode): unknown {
  const values = primitive.widgets_values;
  return Array.isArray(values) ? values[0] : undefined;
}

/** An input linked to a node that is not sent (muted, or never converted) is left out, as the editor does. */
function dropLinksToUnsentNodes(prompt: ApiWorkflow): void {
  for (const node of Object.values(prompt)) {
    for (const [name, value] of Object.entries(node.inputs)) {
      if (Array.isArray(value) && value.length === 2 && !(String(value[0]) in prompt)) delete node.inputs[name];
    }
  }
}

