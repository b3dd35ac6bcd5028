// The sentences of the conversion layer: what went wrong with a node, and what to do.

export function unknownClass(type: string): string {
  if (/^workflow[>/]/.test(type)) {
    return `group node "${type}" has no definition in the file's extra.groupNodes: open the workflow in the ComfyUI editor, ungroup it, and save again (or export with Workflow → Export (API))`;
  }
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/.test(type)) {
    return `subgraph "${type}" has no definition in the file's definitions.subgraphs: save the workflow again from the ComfyUI editor, or export it with Workflow → Export (API)`;
  }
  return `the server does not know the node class "${type}": install the node pack that provides it (ComfyUI-Manager: "Install Missing Custom Nodes") and restart ComfyUI, or remove the node`;
}

export function noWorkflowInImage(sourceName: string, container: "png" | "webp"): string {
  return `${sourceName}: this ${container === "png" ? "PNG" : "WebP"} holds no ComfyUI workflow (no "prompt" or "workflow" metadata): use an image saved by ComfyUI's Save Image node (the server must not run with --disable-metadata), or the workflow file itself`;
}

/** One line per node that could not be converted. */
export function unconvertedNodes(sourceName: string, nodes: readonly { nodeId: string; type: string; title: string | null; message: string }[]): string {
  const lines = nodes.map((n) => `  node ${n.nodeId} (${n.type}${n.title ? `, "${n.title}"` : ""}): ${n.message}`);
  return [`${sourceName}: ${nodes.length} node(s) could not be converted to API format:`, ...lines].join("\n");
}
