import { describe, expect, it } from "vitest";
import type { ProtocolServer, ProtocolServerOptions } from "../../pipelines/replay/protocol-server.js";
import type { ApiWorkflow, HeaderLine } from "../../src/model/events.js";
import { CPU_SYSTEM_STATS, protocolServers, sequentialRun, type ScriptNode } from "../support/scripted-runs.js";
import { notes, recordAgainst, wsMessages } from "../support/record-harness.js";

const WORKFLOW: ApiWorkflow = {
  "1": { class_type: "EmptyImage", inputs: { width: 64, height: 64, batch_size: 1, color: 0 }, _meta: { title: "Blank" } },
  "2": { class_type: "ImageInvert", inputs: { image: ["1", 0] } },
  "3": { class_type: "PreviewImage", inputs: { images: ["2", 0] } },
};
const NODES: ScriptNode[] = [
  { id: "1", type: "EmptyImage", ms: 30 },
  { id: "2", type: "ImageInvert", ms: 60, steps: 3 },
  { id: "3", type: "PreviewImage", ms: 20, output: true },
];

const startServer = protocolServers();

async function serve(overrides: Partial<ProtocolServerOptions> = {}): Promise<ProtocolServer> {
  return startServer({
    onPrompt: () => ({ script: sequentialRun(NODES) }),
    systemStats: () => CPU_SYSTEM_STATS,
    objectInfo: () => ({ EmptyImage: { name: "EmptyImage" }, ImageInvert: { name: "ImageInvert" }, PreviewImage: { name: "PreviewImage" } }),
    ...overrides,
  });
}

describe("recorder/record", () => {
  it("writes a header first, every event of the run, the history after executing null, and an end record last", async () => {
    const s = await serve();
    const { result, lines } = await recordAgainst(s.url, WORKFLOW);
    expect(result).toMatchObject({ reason: "done", exitCode: 0, runsCompleted: 1 });
    expect(lines[0]).toMatchObject({ kind: "header", format: "comfyprof-events", version: "1.2", serverUrl: s.url });
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "done", runsCompleted: 1 });
    const types = wsMessages(lines).map((m) => m.type);
    expect(types.filter((t) => t === "executing")).toHaveLength(4);
    expect(types.filter((t) => t === "progress")).toHaveLength(3);
    expect(types).toContain("execution_success");
    const endIndex = lines.findIndex((l) => l.kind === "ws" && (l.msg as { data: { node?: unknown } }).data.node === null && (l.msg as { type: string }).type === "executing" && "prompt_id" in (l.msg as { data: object }).data);
    const historyIndex = lines.findIndex((l) => l.kind === "http" && l.path.startsWith("/history/"));
    expect(endIndex).toBeGreaterThan(0);
    expect(historyIndex).toBeGreaterThan(endIndex);
    const history = lines[historyIndex] as Extract<(typeof lines)[number], { kind: "http" }>;
    expect(Object.keys(history.response as object)).toHaveLength(1);
  });

  it("stamps every line with a monotonic time that never goes back", async () => {
    const s = await serve();
    const { lines } = await recordAgainst(s.url, WORKFLOW);
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.monoMs).toBeGreaterThanOrEqual(lines[i - 1]!.monoMs);
  });

  it("polls /system_stats while recording and asks /object_info only for the classes used", async () => {
    const s = await serve();
    const { lines } = await recordAgainst(s.url, WORKFLOW, { pollMs: 20 });
    const stats = lines.filter((l) => l.kind === "stats");
    expect(stats.length).toBeGreaterThanOrEqual(3);
    expect(stats.every((l) => l.kind === "stats" && l.status === 200 && l.monoMs >= l.sentMonoMs)).toBe(true);
    const infoPaths = s.requests.filter((r) => r.path.startsWith("/object_info")).map((r) => r.path);
    expect(infoPaths).toEqual(["/object_info/EmptyImage", "/object_info/ImageInvert", "/object_info/PreviewImage"]);
  });

  it("subscribes to the server's log stream with its own client id and submits with it", async () => {
    const s = await serve();
    const { lines } = await recordAgainst(s.url, WORKFLOW);
    const header = lines[0] as HeaderLine;
    const subscribe = s.requests.find((r) => r.path === "/internal/logs/subscribe");
    expect(subscribe?.method).toBe("PATCH");
    expect(subscribe?.body).toEqual({ clientId: header.clientId, enabled: true });
    const submit = s.requests.find((r) => r.path === "/prompt");
    expect((submit?.body as { client_id: string }).client_id).toBe(header.clientId);
    expect(s.connections).toEqual([header.clientId]);
  });

  it("keeps messages of other prompts and unknown types but does not end its run on another prompt's end", async () => {
    const s = await serve({
      onPrompt: () => ({
        script: sequentialRun(NODES, {
          extra: [
            { atMs: 5, message: () => ({ type: "executing", data: { node: null, prompt_id: "someone-else" } }) },
            { atMs: 6, message: () => ({ type: "crystools.monitor", data: { cpu_utilization: 12.5, gpus: [] } }) },
          ],
        }),
      }),
    });
    const { lines } = await recordAgainst(s.url, WORKFLOW);
    const msgs = wsMessages(lines);
    expect(msgs.find((m) => m.type === "crystools.monitor")?.data).toEqual({ cpu_utilization: 12.5, gpus: [] });
    expect(msgs.some((m) => m.data.prompt_id === "someone-else")).toBe(true);
    const runEnd = notes(lines, "run-end")[0]!;
    expect(runEnd).toMatchObject({ outcome: "success", via: "ws" });
    // The run ended after its own last node, not at the foreign executing-null sent at 5 ms.
    const lastExecuted = lines.findIndex((l) => l.kind === "ws" && (l.msg as { data: { node?: unknown } }).data.node === "3");
    expect(lines.indexOf(runEnd)).toBeGreaterThan(lastExecuted);
  });

  it("writes the server's text byte for byte", async () => {
    const s = await serve({
      onPrompt: () => ({
        script: sequentialRun(NODES, { extra: [{ atMs: 3, message: () => ({ type: "logs", data: { entries: [{ t: "2026-11-25T10:00:00.123", m: "Requested to load SD1 \u00e9\u2028" }], size: { cols: 80, rows: 24 } } }) }] }),
      }),
    });
    const { text } = await recordAgainst(s.url, WORKFLOW);
    expect(text).toContain('"msg":{"type":"logs","data":{"entries":[{"t":"2026-11-25T10:00:00.123","m":"Requested to load SD1 \u00e9\u2028"}]');
  });

  it("summarizes binary previews as type, size and node, and keeps the bytes only with keepPreviews", async () => {
    const meta = Buffer.from(JSON.stringify({ node_id: "2", prompt_id: "p", display_node_id: "2", parent_node_id: null, real_node_id: "2", image_type: "image/png" }));
    const frame = Buffer.concat([u32(4), u32(meta.length), meta, Buffer.alloc(1000, 7)]);
    const legacy = Buffer.concat([u32(1), u32(2), Buffer.alloc(500, 1)]);
    const script = () => sequentialRun(NODES, { extra: [{ atMs: 40, message: () => frame }, { atMs: 41, message: () => legacy }] });
    const s = await serve({ onPrompt: () => ({ script: script() }) });
    const summarized = (await recordAgainst(s.url, WORKFLOW)).lines.filter((l) => l.kind === "ws-binary");
    expect(summarized).toEqual([
      expect.objectContaining({ eventType: 4, bytes: frame.length, nodeId: "2", imageFormat: "image/png" }),
      expect.objectContaining({ eventType: 1, bytes: 508, nodeId: null, imageFormat: 2 }),
    ]);
    expect(summarized.some((l) => "base64" in l)).toBe(false);
    const kept = (await recordAgainst(s.url, WORKFLOW, { keepPreviews: true })).lines.filter((l) => l.kind === "ws-binary");
    expect(Buffer.from((kept[0] as { base64: string }).base64, "base64").equals(frame)).toBe(true);
  });
});

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
