import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import type { ProtocolServer, ProtocolServerOptions } from "../../pipelines/replay/protocol-server.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import { CPU_SYSTEM_STATS, protocolServers, sequentialRun, type ScriptNode } from "../support/scripted-runs.js";
import { notes, recordAgainst, wsMessages } from "../support/record-harness.js";

const WORKFLOW: ApiWorkflow = {
  "1": { class_type: "EmptyImage", inputs: { width: 8 } },
  "2": { class_type: "ComfyprofSleep", inputs: { seconds: 0.3, value: ["1", 0] }, _meta: { title: "Slow \u001b[31mred" } },
  "3": { class_type: "PreviewImage", inputs: { images: ["2", 0] } },
};
const NODES: ScriptNode[] = [
  { id: "1", type: "EmptyImage", ms: 20 },
  { id: "2", type: "ComfyprofSleep", ms: 300, steps: 4 },
  { id: "3", type: "PreviewImage", ms: 20, output: true },
];

const startServer = protocolServers();

async function serve(overrides: Partial<ProtocolServerOptions> = {}): Promise<ProtocolServer> {
  return startServer({ onPrompt: () => ({ script: sequentialRun(NODES) }), systemStats: () => CPU_SYSTEM_STATS, ...overrides });
}

async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

describe("recorder/record faults", () => {
  it("ends with server-lost and exit code 2 when the server is down at start, and still writes a complete log", async () => {
    const port = await unusedPort();
    const { result, lines } = await recordAgainst(`http://127.0.0.1:${port}`, WORKFLOW);
    expect(result).toMatchObject({ reason: "server-lost", exitCode: 2, runsCompleted: 0 });
    expect(result.message).toContain(`cannot reach ComfyUI at http://127.0.0.1:${port}`);
    expect(lines.map((l) => l.kind)).toEqual(["header", "stats", "end"]);
    expect(lines[1]).toMatchObject({ kind: "stats", status: null, error: expect.stringContaining("ECONNREFUSED") });
  });

  it("prints a rejected workflow's node errors readably, logs the reply, and exits with 3", async () => {
    const body = {
      error: { type: "prompt_outputs_failed_validation", message: "Prompt outputs failed validation", details: "", extra_info: {} },
      node_errors: {
        "2": {
          errors: [{ type: "required_input_missing", message: "Required input is missing", details: "seconds", extra_info: { input_name: "seconds" } }],
          dependent_outputs: ["3"],
          class_type: "ComfyprofSleep",
        },
      },
    };
    const s = await serve({ onPrompt: () => ({ reject: { status: 400, body } }) });
    const { result, lines, progress } = await recordAgainst(s.url, WORKFLOW);
    expect(result).toMatchObject({ reason: "error", exitCode: 3 });
    expect(progress).toContain("the server rejected the workflow (HTTP 400): Prompt outputs failed validation");
    expect(progress).toContain('node 2 ComfyprofSleep "Slow \\x1b[31mred":');
    expect(progress).toContain('input "seconds": Required input is missing (seconds)');
    expect(progress).not.toContain("\u001b[31m");
    expect(lines.find((l) => l.kind === "http" && l.path === "/prompt")).toMatchObject({ status: 400, response: body });
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "error" });
  });

  it("reconnects after the WebSocket drops mid-run and finishes the run", async () => {
    const s = await serve({ faults: { dropWsAfter: 5 } });
    const { result, lines } = await recordAgainst(s.url, WORKFLOW);
    expect(result).toMatchObject({ reason: "done", runsCompleted: 1 });
    expect(notes(lines, "ws-close")).toHaveLength(1);
    expect(notes(lines, "reconnect")).toContainEqual(expect.objectContaining({ ok: true }));
    expect(notes(lines, "run-end")[0]).toMatchObject({ outcome: "success" });
    expect(s.connections.length).toBe(2);
    expect(new Set(s.connections).size).toBe(1);
  });

  it("recovers the end of a run from /history when it finished while the socket was down", async () => {
    const s = await serve({ faults: { dropWsAfter: 17 } });
    const { lines } = await recordAgainst(s.url, WORKFLOW);
    const runEnd = notes(lines, "run-end")[0]!;
    // 17 events: the last of them is execution_success, then the socket drops before executing null.
    expect(wsMessages(lines).some((m) => m.type === "execution_success")).toBe(true);
    expect(runEnd).toMatchObject({ outcome: "success", via: "history" });
  });

  it("notes a run lost to a server restart, goes on with the next run, and ends with server-lost (exit 2)", async () => {
    const s = await serve({ faults: { restartAfter: 6, restartDowntimeMs: 300 } });
    const { result, lines } = await recordAgainst(s.url, WORKFLOW, { runs: 2 });
    expect(result).toMatchObject({ reason: "server-lost", exitCode: 2, runsCompleted: 1 });
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "server-lost", message: "the server lost 1 run(s) (it restarted?); 1 completed" });
    expect(notes(lines, "run-lost")).toHaveLength(1);
    expect(notes(lines, "run-end").map((n) => n.via)).toEqual(["lost", "ws"]);
    expect(lines.some((l) => l.kind === "stats" && l.error !== null)).toBe(true);
  });

  it("ends with server-lost when the server does not come back", async () => {
    const s = await serve({ faults: { restartAfter: 4, restartDowntimeMs: 60_000 } });
    const { result, lines } = await recordAgainst(s.url, WORKFLOW, { reconnectTimeoutMs: 800 });
    expect(result).toMatchObject({ reason: "server-lost", exitCode: 2 });
    expect(notes(lines, "reconnect").every((n) => n.ok === false)).toBe(true);
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "server-lost" });
  });

  it("closes the log with an interrupted end record on Ctrl-C and leaves the server's job alone", async () => {
    const s = await serve();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const { result, lines } = await recordAgainst(s.url, WORKFLOW, {}, { signal: controller.signal });
    expect(result).toMatchObject({ reason: "interrupted", exitCode: 130 });
    expect(notes(lines, "signal")).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "interrupted" });
    expect(s.requests.some((r) => r.path === "/interrupt")).toBe(false);
  });

  it("sends POST /interrupt on Ctrl-C with interruptOnExit", async () => {
    const s = await serve();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const { lines } = await recordAgainst(s.url, WORKFLOW, { interruptOnExit: true }, { signal: controller.signal });
    expect(s.requests.some((r) => r.path === "/interrupt" && r.method === "POST")).toBe(true);
    expect(notes(lines, "interrupt-sent")).toHaveLength(1);
  });

  it("ends a run that never finishes at --timeout with a note and exit code 4", async () => {
    const s = await serve({ onPrompt: () => ({ script: sequentialRun([{ id: "2", type: "ComfyprofSleep", ms: 10_000 }]) }) });
    const { result, lines } = await recordAgainst(s.url, WORKFLOW, { timeoutMs: 200 });
    expect(result).toMatchObject({ reason: "timeout", exitCode: 4 });
    expect(notes(lines, "timeout")).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "timeout" });
  });

  it("records an execution error as a finished run with the failing node", async () => {
    const s = await serve({ onPrompt: () => ({ script: sequentialRun(NODES, { failAt: "2" }) }) });
    const { result, lines, progress } = await recordAgainst(s.url, WORKFLOW);
    expect(result).toMatchObject({ reason: "done", exitCode: 0, runsCompleted: 1 });
    expect(notes(lines, "run-end")[0]).toMatchObject({ outcome: "error", nodeId: "2", message: "RuntimeError: boom" });
    expect(progress).toContain("execution error at node 2: RuntimeError: boom");
  });

  it("follows a run interrupted on the server (POST /interrupt from elsewhere)", async () => {
    const s = await serve();
    setTimeout(() => void fetch(`${s.url}/interrupt`, { method: "POST" }), 120);
    const { lines } = await recordAgainst(s.url, WORKFLOW);
    expect(notes(lines, "run-end")[0]).toMatchObject({ outcome: "interrupted", nodeId: "2" });
  });
});
