import { describe, expect, it } from "vitest";
import type { ProtocolServer } from "../../pipelines/replay/protocol-server.js";
import type { ApiWorkflow, HeaderLine } from "../../src/model/events.js";
import { CPU_SYSTEM_STATS, protocolServers, sequentialRun } from "../support/scripted-runs.js";
import { notes, recordAgainst } from "../support/record-harness.js";
import { NONCE_INPUT } from "../../recorder/workflow.js";

const SEEDED: ApiWorkflow = {
  "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "m.safetensors" } },
  "5": { class_type: "KSampler", inputs: { model: ["4", 0], seed: 42, steps: 2 } },
};
const UNSEEDED: ApiWorkflow = {
  "1": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
  "2": { class_type: "PreviewImage", inputs: { images: ["1", 0] } },
};

const startServer = protocolServers();

async function serve(cached: string[] = []): Promise<ProtocolServer> {
  return startServer({
    onPrompt: () => ({ script: sequentialRun([{ id: "1", type: "EmptyImage", ms: 5 }], { cached }) }),
    systemStats: () => CPU_SYSTEM_STATS,
  });
}

function submitted(s: ProtocolServer): { prompt: ApiWorkflow; prompt_id: string }[] {
  return s.requests.filter((r) => r.path === "/prompt").map((r) => r.body as { prompt: ApiWorkflow; prompt_id: string });
}

describe("recorder/record runs and cache states", () => {
  it("makes warm-up runs first, marks them, and gives every run its own prompt id", async () => {
    const s = await serve();
    const { lines, result } = await recordAgainst(s.url, UNSEEDED, { runs: 3, warmup: 2 });
    expect(result.runsCompleted).toBe(5);
    const starts = notes(lines, "run-start");
    expect(starts.map((n) => [n.run, n.warmup])).toEqual([[0, true], [1, true], [2, false], [3, false], [4, false]]);
    const ids = submitted(s).map((b) => b.prompt_id);
    expect(new Set(ids).size).toBe(5);
    expect(ids).toEqual(starts.map((n) => n.promptId));
    expect(notes(lines, "run-end").map((n) => n.promptId)).toEqual(ids);
  });

  it("model-warm gives seed inputs a new value each run and leaves the rest as written", async () => {
    const s = await serve();
    const { lines } = await recordAgainst(s.url, SEEDED, { runs: 2 }, { seeds: [7, 8] });
    const prompts = submitted(s).map((b) => b.prompt);
    expect(prompts.map((p) => p["5"]!.inputs.seed)).toEqual([7, 8]);
    expect(prompts[0]!["4"]).toEqual(SEEDED["4"]);
    expect(notes(lines, "run-start").map((n) => n.nonceMethod)).toEqual(["seed", "seed"]);
  });

  it("model-warm without a seed adds a nonce input to every node", async () => {
    const s = await serve();
    const { lines } = await recordAgainst(s.url, UNSEEDED, { runs: 2 }, { seeds: [11, 12] });
    const prompts = submitted(s).map((b) => b.prompt);
    expect(prompts.map((p) => [p["1"]!.inputs[NONCE_INPUT], p["2"]!.inputs[NONCE_INPUT]])).toEqual([[11, 11], [12, 12]]);
    expect(notes(lines, "run-start")[0]).toMatchObject({ nonceMethod: "nonce-input", cacheState: "model-warm" });
    const header = lines[0] as HeaderLine;
    expect(header.workflow.prompt).toEqual(UNSEEDED);
  });

  it("cache-warm resubmits the identical workflow", async () => {
    const s = await serve();
    const { lines } = await recordAgainst(s.url, SEEDED, { runs: 2, cacheState: "cache-warm" });
    expect(submitted(s).map((b) => b.prompt)).toEqual([SEEDED, SEEDED]);
    expect(notes(lines, "run-start").map((n) => n.nonceMethod)).toEqual(["none", "none"]);
  });

  it("cold frees memory and unloads models before each submit and checks nothing was cached", async () => {
    const s = await serve();
    const { lines } = await recordAgainst(s.url, UNSEEDED, { runs: 2, cacheState: "cold" });
    const order = s.requests.filter((r) => r.method === "POST").map((r) => r.path);
    expect(order).toEqual(["/free", "/prompt", "/free", "/prompt"]);
    expect(s.requests.find((r) => r.path === "/free")?.body).toEqual({ free_memory: true, unload_models: true });
    expect(notes(lines, "cache-check").map((n) => n.ok)).toEqual([true, true]);
  });

  it("notes a cold run that still had cached nodes", async () => {
    const s = await serve(["1"]);
    const { lines, progress } = await recordAgainst(s.url, UNSEEDED, { cacheState: "cold" });
    expect(notes(lines, "cache-check")[0]).toMatchObject({ ok: false, cachedNodes: ["1"] });
    expect(progress).toContain("cold run 1 still had cached nodes: 1");
  });

  it("shows run i/N and the node running on the progress output", async () => {
    const s = await serve();
    const { progress } = await recordAgainst(s.url, UNSEEDED, { runs: 2, warmup: 1 });
    expect(progress).toContain("warm-up 1: #1 EmptyImage");
    expect(progress).toContain("run 2/2: success in");
  });
});
