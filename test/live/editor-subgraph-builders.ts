// Editor workflows with subgraphs (definitions.subgraphs) and a legacy group
// node, built in the real editor (see editor-workflow-builders.ts).

/* eslint-disable @typescript-eslint/no-explicit-any */
import type { EditorBuilder } from "./editor-workflow-builders.js";

/**
 * A subgraph inside a subgraph, the outer one used twice: the first instance's
 * width comes from a stock Int node outside, the second keeps its own widget
 * value. Inside: a bypassed node, a muted one and a note.
 */
const subgraphs: EditorBuilder = async (app, LG) => {
  const g = app.graph;
  const add = (graph: any, type: string, x: number, y: number, mode = 0) => {
    const n = LG.createNode(type);
    n.pos = [x, y];
    n.mode = mode;
    graph.add(n);
    return n;
  };
  const image = add(g, "EmptyImage", 0, 0);
  image.widgets.find((w: any) => w.name === "width").value = 72;
  const invert = add(g, "ImageInvert", 300, 0);
  const blur = add(g, "ImageBlur", 500, 0);
  const skipped = add(g, "ImageInvert", 700, 0, 4);
  const scale = add(g, "ImageScale", 900, 0);
  const width = add(g, "PrimitiveInt", 600, 300);
  width.widgets.find((w: any) => w.name === "value").value = 40;
  const muted = add(g, "ImageInvert", 900, 300, 2);
  const note = add(g, "Note", 500, 300);
  note.widgets[0].value = "inside a subgraph";
  image.connect(0, invert, 0);
  invert.connect(0, blur, 0);
  blur.connect(0, skipped, 0);
  skipped.connect(0, scale, 0);
  blur.connect(0, muted, 0);
  width.connect(0, scale, scale.findInputSlot("width"));
  const preview = add(g, "PreviewImage", 1200, 0);
  scale.connect(0, preview, 0);
  const inner = g.convertToSubgraph(new Set([blur, skipped, muted, note]));
  inner.subgraph.name = "Soften";
  const outer = g.convertToSubgraph(new Set([invert, inner.node, scale]));
  outer.subgraph.name = "Sampler stage";
  outer.node.title = "Stage one";
  const second = LG.createNode(outer.subgraph.id);
  second.pos = [300, 500];
  second.title = "Stage two";
  g.add(second);
  image.connect(0, second, 0);
  const save = add(g, "SaveImage", 1200, 500);
  second.connect(0, save, 0);
  const slot = second.inputs.findIndex((i: any) => i.name === "width");
  const promoted = second.widgets?.find((w: any) => w.name === "width");
  if (slot >= 0 && promoted) promoted.value = 24;
};

/** A legacy group node ("workflow>…", its definition in extra.groupNodes), made with the editor's command. */
const groupNode: EditorBuilder = async (app, LG) => {
  const g = app.graph;
  const add = (type: string, x: number, y: number) => {
    const n = LG.createNode(type);
    n.pos = [x, y];
    g.add(n);
    return n;
  };
  const image = add("EmptyImage", 0, 0);
  const invert = add("ImageInvert", 300, 0);
  const blur = add("ImageBlur", 500, 0);
  blur.widgets.find((w: any) => w.name === "blur_radius").value = 3;
  const preview = add("PreviewImage", 800, 0);
  image.connect(0, invert, 0);
  invert.connect(0, blur, 0);
  blur.connect(0, preview, 0);
  app.canvas.deselectAll();
  app.canvas.select(invert);
  app.canvas.select(blur);
  // The command asks for the name in a dialog: GROUP_NODE_NAMES answers it from outside the page.
  (globalThis as any).pendingCommand = app.extensionManager.command.execute("Comfy.GroupNode.ConvertSelectedNodesToGroupNode");
};

/** Subgraph instances that are muted and bypassed, beside one that runs. */
const subgraphModes: EditorBuilder = async (app, LG) => {
  const g = app.graph;
  const add = (type: string, x: number, y: number) => {
    const n = LG.createNode(type);
    n.pos = [x, y];
    g.add(n);
    return n;
  };
  const image = add("EmptyImage", 0, 0);
  const invert = add("ImageInvert", 300, 0);
  const blur = add("ImageBlur", 500, 0);
  image.connect(0, invert, 0);
  invert.connect(0, blur, 0);
  const first = add("PreviewImage", 800, 0);
  blur.connect(0, first, 0);
  const stage = g.convertToSubgraph(new Set([invert, blur]));
  stage.subgraph.name = "Stage";
  const instances = [2, 4].map((mode, i) => {
    const node = LG.createNode(stage.subgraph.id);
    node.pos = [300, 300 * (i + 1)];
    node.mode = mode;
    g.add(node);
    image.connect(0, node, 0);
    const preview = add("PreviewImage", 800, 300 * (i + 1));
    node.connect(0, preview, 0);
    return node;
  });
  instances[0].title = "Muted stage";
  instances[1].title = "Bypassed stage";
};

/** The name typed into the editor's dialog, for the builders whose command asks for one. */
export const GROUP_NODE_NAMES: Record<string, string> = { "group-node": "Invert and blur" };

export const EDITOR_SUBGRAPH_BUILDERS: Record<string, EditorBuilder> = {
  subgraphs,
  "subgraph-modes": subgraphModes,
  "group-node": groupNode,
};
