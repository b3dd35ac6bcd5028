// The routes ComfyUI clients call besides the prompt cycle, on a replay of a
// real recording (speed max: nothing waits on a timer).

import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { readRecording } from "../../../pipelines/replay/recorded-runs.js";
import { startReplayServer } from "../../../pipelines/replay/replay-server.js";
import type { ProtocolServer } from "../../../pipelines/replay/protocol-server.js";

const recordings = new URL("../../../samples/recordings/", import.meta.url);
const workflow = JSON.parse(readFileSync(new URL("parallel-branches/workflow.json", recordings), "utf8")) as unknown;

let server: ProtocolServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function replay(): Promise<string> {
  const recording = await readRecording(new URL("parallel-branches/run.ndjson", recordings).pathname);
  server = await startReplayServer(recording, { port: 0, speed: Infinity, loop: true, anyWorkflow: false, reject: null });
  return server.url;
}

const getJson = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, body: r.status === 200 ? ((await r.json()) as unknown) : null };
};

/** Submits the recorded workflow and resolves once its `executing {node: null}` came (its history is then stored). */
async function runOnce(url: string, clientId: string): Promise<string> {
  const ws = new WebSocket(`${url.replace("http", "ws")}/ws?clientId=${clientId}`);
  await new Promise((resolve) => ws.once("open", resolve));
  const done = new Promise<string>((resolve) =>
    ws.on("message", (data, isBinary) => {
      const m = isBinary ? null : (JSON.parse(String(data)) as { type: string; data: { node?: unknown; prompt_id?: string } });
      if (m?.type === "executing" && m.data.node === null && m.data.prompt_id) resolve(m.data.prompt_id);
    }),
  );
  await fetch(`${url}/prompt`, { method: "POST", body: JSON.stringify({ prompt: workflow, client_id: clientId }) });
  const promptId = await done;
  ws.close();
  return promptId;
}

function form(fields: Record<string, string | Buffer>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === "string") data.append(name, value);
    else data.append(name, new Blob([value]), "in.png");
  }
  return data;
}

describe("pipelines/replay client routes", () => {
  it("answers GET /prompt, /features, /embeddings, /extensions and /models as a ComfyUI without models does", async () => {
    const url = await replay();
    expect(await getJson(`${url}/prompt`)).toEqual({ status: 200, body: { exec_info: { queue_remaining: 0 } } });
    expect((await getJson(`${url}/api/features`)).body).toMatchObject({ supports_preview_metadata: true });
    expect(await getJson(`${url}/embeddings`)).toEqual({ status: 200, body: [] });
    expect(await getJson(`${url}/extensions`)).toEqual({ status: 200, body: [] });
    expect((await getJson(`${url}/models`)).body).toContain("checkpoints");
    expect(await getJson(`${url}/models/checkpoints`)).toEqual({ status: 200, body: [] });
    expect((await getJson(`${url}/models/not-a-folder`)).status).toBe(404);
  });

  it("keeps an uploaded image and serves it back from /view, renaming a different file of the same name as ComfyUI does", async () => {
    const url = await replay();
    const upload = async (fields: Record<string, string | Buffer>) => {
      const r = await fetch(`${url}/upload/image`, { method: "POST", body: form(fields) });
      return { status: r.status, body: r.status === 200 ? ((await r.json()) as unknown) : null };
    };
    const bytes = Buffer.from("first image");
    expect(await upload({ image: bytes })).toEqual({ status: 200, body: { name: "in.png", subfolder: "", type: "input" } });
    expect((await upload({ image: bytes })).body).toEqual({ name: "in.png", subfolder: "", type: "input" });
    expect((await upload({ image: Buffer.from("second") })).body).toEqual({ name: "in (1).png", subfolder: "", type: "input" });
    expect((await upload({ image: Buffer.from("third"), overwrite: "true" })).body).toEqual({ name: "in.png", subfolder: "", type: "input" });
    expect((await upload({ subfolder: "x" })).status).toBe(400);
    expect((await upload({ image: bytes, subfolder: "../outside" })).status).toBe(400);
    expect((await upload({ image: bytes, subfolder: "a/../b", type: "temp" })).body).toEqual({ name: "in.png", subfolder: "a/../b", type: "temp" });
    expect((await upload({ image: bytes, type: "models" })).status).toBe(500);
    expect((await fetch(`${url}/view?filename=in.png&type=temp&subfolder=b/`)).status).toBe(200);
    const view = await fetch(`${url}/view?filename=in.png&type=input`);
    expect(view.headers.get("x-comfyprof-replay")).toBe("uploaded");
    expect(await view.text()).toBe("third");
  });

  it("pages GET /history as ComfyUI does, and clears or deletes entries with POST /history", async () => {
    const url = await replay();
    const first = await runOnce(url, "a");
    const second = await runOnce(url, "b");
    const ids = async (query: string) => Object.keys((await getJson(`${url}/history${query}`)).body as object);
    expect(await ids("")).toEqual([first, second]);
    expect(await ids("?max_items=1")).toEqual([second]);
    expect(await ids("?max_items=1&offset=0")).toEqual([first]);
    expect((await getJson(`${url}/history?max_items=x`)).status).toBe(500);
    await fetch(`${url}/history`, { method: "POST", body: JSON.stringify({ delete: [first] }) });
    expect(await ids("")).toEqual([second]);
    await fetch(`${url}/api/history`, { method: "POST", body: JSON.stringify({ clear: true }) });
    expect(await ids("")).toEqual([]);
    expect((await fetch(`${url}/queue`, { method: "POST", body: JSON.stringify({ clear: true }) })).status).toBe(200);
  });
});
