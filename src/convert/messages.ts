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
