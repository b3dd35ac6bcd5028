import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProtocolServer } from "../../pipelines/replay/protocol-server.js";
import { CPU_SYSTEM_STATS, protocolServers, sequentialRun } from "../support/scripted-runs.js";
import { parseAndValidate } from "../support/record-harness.js";
import { runCli as run } from "../support/cli.js";

const WORKFLOW = { "1": { class_type: "EmptyImage", inputs: { width: 8 } }, "2": { class_type: "ComfyprofSleep", inputs: { seconds: 1, value: ["1", 0] } } };

function tempWorkflow(content: unknown): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "comfyprof-cli-"));
  const file = join(dir, "wf.json");
  writeFileSync(file, JSON.stringify(content));
  return { dir, file };
}

// A port nothing listens on (fetch refuses well-known ports such as 9 by itself).
const deadUrl = "http://127.0.0.1:47";
const startServer = protocolServers();

async function serve(nodeMs = 40): Promise<ProtocolServer> {
  return startServer({
    onPrompt: () => ({ script: sequentialRun([{ id: "1", type: "EmptyImage", ms: 10 }, { id: "2", type: "ComfyprofSleep", ms: nodeMs, steps: 2 }]) }),
    systemStats: () => CPU_SYSTEM_STATS,
  });
}

describe("pipelines/record-command", () => {
  it("documents every option in record --help", async () => {
    const { code, stdout } = await run(["record", "--help"]);
    expect(code).toBe(0);
    for (const flag of ["--url", "--workflow", "--output", "--runs", "--warmup", "--cold", "--cache-warm", "--poll-ms", "--timeout", "--header", "--label", "--keep-previews", "--interrupt-on-exit", "--reconnect-timeout", "--quiet"]) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toContain("Exit codes:");
    expect(stdout).toContain("COMFY_URL");
  });

  it("records to stdout with nothing but the log on it, and progress on stderr", async () => {
    const s = await serve();
    const { file } = tempWorkflow(WORKFLOW);
    const { code, stdout, stderr } = await run(["record", "--workflow", file, "--runs", "2", "--label", "ci run"], { env: { COMFY_URL: s.url } });
    expect(code).toBe(0);
    const lines = parseAndValidate(stdout);
    expect(lines[0]).toMatchObject({ kind: "header", label: "ci run", workflow: { sourceName: "wf.json" }, plan: { runs: 2 } });
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "done", runsCompleted: 2 });
    expect(stderr).toContain("run 2/2: success");
  });

  it("writes to -o and is silent with --quiet", async () => {
    const s = await serve();
    const { dir, file } = tempWorkflow(WORKFLOW);
    const out = join(dir, "run.ndjson");
    const { code, stdout, stderr } = await run(["record", "--url", s.url, "-w", file, "-o", out, "--quiet"]);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toBe("");
    expect(parseAndValidate(readFileSync(out, "utf8")).at(-1)).toMatchObject({ kind: "end", reason: "done" });
  });

  it("refuses an editor workflow with nothing to run before recording anything", async () => {
    const { file } = tempWorkflow({ nodes: [{ id: 1, type: "Note", widgets_values: ["hi"] }], links: [] });
    const { code, stderr, stdout } = await run(["record", "--url", deadUrl, "-w", file]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("the editor workflow has no node to run");
  });

  it("needs the server's node definitions to convert an editor workflow, and says so when it cannot reach it (exit 2)", async () => {
    const { file } = tempWorkflow(JSON.parse(readFileSync(new URL("../../samples/workflows/editor/reroutes.json", import.meta.url), "utf8")));
    const { code, stderr, stdout } = await run(["record", "--url", deadUrl, "-w", file]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/cannot reach ComfyUI at .* for \/object_info/);
  });

  it("names an output file it cannot write", async () => {
    const { file } = tempWorkflow(WORKFLOW);
    const { code, stderr } = await run(["record", "-w", file, "-o", "/nonexistent-dir/run.ndjson"]);
    expect(code).toBe(6);
    expect(stderr).toContain("-o /nonexistent-dir/run.ndjson: cannot write there: no such file or folder (ENOENT)");
  });

  it("refuses conflicting cache options", async () => {
    const { file } = tempWorkflow(WORKFLOW);
    const { code, stderr } = await run(["record", "-w", file, "--cold", "--cache-warm"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/mutually exclusive|conflict/i);
  });

  it("exits 2 with a message naming the URL when the server is down", async () => {
    const { dir, file } = tempWorkflow(WORKFLOW);
    const out = join(dir, "run.ndjson");
    const { code, stderr } = await run(["record", "--url", deadUrl, "-w", file, "-o", out]);
    expect(code).toBe(2);
    expect(stderr).toContain(`cannot reach ComfyUI at ${deadUrl}`);
    expect(parseAndValidate(readFileSync(out, "utf8")).at(-1)).toMatchObject({ kind: "end", reason: "server-lost" });
  });

  it("closes the log with an end record when stopped with Ctrl-C (SIGINT) mid-run", async () => {
    const s = await serve(5_000);
    const { dir, file } = tempWorkflow(WORKFLOW);
    const out = join(dir, "run.ndjson");
    let sent = false;
    const { code } = await run(["record", "--url", s.url, "-w", file, "-o", out], {
      onStderr: (text, kill) => {
        if (!sent && text.includes("ComfyprofSleep")) {
          sent = true;
          kill("SIGINT");
        }
      },
    });
    expect(code).toBe(130);
    const lines = parseAndValidate(readFileSync(out, "utf8"));
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "interrupted" });
    expect(lines.some((l) => l.kind === "ws")).toBe(true);
  });
});
