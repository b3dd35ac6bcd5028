// ComfyUI's own example client (script_examples/websockets_api_example.py in
// ComfyUI's repository), step for step in TypeScript, against the replay of
// real recordings: connect the WebSocket with a client id, POST /prompt with
// its own prompt id, wait for `executing {node: null}` of that prompt, GET
// /history/{id}, then GET /view for every output image. As urllib does, any
// HTTP error status throws.

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { readRecording } from "../../../pipelines/replay/recorded-runs.js";
import { startReplayServer } from "../../../pipelines/replay/replay-server.js";
import type { ProtocolServer } from "../../../pipelines/replay/protocol-server.js";
import { decodePng } from "../../support/png-decode.js";

const recordings = new URL("../../../samples/recordings/", import.meta.url);

let server: ProtocolServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function replay(name: string): Promise<{ serverAddress: string; workflow: Record<string, unknown> }> {
  const recording = await readRecording(new URL(`${name}/run.ndjson`, recordings).pathname);
  server = await startReplayServer(recording, { port: 0, speed: Infinity, loop: false, anyWorkflow: false, reject: null });
  const workflow = JSON.parse(readFileSync(new URL(`${name}/workflow.json`, recordings), "utf8")) as Record<string, unknown>;
  return { serverAddress: server.url.replace(/^http:\/\//, ""), workflow };
}

/** urllib.request.urlopen(...).read(): the body, or an error for an HTTP error status. */
async function urlopen(url: string, data?: Buffer): Promise<Buffer> {
  // urllib sends a body as a form unless told otherwise; ComfyUI reads it as JSON anyway.
  const response = await fetch(url, data ? { method: "POST", body: data, headers: { "Content-Type": "application/x-www-form-urlencoded" } } : {});
  if (!response.ok) throw new Error(`HTTP Error ${response.status}: ${url}`);
  return Buffer.from(await response.arrayBuffer());
}

/** websocket-client's blocking ws.recv(): the next frame, text as a string, binary as bytes. */
function receiver(ws: WebSocket): () => Promise<string | Buffer> {
  const frames: (string | Buffer)[] = [];
  const waiting: ((frame: string | Buffer) => void)[] = [];
  ws.on("message", (data: Buffer, isBinary: boolean) => {
    const frame = isBinary ? data : data.toString("utf8");
    const wake = waiting.shift();
    if (wake) wake(frame);
    else frames.push(frame);
  });
  return () => (frames.length > 0 ? Promise.resolve(frames.shift()!) : new Promise((resolve) => waiting.push(resolve)));
}

/** The example's functions, with server_address and client_id as the script's globals are. */
function exampleClient(serverAddress: string, clientId: string) {
  const queuePrompt = (prompt: unknown, promptId: string) =>
    urlopen(`http://${serverAddress}/prompt`, Buffer.from(JSON.stringify({ prompt, client_id: clientId, prompt_id: promptId })));
  const getImage = (filename: string, subfolder: string, folderType: string) =>
    urlopen(`http://${serverAddress}/view?${new URLSearchParams({ filename, subfolder, type: folderType })}`);
  const getHistory = async (promptId: string) => JSON.parse((await urlopen(`http://${serverAddress}/history/${promptId}`)).toString("utf8")) as Record<string, History>;

  async function getImages(recv: () => Promise<string | Buffer>, prompt: unknown) {
    const promptId = randomUUID();
    await queuePrompt(prompt, promptId);
    const outputImages: Record<string, Buffer[]> = {};
    for (;;) {
      const out = await recv();
      if (typeof out !== "string") continue; // previews are binary data
      const message = JSON.parse(out) as { type: string; data: { node?: string | null; prompt_id?: string } };
      if (message.type === "executing" && message.data.node === null && message.data.prompt_id === promptId) break; // Execution is done
    }
    const history = (await getHistory(promptId))[promptId]!;
    for (const [nodeId, nodeOutput] of Object.entries(history.outputs)) {
      const imagesOutput: Buffer[] = [];
      for (const image of nodeOutput.images ?? []) imagesOutput.push(await getImage(image.filename, image.subfolder, image.type));
      outputImages[nodeId] = imagesOutput;
    }
    return { promptId, history, outputImages };
  }
  return { getImages };
}

interface History {
  outputs: Record<string, { images?: { filename: string; subfolder: string; type: string }[] }>;
  status: { status_str: string; completed: boolean };
}

async function runExample(serverAddress: string, prompt: unknown) {
  const clientId = randomUUID();
  const ws = new WebSocket(`ws://${serverAddress}/ws?clientId=${clientId}`);
  const recv = receiver(ws);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  try {
    return await exampleClient(serverAddress, clientId).getImages(recv, prompt);
  } finally {
    ws.close();
  }
}

describe("pipelines/replay with ComfyUI's websockets_api_example.py client", () => {
  it("gives image-pipeline's two output images as PNGs of the 768×768 the workflow's ImageScale states, with ComfyUI's prompt chunk", async () => {
    const { serverAddress, workflow } = await replay("image-pipeline");
    const { history, outputImages } = await runExample(serverAddress, workflow);
    expect(history.status).toMatchObject({ status_str: "success", completed: true });
    // Node 7 PreviewImage (temp), node 8 SaveImage (output): one image each.
    expect(Object.keys(outputImages).sort()).toEqual(["7", "8"]);
    for (const [nodeId, images] of Object.entries(outputImages)) {
      expect(images, `node ${nodeId}`).toHaveLength(1);
      const png = decodePng(images[0]!);
      expect({ width: png.width, height: png.height }).toEqual({ width: 768, height: 768 });
      const prompt = JSON.parse(png.text.prompt!) as Record<string, { class_type: string }>;
      expect(prompt["2"]!.class_type).toBe("ImageScale");
    }
  });

  it("says in a header that the image is synthesized, and answers a file it never recorded with ComfyUI's 404", async () => {
    const { serverAddress, workflow } = await replay("image-pipeline");
    const { history } = await runExample(serverAddress, workflow);
    const saved = history.outputs["8"]!.images![0]!;
    const view = await fetch(`http://${serverAddress}/api/view?${new URLSearchParams({ ...saved })}`);
    expect(view.headers.get("x-comfyprof-replay")).toBe("synthesized");
    expect(view.headers.get("x-comfyprof-replay-detail")).toBe("768x768 as node 2 (ImageScale) states");
    expect(view.headers.get("content-type")).toBe("image/png");
    const unknown = await fetch(`http://${serverAddress}/view?${new URLSearchParams({ ...saved, filename: "never-made.png" })}`);
    expect(unknown.status).toBe(404);
  });

  it("runs parallel-branches to its end: a history with the join's text output and no image to fetch", async () => {
    const { serverAddress, workflow } = await replay("parallel-branches");
    const { history, outputImages } = await runExample(serverAddress, workflow);
    expect(history.status).toMatchObject({ status_str: "success", completed: true });
    expect(history.outputs).toEqual({ "6": { text: ["joined a,b"] } });
    expect(outputImages).toEqual({ "6": [] });
  });
});
