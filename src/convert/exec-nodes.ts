// The editor graph flattened the way the frontend flattens it before
// converting: every node of the root graph, of each subgraph instance
// (recursively) and of each group node gets an execution id, the path of
// instance ids and its own id joined by ":" ("12:10:3").

import { GROUP_NODE_PREFIX, type EditorLink, type EditorNode, type EditorWorkflow, type GroupNodeDefinition, type SubgraphDefinition } from "./editor-format.js";

/** The nodes and links of one graph: the root, or one subgraph definition. */
export interface GraphScope {
  nodes: Map<string, EditorNode>;
  links: Map<number, EditorLink>;
}

export interface ExecNode {
  /** Execution id: instance path and node id joined by ":". */
  id: string;
  node: EditorNode;
  scope: GraphScope;
  /** Ids of the subgraph instances (or the group node) from the root to this node's graph. */
  path: string[];
  /** The subgraph instance this node is inside; null at the root. */
  instance: ExecNode | null;
  /** For a subgraph instance: its definition and the scope of its inner nodes. */
  subgraph: { definition: SubgraphDefinition; scope: GraphScope } | null;
  /** For a group node: its definition; for a node inside one: the group node and the node's index in it. */
  group: { definition: GroupNodeDefinition } | null;
  inGroup: { groupNode: ExecNode; index: number } | null;
}

export function scopeOf(nodes: EditorNode[], links: EditorLink[]): GraphScope {
  return { nodes: new Map(nodes.map((n) => [String(n.id), n])), links: new Map(links.map((l) => [l.id, l])) };
}

/** Every node, flattened, by execution id; subgraph instances and group nodes are kept beside their inner nodes. */
export function flattenWorkflow(wf: EditorWorkflow): Map<string, ExecNode> {
  const byId = new Map<string, ExecNode>();
  const scopes = new Map<string, GraphScope>();
  const scopeFor = (def: SubgraphDefinition) => {
    let scope = scopes.get(def.id);
    if (!scope) scopes.set(def.id, (scope = scopeOf(def.nodes, def.links)));
    return scope;
  };
  const visit = (node: EditorNode, scope: GraphScope, path: string[], instance: ExecNode | null, seen: string[]) => {
    const id = [...path, String(node.id)].join(":");
    const definition = wf.subgraphs.get(node.type);
    const groupName = GROUP_NODE_PREFIX.test(node.type) ? node.type.replace(GROUP_NODE_PREFIX, "") : null;
    const groupDef = groupName === null ? undefined : wf.groupNodes.get(groupName);
    const exec: ExecNode = {
      id, node, scope, path, instance,
      subgraph: definition ? { definition, scope: scopeFor(definition) } : null,
      group: groupDef ? { definition: groupDef } : null,
      inGroup: null,
    };
    byId.set(id, exec);
    // A definition that contains itself would never end; the frontend refuses it too.
    if (definition && !seen.includes(definition.id)) {
      for (const inner of definition.nodes) visit(inner, exec.subgraph!.scope, [...path, String(node.id)], exec, [...seen, definition.id]);
    }
    if (groupDef) {
      groupDef.nodes.forEach((inner, position) => {
        const index = inner.index ?? position;
        const innerId = `${id}:${index}`;
        byId.set(innerId, { id: innerId, node: inner, scope, path: [...path, String(node.id)], instance, subgraph: null, group: null, inGroup: { groupNode: exec, index } });
      });
    }
  };
  const root = scopeOf(wf.nodes, wf.links);
  for (const node of wf.nodes) visit(node, root, [], null, []);
  return byId;
}
