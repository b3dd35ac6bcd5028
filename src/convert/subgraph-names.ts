// The names a person gave the subgraph instances of an editor workflow, by the
// id path the flattened prompt uses ("11", "11:10"): the instance's title, else
// its subgraph's name. Reports show a node inside as "Stage one › Soften › ImageBlur".

interface EditorNode {
  id: number | string;
  type: string;
  title?: string;
}

interface SubgraphDefinition {
  id: string;
  name?: string;
  nodes?: EditorNode[];
}

export function subgraphInstanceNames(editor: unknown): Map<string, string> {
  const names = new Map<string, string>();
  if (!isObject(editor)) return names;
  const definitions = new Map<string, SubgraphDefinition>();
  const defs = isObject(editor.definitions) && Array.isArray(editor.definitions.subgraphs) ? editor.definitions.subgraphs : [];
  for (const d of defs) if (isObject(d) && typeof d.id === "string") definitions.set(d.id, d as unknown as SubgraphDefinition);
  const walk = (nodes: unknown, prefix: string, depth: number) => {
    if (!Array.isArray(nodes) || depth > 32) return; // a definition that contains itself: stop
    for (const n of nodes) {
      if (!isObject(n) || typeof n.type !== "string" || (typeof n.id !== "number" && typeof n.id !== "string")) continue;
      const def = definitions.get(n.type);
      if (!def) continue;
      const path = `${prefix}${n.id}`;
      names.set(path, typeof n.title === "string" && n.title !== "" ? n.title : (def.name ?? def.id));
      walk(def.nodes, `${path}:`, depth + 1);
    }
  };
  walk(editor.nodes, "", 0);
  return names;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
