// Issue 10, record: an existing recording is never replaced by accident nor
// half-overwritten, "-" is stdout, labels are labels, bad options and a
// failing server are one-line errors with their exit codes.

import { copyFileSync, existsSync, linkSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ProtocolServer } from "../../pipelines/replay/protocol-server.js";
import { CPU_SYSTEM_STATS, protocolServers, sequentialRun } from "../support/scripted-runs.js";
import { parseAndValidate } from "../support/record-harness.js";
import { runCli as run } from "../support/cli.js";
import { fileHash, STACK_OR_BUG } from "../support/main-in-process.js";

const WORKFLOW = { "1": { class_type: "EmptyImage", inputs: { width: 8 } }, "2": { class_type: "ComfyprofSleep", inputs: { seconds: 1, value: ["1", 0] } } };
const PRECIOUS = new URL("../../samples/recordings/benchmark/run.ndjson", import.meta.url).pathname;
const deadUrl = "http://127.0.0.1:47";
const startServer = protocolServers();

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), "comfyprof-record-out-"));
  const workflow = join(dir, "wf.json");
  writeFileSync(workflow, JSON.stringify(WORKFLOW));
  const precious = join(dir, "precious.ndjson");
  copyFileSync(PRECIOUS, precious);
  return { dir, workflow, precious };
}

function serve(nodeMs = 20): Promise<ProtocolServer> {
  return startServer({
    onPrompt: () => ({ script: sequentialRun([{ id: "1", type: "EmptyImage", ms: 5 }, { id: "2", type: "ComfyprofSleep", ms: nodeMs }]) }),
    systemStats: () => CPU_SYSTEM_STATS,
  });
}

let failing: Server | null = null;
afterEach(async () => {
  const server = failing;
  failing = null;
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("pipelines/record-command outputs (issue 10)", () => {
  it("refuses -o naming an existing recording unless --force, before contacting any server", async () => {
    const { workflow, precious } = workspace();
    const before = fileHash(precious);
    const { code, stderr } = await run(["record", "--url", deadUrl, "-w", workflow, "-o", precious]);
    expect(code).toBe(6);
    expect(stderr).toBe(`comfyprof: -o ${precious} already exists; nothing was recorded: add --force to replace it when the new recording ends, or name another file\n`);
    expect(fileHash(precious)).toBe(before);
  });

  it("with --force keeps the old recording until the new one ends, then replaces it, leaving no temporary file", async () => {
    const s = await serve(500);
    const { dir, workflow, precious } = workspace();
    const before = fileHash(precious);
    let duringRun: string | null = null;
    const { code, stderr } = await run(["record", "--url", s.url, "-w", workflow, "-o", precious, "--force"], {
      onStderr: (text) => {
        if (duringRun === null && text.includes("ComfyprofSleep")) duringRun = fileHash(precious);
      },
    });
    expect(code).toBe(0);
    expect(duringRun).toBe(before);
    expect(parseAndValidate(readFileSync(precious, "utf8")).at(-1)).toMatchObject({ kind: "end", reason: "done" });
    expect(stderr).toContain(`comfyprof: wrote ${precious} (event log)`);
    expect(readdirSync(dir).sort()).toEqual(["precious.ndjson", "wf.json"]);
  });

  it("refuses -o on the workflow file itself, even through a hard link", async () => {
    const { dir, workflow } = workspace();
    const link = join(dir, "wf-link.ndjson");
    linkSync(workflow, link);
    const { code, stderr } = await run(["record", "-w", workflow, "-o", link, "--force"]);
    expect(code).toBe(6);
    expect(stderr).toContain(`-o ${link} would overwrite the input ${workflow} (the same file as ${workflow})`);
  });

  it("writes the log to stdout with -o - and stores --label - as the label \"-\"", async () => {
    const s = await serve();
    const { workflow } = workspace();
    const { code, stdout } = await run(["record", "--url", s.url, "-w", workflow, "-o", "-", "--label", "-", "--quiet"]);
    expect(code).toBe(0);
    const lines = parseAndValidate(stdout);
    expect(lines[0]).toMatchObject({ kind: "header", label: "-" });
    expect(lines.at(-1)).toMatchObject({ kind: "end", reason: "done" });
  });

  it("reads -w - from stdin", async () => {
    const s = await serve();
    const { code, stdout } = await run(["record", "--url", s.url, "-w", "-", "-o", "-", "--quiet"], { stdin: JSON.stringify(WORKFLOW) });
    expect(code).toBe(0);
    expect(parseAndValidate(stdout)[0]).toMatchObject({ kind: "header", workflow: { sourceName: null, prompt: WORKFLOW } });
  });

  it("writes -o /dev/null in place, without --force, leaving the device a device", async () => {
    const s = await serve();
    const { workflow } = workspace();
    const { code } = await run(["record", "--url", s.url, "-w", workflow, "-o", "/dev/null", "--quiet"]);
    expect(code).toBe(0);
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("refuses -o naming a folder, a URL that is not one, and a URL that is not http, in one line each", async () => {
    const { dir, workflow } = workspace();
    const cases: [string[], number, string][] = [
      [["-o", dir], 6, `comfyprof: -o ${dir}: is a folder`],
      [["--url", "not a url"], 1, 'comfyprof: --url "not a url" is not a URL; expected e.g. http://127.0.0.1:8188'],
      [["--url", "ftp://example.com"], 1, "comfyprof: --url must start with http:// or https://, got ftp://"],
    ];
    for (const [args, exitCode, message] of cases) {
      const { code, stderr } = await run(["record", "-w", workflow, ...args, ...(args[0] === "-o" ? [] : ["-o", join(dir, "r.ndjson")])]);
      expect(code, args.join(" ")).toBe(exitCode);
      expect(stderr.startsWith(message), stderr).toBe(true);
      expect(stderr).not.toMatch(STACK_OR_BUG);
    }
    expect(existsSync(join(dir, "r.ndjson"))).toBe(false);
  });

  it("reports an HTTP 500 as the server's error with its status (exit 3), escaped, not as an unreachable server", async () => {
    failing = createServer((_, res) => res.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error: torch exploded\u001b[2J"));
    await new Promise<void>((resolve) => failing!.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
    const { workflow, dir } = workspace();
    const out = join(dir, "r.ndjson");
    const { code, stderr } = await run(["record", "--url", url, "-w", workflow, "-o", out]);
    expect(code).toBe(3);
    expect(stderr).toContain(`ComfyUI at ${url} answered GET /system_stats with HTTP 500: Internal Server Error: torch exploded`);
    expect(stderr).not.toContain("cannot reach");
    expect(stderr).not.toContain("\u001b");
    expect(stderr).toContain("torch exploded\\x1b[2J");
    expect(parseAndValidate(readFileSync(out, "utf8")).at(-1)).toMatchObject({ kind: "end", reason: "error" });
  });

  it("exits 143 on SIGTERM, the log closed with an end record naming the signal", async () => {
    const s = await serve(5_000);
    const { dir, workflow } = workspace();
    const out = join(dir, "run.ndjson");
    let sent = false;
    const { code } = await run(["record", "--url", s.url, "-w", workflow, "-o", out], {
      onStderr: (text, kill) => {
        if (!sent && text.includes("ComfyprofSleep")) {
          sent = true;
          kill("SIGTERM");
        }
      },
    });
    expect(code).toBe(143);
    expect(parseAndValidate(readFileSync(out, "utf8")).at(-1)).toMatchObject({ kind: "end", reason: "interrupted", message: "stopped by SIGTERM" });
  });
});
