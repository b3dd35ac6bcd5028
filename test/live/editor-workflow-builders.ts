// How each editor workflow under samples/workflows/editor/ was made: built in
// the real editor through its own `app` and LiteGraph API, then exported with
// `app.graph.serialize()`. Each builder runs inside the page (sent as source),
// so it may use only its arguments.

/* eslint-disable @typescript-eslint/no-explicit-any */
export type EditorBuilder = (app: any, LG: any) => Promise<void>;

/** Widgets converted to inputs and fed by PrimitiveNode (one through a native reroute), a stock Int node, notes. */
const primitives: EditorBuilder = async (app, LG) => {
  const g = app.graph;
  const add = (type: string, x: number, y: number, title?: string) => {
    const n = LG.createNode(type);
    n.pos = [x, y];
    if (title) n.title = title;
    g.add(n);
    return n;
  };
  const widget = (n: any, name: string) => n.widgets.find((w: any) => w.name === name);
  const image = add("EmptyImage", 300, 0, "Canvas");
  const width = add("PrimitiveNode", 0, 0, "Width");
  width.connect(0, image, image.findInputSlot("width"));
  widget(width, "width").value = 96;
  // A PrimitiveNode gets no widget through a Reroute node (frontend 1.43.18), so this link has a native reroute.
  const height = add("PrimitiveNode", 0, 150);
  g.createReroute([150, 150], height.connect(0, image, image.findInputSlot("height")));
  widget(height, "height").value = 80;
  const mask = add("SolidMask", 300, 300);
  const level = add("PrimitiveNode", 0, 300);
  level.connect(0, mask, mask.findInputSlot("value"));
  level.widgets[0].value = 0.25;
  const maskImage = add("MaskToImage", 600, 300);
  mask.connect(0, maskImage, 0);
  const scale = add("ImageScale", 600, 0);
  image.connect(0, scale, 0);
  const method = add("PrimitiveNode", 300, 500);
  method.connect(0, scale, scale.findInputSlot("upscale_method"));
  method.widgets[0].value = "bilinear";
  const intNode = add("PrimitiveInt", 300, 650, "Scaled width");
  widget(intNode, "value").value = 48;
  intNode.connect(0, scale, scale.findInputSlot("width"));
  add("PrimitiveNode", 0, 700, "Unconnected primitive");
  add("PreviewImage", 900, 0).title = "Preview scaled";
  scale.connect(0, g.nodes.at(-1), 0);
  const preview = add("PreviewImage", 900, 300);
  maskImage.connect(0, preview, 0);
  add("Note", 0, 900).widgets[0].value = "a note: skipped";
  add("MarkdownNote", 300, 900).widgets[0].value = "*markdown*: skipped";
};

/** Reroute nodes in a chain and fanning out, and the editor's native reroutes on links. */
const reroutes: EditorBuilder = async (app, LG) => {
  const g = app.graph;
  const add = (type: string, x: number, y: number) => {
    const n = LG.createNode(type);
    n.pos = [x, y];
    g.add(n);
    return n;
  };
  const image = add("EmptyImage", 0, 0);
  image.widgets.find((w: any) => w.name === "width").value = 64;
  const first = add("Reroute", 300, 0);
  const second = add("Reroute", 400, 0);
  image.connect(0, first, 0);
  first.connect(0, second, 0);
  const invert = add("ImageInvert", 600, 0);
  second.connect(0, invert, 0);
  const blur = add("ImageBlur", 600, 200);
  second.connect(0, blur, 0);
  const save = add("SaveImage", 900, 0);
  const link = invert.connect(0, save, 0);
  g.createReroute([750, 50], link);
  const preview = add("PreviewImage", 900, 200);
  const link2 = blur.connect(0, preview, 0);
  const r1 = g.createReroute([700, 250], link2);
  g.createReroute([800, 250], r1);
  const dangling = add("Reroute", 300, 400);
  const alsoPreview = add("PreviewImage", 600, 400);
  dangling.connect(0, alsoPreview, 0);
};

/** Muted nodes (mode 2) dropped with what they fed; bypassed nodes (mode 4) passed through by type. */
const mutedAndBypassed: EditorBuilder = async (app, LG) => {
  const g = app.graph;
  const add = (type: string, x: number, y: number, mode = 0) => {
    const n = LG.createNode(type);
    n.pos = [x, y];
    n.mode = mode;
    g.add(n);
    return n;
  };
  const image = add("EmptyImage", 0, 0);
  const inverted = add("ImageInvert", 300, 0, 4);
  const blurred = add("ImageBlur", 600, 0, 4);
  const preview = add("PreviewImage", 900, 0);
  image.connect(0, inverted, 0);
  inverted.connect(0, blurred, 0);
  blurred.connect(0, preview, 0);
  const muted = add("ImageInvert", 300, 200, 2);
  image.connect(0, muted, 0);
  const afterMuted = add("ImageBlur", 600, 200);
  muted.connect(0, afterMuted, 0);
  add("SaveImage", 900, 200);
  afterMuted.connect(0, g.nodes.at(-1), 0);
  const mask = add("SolidMask", 0, 400, 4);
  const maskImage = add("MaskToImage", 300, 400);
  mask.connect(0, maskImage, 0);
  const sleep = add("ComfyprofSleep", 0, 600);
  const bypassedSleep = add("ComfyprofSleep", 300, 600, 4);
  sleep.connect(0, bypassedSleep, bypassedSleep.findInputSlot("value"));
  const join = add("ComfyprofJoin", 600, 600);
  bypassedSleep.connect(0, join, 0);
  maskImage.connect(0, join, 1);
  const mutedOutput = add("PreviewImage", 900, 400, 2);
  maskImage.connect(0, mutedOutput, 0);
  const scale = add("ImageScale", 300, 800, 4);
  const width = add("PrimitiveInt", 0, 800);
  width.connect(0, scale, scale.findInputSlot("width"));
  image.connect(0, scale, 0);
  add("PreviewImage", 600, 800);
  scale.connect(0, g.nodes.at(-1), 0);
};

/** Every control_after_generate value, on the stock Int node and on PrimitiveNode. */
const seeds: EditorBuilder = async (app, LG) => {
  const g = app.graph;
  const add = (type: string, x: number, y: number) => {
    const n = LG.createNode(type);
    n.pos = [x, y];
    g.add(n);
    return n;
  };
  const controls = ["fixed", "increment", "decrement", "randomize"];
  controls.forEach((control, i) => {
    const int = add("PrimitiveInt", 0, i * 200);
    int.title = `Int ${control}`;
    int.widgets.find((w: any) => w.name === "value").value = 1000 + i;
    // The stock Int node's control widget is the second; its name is not "control_after_generate".
    int.widgets[1].value = control;
    const sleep = add("ComfyprofSleep", 300, i * 200);
    sleep.widgets.find((w: any) => w.name === "seconds").value = 0.01;
    int.connect(0, sleep, sleep.findInputSlot("steps"));
    const prim = add("PrimitiveNode", 0, i * 200 + 100);
    prim.connect(0, sleep, sleep.findInputSlot("seconds"));
    const image = add("EmptyImage", 600, i * 200);
    const seedLike = add("PrimitiveNode", 300, i * 200 + 100);
    seedLike.connect(0, image, image.findInputSlot("color"));
    seedLike.widgets[0].value = 10 * (i + 1);
    seedLike.widgets[1].value = control;
    add("PreviewImage", 900, i * 200);
    image.connect(0, g.nodes.at(-1), 0);
  });
};

/**
 * Widget values that belong to no input, on common stock nodes: LoadImage's upload button,
 * KSampler's seed control (its model and latent left unlinked: converted, never run), a
 * multiline prompt, a boolean.
 */
const widgetExtras: EditorBuilder = async (app, LG) => {
  const g = app.graph;
  const add = (type: string, x: number, y: number) => {
    const n = LG.createNode(type);
    n.pos = [x, y];
    g.add(n);
    return n;
  };
  const widget = (n: any, name: string) => n.widgets.find((w: any) => w.name === name);
  const load = add("LoadImage", 0, 0);
  const scale = add("ImageScale", 300, 0);
  load.connect(0, scale, 0);
  widget(scale, "crop").value = "center";
  const preview = add("PreviewImage", 600, 0);
  scale.connect(0, preview, 0);
  const sampler = add("KSampler", 0, 400);
  widget(sampler, "seed").value = 123456789;
  sampler.widgets[1].value = "randomize";
  widget(sampler, "steps").value = 4;
  widget(sampler, "sampler_name").value = "dpmpp_2m";
  const text = add("CLIPTextEncode", 300, 400);
  widget(text, "text").value = "a red fox,\nin snow";
  const latent = add("EmptyLatentImage", 600, 400);
  widget(latent, "batch_size").value = 2;
  latent.connect(0, sampler, sampler.findInputSlot("latent_image"));
  const flip = add("ImageFlip", 600, 200);
  scale.connect(0, flip, 0);
};

export const EDITOR_WORKFLOW_BUILDERS: Record<string, EditorBuilder> = {
  primitives,
  reroutes,
  "muted-and-bypassed": mutedAndBypassed,
  seeds,
  "widget-extras": widgetExtras,
};
