import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { comparable, EDITOR_SAMPLES_DIR, editorSamples } from "../support/editor-samples.js";

const OBJECT_INFO = `${EDITOR_SAMPLES_DIR}object_info.json`;
const PNG = new URL("../../samples/workflows/images/comfyui-output.png", import.meta.url).pathname;

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("pipelines/convert-command", () => {
  it("prints the API prompt of an editor workflow converted with saved node definitions", async () => {
    const sample = editorSamples().find((s) => s.name === "subgraphs")!;
    const ran = await runCli(["convert", sample.path, "--object-info", OBJECT_INFO]);
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(comparable(JSON.parse(ran.stdout))).toEqual(comparable(sample.expected));
  });

  it("writes <file>.api.json beside the file with -o alone, and says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "comfyprof-convert-"));
    copyFileSync(`${EDITOR_SAMPLES_DIR}seeds.json`, join(dir, "seeds.json"));
    const ran = await runCli(["convert", join(dir, "seeds.json"), "--object-info", OBJECT_INFO, "-o"]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toBe("");
    expect(ran.stderr).toContain("wrote");
    const expected = JSON.parse(readFileSync(`${EDITOR_SAMPLES_DIR}seeds.api.json`, "utf8"));
    expect(comparable(JSON.parse(readFileSync(join(dir, "seeds.api.json"), "utf8")))).toEqual(comparable(expected));
  });

  it("prints the prompt a ComfyUI PNG holds, read from stdin, with no server", async () => {
    const ran = await runCli(["convert", "-", "--url", `http://127.0.0.1:${await closedPort()}`], { stdin: readFileSync(PNG) });
    expect(ran.code).toBe(0);
    expect(Object.values(JSON.parse(ran.stdout)).map((n) => (n as { class_type: string }).class_type).sort()).toEqual(["EmptyImage", "ImageInvert", "SaveAnimatedWEBP", "SaveImage"]);
  });

  it("names each node it cannot convert and what to do, with exit code 5", async () => {
    const dir = mkdtempSync(join(tmpdir(), "comfyprof-convert-"));
    const workflow = JSON.parse(readFileSync(`${EDITOR_SAMPLES_DIR}reroutes.json`, "utf8"));
    workflow.nodes.find((n: { type: string }) => n.type === "ImageBlur").type = "FancyBlur";
    writeFileSync(join(dir, "custom.json"), JSON.stringify(workflow));
    const ran = await runCli(["convert", join(dir, "custom.json"), "--object-info", OBJECT_INFO]);
    expect(ran.code).toBe(5);
    expect(ran.stderr).toContain("custom.json: 1 node(s) could not be converted to API format:");
    expect(ran.stderr).toMatch(/node 5 \(FancyBlur\): the server does not know the node class "FancyBlur": install the node pack/);
  });

  it("says the server is unreachable with exit code 2 when an editor workflow needs its node definitions", async () => {
    const ran = await runCli(["convert", `${EDITOR_SAMPLES_DIR}seeds.json`, "--url", `http://127.0.0.1:${await closedPort()}`]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/cannot reach ComfyUI at .* for \/object_info \(ECONNREFUSED.*--object-info FILE/);
  });

  it("refuses a file that is neither a workflow nor an image holding one, with exit code 5", async () => {
    const dir = mkdtempSync(join(tmpdir(), "comfyprof-convert-"));
    writeFileSync(join(dir, "bare.png"), readFileSync(PNG).subarray(0, 33));
    const ran = await runCli(["convert", join(dir, "bare.png")]);
    expect(ran.code).toBe(5);
    expect(ran.stderr).toContain("bare.png: this PNG holds no ComfyUI workflow");
    const missing = await runCli(["convert", join(dir, "nope.json")]);
    expect(missing.code).toBe(5);
  });

  it("never writes over its input", async () => {
    const ran = await runCli(["convert", `${EDITOR_SAMPLES_DIR}seeds.json`, "--object-info", OBJECT_INFO, "-o", `${EDITOR_SAMPLES_DIR}seeds.json`]);
    expect(ran.code).toBe(6);
  });
});
