// The editor's workflow file (what "Save" writes), as far as conversion needs
// it. Frontend 1.43 writes links as arrays at the top level and as objects
// inside subgraph definitions; both are read into one shape here.

/** One node as the editor saves it. */
export interface EditorNode {
  id: number | string;
  type: string;
  title?: string;
  /** 0 always, 2 never (muted), 4 bypass. */
  mode?: number;
  inputs?: EditorSlot[];
  outputs?: EditorSlot[];
  /** Widget values in widget order (extra values such as control_after_generate included); some packs save an object by name. */
  widgets_values?: unknown[] | Record<string, unknown>;
  /** Group node definitions' inner nodes carry their position in the group. */
  index?: number;
  properties?: Record<string, unknown>;
}

export interface EditorSlot {
  name: string;
  type?: string | number;
  /** Input: the link id feeding it, or null. */
  link?: number | null;
  /** Output: the link ids leaving it. */
  links?: number[] | null;
  /** Present on an input that is (or can be) a widget. */
  widget?: { name: string };
}

export interface EditorLink {
  id: number;
  originId: number | string;
  originSlot: number;
  targetId: number | string;
  targetSlot: number;
  type: string | number;
}

export interface SubgraphDefinition {
  id: string;
  name?: string;
  nodes: EditorNode[];
  links: EditorLink[];
  inputs: EditorSlot[];
  outputs: EditorSlot[];
}

export interface GroupNodeDefinition {
  nodes: EditorNode[];
  /** [origin index | null (outside), origin slot, target index, target slot, origin id, type]. */
  links: unknown[][];
  /** [node index, output slot, type]: inner outputs used outside although also linked inside. */
  external?: unknown[][];
}

/** The whole file, read. */
export interface EditorWorkflow {
  nodes: EditorNode[];
  links: EditorLink[];
  subgraphs: Map<string, SubgraphDefinition>;
  groupNodes: Map<string, GroupNodeDefinition>;
}

/** Ids of the subgraph's boundary nodes in its links (litegraph's SUBGRAPH_INPUT_ID / SUBGRAPH_OUTPUT_ID). */
export const SUBGRAPH_INPUT_ID = -10;
export const SUBGRAPH_OUTPUT_ID = -20;

/** Group nodes are typed "workflow>Name" (older frontends: "workflow/Name"). */
export const GROUP_NODE_PREFIX = /^workflow[>/]/;

export function isEditorWorkflow(data: unknown): boolean {
  const obj = data as { nodes?: unknown; links?: unknown } | null;
  return obj !== null && typeof obj === "object" && Array.isArray(obj.nodes) && Array.isArray(obj.links);
}

/** Reads an editor file's JSON; `isEditorWorkflow(data)` must hold. */
export function readEditorWorkflow(data: unknown): EditorWorkflow {
  const obj = data as { nodes: EditorNode[]; links: unknown[]; definitions?: { subgraphs?: unknown[] }; extra?: { groupNodes?: Record<string, GroupNodeDefinition> } };
  const subgraphs = new Map<string, SubgraphDefinition>();
  for (const raw of obj.definitions?.subgraphs ?? []) {
    const sg = raw as { id: string; name?: string; nodes?: EditorNode[]; links?: unknown[]; inputs?: EditorSlot[]; outputs?: EditorSlot[] };
    subgraphs.set(sg.id, { id: sg.id, name: sg.name, nodes: sg.nodes ?? [], links: readLinks(sg.links ?? []), inputs: sg.inputs ?? [], outputs: sg.outputs ?? [] });
  }
  return {
    nodes: obj.nodes,
    links: readLinks(obj.links),
    subgraphs,
    groupNodes: new Map(Object.entries(obj.extra?.groupNodes ?? {})),
  };
}

function readLinks(raw: unknown[]): EditorLink[] {
  const links: EditorLink[] = [];
  for (const l of raw) {
    if (Array.isArray(l)) {
      links.push({ id: l[0], originId: l[1], originSlot: l[2], targetId: l[3], targetSlot: l[4], type: l[5] });
    } else if (l && typeof l === "object") {
      const o = l as { id: number; origin_id: number; origin_slot: number; target_id: number; target_slot: number; type: string };
      links.push({ id: o.id, originId: o.origin_id, originSlot: o.origin_slot, targetId: o.target_id, targetSlot: o.target_slot, type: o.type });
    }
  }
  return links;
}
