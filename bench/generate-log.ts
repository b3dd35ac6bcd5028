// A synthetic v1 event log for the benchmark: the shape of the real recordings
// in samples/recordings/ (header, run-start/run-end notes, POST /prompt, the
// server's WebSocket messages verbatim in Python's JSON style, /system_stats
// polls every 100 ms, /history, server `logs`, binary preview summaries), made
// large by many prompts of 20–60 nodes whose sampler-like nodes report
// progress every few ms. `progress_state` is cumulative, as ComfyUI sends it:
// every message repeats every node started so far, so it dominates the bytes.
//
// Deterministic: one seeded PRNG drives everything (no Math.random, no clock).
//
//   node dist/bench/generate-log.js [size MB (300)] [out path (tmpdir)] [--gzip]

import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { fileURLToPath } from "node:url";
import { seededRandom } from "../src/analysis/bootstrap.js";

export interface GenerateOptions {
  path: string;
  /** The file stops after the first run that reaches this size (or after `runs` runs). */
  targetBytes: number;
  /** Stop after this many runs instead (the first of them a warm-up, as in every log here). */
  runs?: number;
  seed?: number;
  /** Workflow sizes, nodes: [20, 60] by default. */
  nodes?: [number, number];
  /** How many workflows the runs cycle through (6 by default, the last a slow one); 1: one fast workflow. */
  workflows?: number;
  /** The workflows' own seed, so that logs with different `seed`s can share workflows (a trend's recordings). */
  workflowSeed?: number;
  /** When the recording starts, epoch ms (trend orders recordings by it). */
  startWallMs?: number;
  /** The header's --label ("synthetic benchmark log" by default). */
  label?: string;
}

export interface GenerateResult {
  path: string;
  bytes: number;
  lines: number;
  prompts: number;
}

export const MB = 1024 * 1024;
const POLL_MS = 100;
const SERVER = "http://127.0.0.1:8188";

class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** A number in [lo, hi). */
  real(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  uuid(): string {
    const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[this.int(0, 15)]).join("");
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${this.pick(["8", "9", "a", "b"])}${hex(3)}-${hex(12)}`;
  }
}

// ---- workflows -------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface WfNode {
  class_type: string;
  inputs: Record<string, Json>;
  _meta: { title: string };
}
type Workflow = Record<string, WfNode>;

interface NodeKind {
  classType: string;
  /** Names of its link inputs (each gets a link to an earlier node). */
  links: string[];
  literals: (r: Random) => Record<string, Json>;
  sampler?: boolean;
  output?: boolean;
  loader?: boolean;
}

const KINDS: Record<string, NodeKind> = {
  checkpoint: { classType: "CheckpointLoaderSimple", links: [], loader: true, literals: (r) => ({ ckpt_name: r.pick(["sd_xl_base_1.0.safetensors", "v1-5-pruned-emaonly.safetensors"]) }) },
  lora: { classType: "LoraLoader", links: ["model", "clip"], loader: true, literals: (r) => ({ lora_name: `style_${r.int(1, 40)}.safetensors`, strength_model: r.int(5, 10) / 10, strength_clip: 1 }) },
  text: { classType: "CLIPTextEncode", links: ["clip"], literals: (r) => ({ text: r.pick(["a photo of a cat, best quality", "blurry, lowres, watermark", "a castle on a hill at dusk, volumetric light"]) }) },
  latent: { classType: "EmptyLatentImage", links: [], literals: (r) => ({ width: r.pick([512, 768, 1024]), height: r.pick([512, 768, 1024]), batch_size: 1 }) },
  sampler: {
    classType: "KSampler",
    links: ["model", "positive", "negative", "latent_image"],
    sampler: true,
    literals: (r) => ({ seed: r.int(0, 2 ** 31), steps: r.int(20, 40), cfg: 7, sampler_name: "euler", scheduler: "normal", denoise: 1 }),
  },
  decode: { classType: "VAEDecode", links: ["samples", "vae"], literals: () => ({}) },
  scale: { classType: "ImageScale", links: ["image"], literals: (r) => ({ upscale_method: "bilinear", width: r.pick([768, 1024]), height: r.pick([768, 1024]), crop: "disabled" }) },
  blur: { classType: "ImageBlur", links: ["image"], literals: (r) => ({ blur_radius: r.int(1, 5), sigma: 1.5 }) },
  sharpen: { classType: "ImageSharpen", links: ["image"], literals: () => ({ sharpen_radius: 1, sigma: 1, alpha: 0.5 }) },
  invert: { classType: "ImageInvert", links: ["image"], literals: () => ({}) },
  save: { classType: "SaveImage", links: ["images"], output: true, literals: () => ({ filename_prefix: "comfyprof/bench" }) },
  preview: { classType: "PreviewImage", links: ["images"], output: true, literals: () => ({}) },
};
const MIDDLE_KINDS = ["lora", "text", "text", "latent", "sampler", "decode", "scale", "blur", "sharpen", "invert", "invert"];

/** A DAG of `n` nodes: each links to the one before it (so every node feeds the outputs) and to random earlier ones. */
interface BenchWorkflow {
  prompt: Workflow;
  kinds: Map<string, NodeKind>;
  /** Sampler step time range, ms. */
  stepMs: [number, number];
}

function makeWorkflow(r: Random, n: number, stepMs: [number, number]): BenchWorkflow {
  const prompt: Workflow = {};
  const kinds = new Map<string, NodeKind>();
  const outputs = r.int(1, 3);
  let samplers = 0;
  for (let i = 1; i <= n; i++) {
    let kindName = i === 1 ? "checkpoint" : i > n - outputs ? r.pick(["save", "preview"]) : r.pick(MIDDLE_KINDS);
    // One to three samplers per workflow, as in real ones.
    if (kindName === "sampler" && samplers >= 3) kindName = "decode";
    if (i === Math.floor(n / 2) && samplers === 0) kindName = "sampler";
    if (kindName === "sampler") samplers++;
    const kind = KINDS[kindName]!;
    const inputs: Record<string, Json> = { ...kind.literals(r) };
    kind.links.forEach((name, k) => {
      const from = k === 0 || i <= 2 ? i - 1 : r.int(Math.max(1, i - 8), i - 1);
      inputs[name] = [String(from), r.int(0, 2)];
    });
    const id = String(i);
    prompt[id] = { class_type: kind.classType, inputs, _meta: { title: `${kind.classType} ${i}` } };
    kinds.set(id, kind);
  }
  return { prompt, kinds, stepMs };
}

// ---- Python-style JSON, as ComfyUI sends it --------------------------------

/** json.dumps with its default ", " and ": " separators; `float` keys print 1 as 1.0. */
function py(value: Json): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(py).join(", ")}]`;
  return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${py(v)}`).join(", ")}}`;
}

const float = (x: number) => (Number.isInteger(x) ? `${x}.0` : String(x));

// ---- the log ---------------------------------------------------------------

class LogFile {
  private chunk: string[] = [];
  private chunkChars = 0;
  bytes = 0;
  lines = 0;

  constructor(private readonly out: WriteStream) {}

  async line(text: string): Promise<void> {
    this.chunk.push(text);
    this.chunkChars += text.length + 1;
    this.lines++;
    if (this.chunkChars >= MB) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.chunk.length === 0) return;
    const data = this.chunk.join("\n") + "\n";
    this.chunk = [];
    this.chunkChars = 0;
    this.bytes += Buffer.byteLength(data);
    if (!this.out.write(data)) await new Promise<void>((resolve) => this.out.once("drain", () => resolve()));
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/** The simulation: a recorder clock, a server clock a few ms behind, polls every POLL_MS. */
class Session {
  mono = 4.3504059999999924;
  private nextPollMs = 5.2;
  private ramFree = 24_113_356_800;
  readonly clientId: string;

  constructor(
    private readonly r: Random,
    private readonly log: LogFile,
    private readonly wall0 = 1_795_620_946_188.2,
  ) {
    this.clientId = r.uuid();
  }

  wall(): number {
    return this.wall0 + this.mono;
  }
  /** The server's own stamp for "now": it sent the message a little before we got it. */
  serverStamp(): number {
    return Math.floor(this.wall() - this.r.real(1, 6));
  }

  /** Moves the clock on by `ms`, writing the stats polls that came back meanwhile. */
  async advance(ms: number): Promise<void> {
    const until = this.mono + ms;
    while (this.nextPollMs + 3 < until) {
      const sent = this.nextPollMs;
      const received = sent + this.r.real(1.2, 3.5);
      this.mono = received;
      await this.stats(sent);
      this.nextPollMs = sent + POLL_MS + this.r.real(0, 1.5);
    }
    this.mono = until;
  }

  /** A tiny step between two messages of a burst. */
  async tick(): Promise<void> {
    await this.advance(this.r.real(0.03, 0.25));
  }

  private stamp(kind: string): string {
    return `{"kind":"${kind}","wallMs":${this.wall()},"monoMs":${this.mono}`;
  }

  async ws(type: string, data: string): Promise<void> {
    await this.log.line(`${this.stamp("ws")},"msg":{"type": "${type}", "data": ${data}}}`);
  }

  async json(kind: string, fields: Record<string, unknown>): Promise<void> {
    const body = JSON.stringify(fields);
    await this.log.line(`${this.stamp(kind)}${body === "{}" ? "" : "," + body.slice(1, -1)}}`);
  }

  async http(method: string, path: string, sentMonoMs: number, request: unknown, status: number, response: unknown): Promise<void> {
    await this.json("http", { method, path, sentMonoMs, request, status, response, error: null });
  }

  private async stats(sentMonoMs: number): Promise<void> {
    this.ramFree += this.r.int(-40, 40) * 1_048_576;
    const response = {
      system: {
        os: "linux",
        ram_total: 25_276_063_744,
        ram_free: this.ramFree,
        comfyui_version: "0.21.0",
        required_frontend_version: "1.43.18",
        installed_templates_version: null,
        required_templates_version: "0.9.73",
        python_version: "3.11.7 (main, May  9 2026, 07:35:25) [GCC 12.2.0]",
        pytorch_version: "2.14.1+cu130",
        embedded_python: false,
        argv: ["main.py", "--listen", "127.0.0.1", "--port", "8188"],
      },
      devices: [
        {
          name: "cuda:0 NVIDIA GeForce RTX 4090 : cudaMallocAsync",
          type: "cuda",
          index: 0,
          vram_total: 25_757_220_864,
          vram_free: 25_757_220_864 - this.r.int(2_000, 12_000) * 1_048_576,
          torch_vram_total: 9_663_676_416,
          torch_vram_free: this.r.int(100, 2_000) * 1_048_576,
        },
      ],
    };
    await this.json("stats", { sentMonoMs, status: 200, response, error: null });
  }
}

function progressEntry(nodeId: string, promptId: string, value: string, max: string, state: string): string {
  return `"${nodeId}": {"value": ${value}, "max": ${max}, "state": "${state}", "node_id": "${nodeId}", "prompt_id": "${promptId}", "display_node_id": "${nodeId}", "parent_node_id": null, "real_node_id": "${nodeId}"}`;
}

/** One prompt, submitted and run to its end. */
async function runPrompt(s: Session, r: Random, runIndex: number, wf: BenchWorkflow): Promise<void> {
  const promptId = r.uuid();
  const nonce = r.int(1, 2 ** 45);
  const prompt: Workflow = Object.fromEntries(
    Object.entries(wf.prompt).map(([id, n]) => [id, { ...n, inputs: { ...n.inputs, comfyprof_nonce: nonce } }]),
  );
  // Every tenth run keeps its loaders cached (a warm model), as a seed-only change would.
  const cached = runIndex % 10 === 9 ? [...wf.kinds].filter(([, k]) => k.loader).map(([id]) => id) : [];
  const pid = JSON.stringify(promptId);

  await s.json("note", { note: "run-start", run: runIndex, promptId, warmup: runIndex === 0, cacheState: "model-warm", nonceMethod: "nonce-input", prompt });
  const sent = s.mono;
  await s.advance(r.real(3, 8));
  await s.http("POST", "/prompt", sent, { prompt, client_id: s.clientId }, 200, { prompt_id: promptId, number: runIndex, node_errors: {} });
  const createTime = s.serverStamp();
  await s.advance(r.real(2, 10));
  await s.ws("logs", `{"entries": [{"t": "2026-11-25T15:35:46.266358", "m": "got prompt\\n"}], "size": null}`);
  await s.tick();
  await s.ws("status", `{"status": {"exec_info": {"queue_remaining": 1}}}`);
  await s.tick();
  const startStamp = s.serverStamp();
  await s.ws("execution_start", `{"prompt_id": ${pid}, "timestamp": ${startStamp}}`);
  await s.tick();
  await s.ws("execution_cached", `{"nodes": ${py(cached)}, "prompt_id": ${pid}, "timestamp": ${s.serverStamp()}}`);

  // Node ids are in topological order (every link points back), as ComfyUI would run this chain.
  const failAt = runIndex % 97 === 96 ? r.int(3, wf.kinds.size - 1) : -1;
  const finished: string[] = [];
  const outputs: Record<string, unknown> = {};
  const state = (running: string) => `{"prompt_id": ${pid}, "nodes": {${[...finished, running].join(", ")}}}`;
  let index = 0;
  for (const [id, kind] of wf.kinds) {
    index++;
    if (cached.includes(id)) continue;
    await s.tick();
    await s.ws("progress_state", state(progressEntry(id, promptId, "0.0", "1.0", "running")));
    await s.tick();
    await s.ws("executing", `{"node": "${id}", "display_node": "${id}", "prompt_id": ${pid}}`);
    if (index === failAt) {
      await s.advance(r.real(2, 20));
      await s.ws(
        "execution_error",
        `{"prompt_id": ${pid}, "node_id": "${id}", "node_type": "${kind.classType}", "executed": ${py(finished.map((e) => e.slice(1, e.indexOf('"', 1))))}, "exception_message": "CUDA out of memory", "exception_type": "torch.OutOfMemoryError", "traceback": ["Traceback (most recent call last):\\n", "  File \\"execution.py\\", line 496, in execute\\n"], "current_inputs": {}, "current_outputs": {}, "timestamp": ${s.serverStamp()}}`,
      );
      await finishPrompt(s, r, promptId, runIndex, createTime, startStamp, prompt, outputs, "error");
      return;
    }
    if (kind.loader) {
      await s.advance(r.real(10, 60));
      await s.ws("logs", `{"entries": [{"t": "2026-11-25T15:35:47.012345", "m": "Requested to load ${kind.classType}\\n"}, {"t": "2026-11-25T15:35:47.112345", "m": "loaded completely 9.5 GB\\n"}], "size": null}`);
    }
    if (kind.sampler) {
      const steps = Number(prompt[id]!.inputs.steps);
      for (let step = 1; step <= steps; step++) {
        await s.advance(r.real(...wf.stepMs));
        await s.ws("progress_state", state(progressEntry(id, promptId, String(step), String(steps), "running")));
        await s.tick();
        await s.ws("progress", `{"value": ${step}, "max": ${steps}, "prompt_id": ${pid}, "node": "${id}"}`);
        if (step % 4 === 0) {
          await s.tick();
          const meta = { image_type: "image/jpeg", node_id: id, display_node_id: id, parent_node_id: null, real_node_id: id, prompt_id: promptId };
          await s.json("ws-binary", { eventType: 4, bytes: r.int(18_000, 60_000), imageFormat: "image/jpeg", nodeId: id, meta });
        }
      }
    } else {
      await s.advance(r.real(0.5, 25));
    }
    finished.push(progressEntry(id, promptId, float(1), float(1), "finished"));
    await s.ws("progress_state", `{"prompt_id": ${pid}, "nodes": {${finished.join(", ")}}}`);
    if (kind.output) {
      const images = [{ filename: `bench_${String(runIndex).padStart(5, "0")}_.png`, subfolder: kind.classType === "SaveImage" ? "comfyprof" : "", type: kind.classType === "SaveImage" ? "output" : "temp" }];
      outputs[id] = { images };
      await s.tick();
      await s.ws("executed", `{"node": "${id}", "display_node": "${id}", "output": ${py({ images })}, "prompt_id": ${pid}}`);
    }
  }
  await s.tick();
  await s.ws("execution_success", `{"prompt_id": ${pid}, "timestamp": ${s.serverStamp()}}`);
  await finishPrompt(s, r, promptId, runIndex, createTime, startStamp, prompt, outputs, "success");
}

async function finishPrompt(
  s: Session, r: Random, promptId: string, runIndex: number, createTime: number, startStamp: number,
  prompt: Workflow, outputs: Record<string, unknown>, outcome: "success" | "error",
): Promise<void> {
  const pid = JSON.stringify(promptId);
  const endStamp = s.serverStamp();
  await s.tick();
  await s.ws("status", `{"status": {"exec_info": {"queue_remaining": 0}}}`);
  await s.tick();
  await s.ws("executing", `{"node": null, "prompt_id": ${pid}}`);
  await s.tick();
  await s.ws("logs", `{"entries": [{"t": "2026-11-25T15:35:48.380818", "m": "Prompt executed in ${((endStamp - startStamp) / 1000).toFixed(2)} seconds\\n"}], "size": null}`);
  const sent = s.mono;
  await s.advance(r.real(1, 3));
  const outputIds = Object.entries(prompt).filter(([, n]) => n.class_type === "SaveImage" || n.class_type === "PreviewImage").map(([id]) => id);
  const history = {
    [promptId]: {
      prompt: [runIndex, promptId, prompt, { client_id: s.clientId, create_time: createTime }, outputIds],
      outputs,
      status: {
        status_str: outcome,
        completed: outcome === "success",
        messages: [
          ["execution_start", { prompt_id: promptId, timestamp: startStamp }],
          [outcome === "success" ? "execution_success" : "execution_error", { prompt_id: promptId, timestamp: endStamp }],
        ],
      },
      meta: Object.fromEntries(Object.keys(outputs).map((id) => [id, { node_id: id, display_node: id, parent_node: null, real_node_id: id }])),
    },
  };
  await s.http("GET", `/history/${promptId}`, sent, null, 200, history);
  await s.json("note", { note: "run-end", run: runIndex, promptId, outcome, via: "ws" });
  await s.advance(r.real(0.2, 2));
}

/** Writes the log; stops after the run that takes it past `targetBytes`. */
export async function generateLog(options: GenerateOptions): Promise<GenerateResult> {
  const r = new Random(options.seed ?? 20_261_125);
  const log = new LogFile(createWriteStream(options.path));
  const s = new Session(r, log, options.startWallMs);
  // A handful of workflows, 20–60 nodes, cycled through: a long session of several benchmarks.
  // Most sample in steps of a few ms; one is a slow one (seconds per run, so dozens of polls per run).
  const [fewest, most] = options.nodes ?? [20, 60];
  const count = options.workflows ?? 6;
  const w = options.workflowSeed === undefined ? r : new Random(options.workflowSeed);
  const workflows = Array.from({ length: count }, (_, i) => makeWorkflow(w, w.int(fewest, most), i === 5 ? [60, 250] : [2, 8]));
  await s.json("header", {
    format: "comfyprof-events",
    version: "1.0",
    recorder: { name: "comfyprof", version: "0.1.0", node: "v20.20.2" },
    serverUrl: SERVER,
    clientId: s.clientId,
    workflow: { sourceName: "bench.json", prompt: workflows[0]!.prompt },
    plan: { runs: 0, warmup: 1, cacheState: "model-warm", pollMs: POLL_MS, keepPreviews: false, timeoutMs: null, interruptOnExit: true },
    host: { timeZone: "Europe/Berlin", utcOffsetMin: 60, platform: "linux" },
    label: options.label ?? "synthetic benchmark log",
  });
  await s.advance(60);
  await s.json("note", { note: "ws-open" });
  await s.tick();
  await s.ws("status", `{"status": {"exec_info": {"queue_remaining": 0}}, "sid": "${s.clientId}"}`);
  await s.ws("feature_flags", `{"supports_preview_metadata": true, "max_upload_size": 104857600}`);
  await s.json("note", { note: "logs-subscribed", message: "subscribed" });
  let runs = 0;
  while (options.runs === undefined ? log.bytes < options.targetBytes : runs < options.runs) {
    await runPrompt(s, r, runs, workflows[runs % workflows.length]!);
    runs++;
    await log.flush();
  }
  await s.json("end", { reason: "done", message: null, runsCompleted: runs });
  await log.close();
  return { path: options.path, bytes: (await stat(options.path)).size, lines: log.lines, prompts: runs };
}

/**
 * `count` small recordings of one workflow, as a team's CI would keep them (one per build): each
 * `runs` runs (the first a warm-up) of the same `nodes`-node workflow, an hour apart, labelled
 * "build N". For the many-recordings rows of the bench (trend, compare, analyze over them all).
 */
export async function generateRecordings(dir: string, count: number, runs: number, nodes: number): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `build-${String(i).padStart(5, "0")}.ndjson`);
    await generateLog({
      path, targetBytes: 0, runs, seed: 1_000 + i, nodes: [nodes, nodes], workflows: 1, workflowSeed: 7,
      startWallMs: 1_795_620_946_188.2 + i * 3_600_000, label: `build ${i}`,
    });
    paths.push(path);
  }
  return paths;
}

/** `source` gzipped (default level, as `gzip` would) to `target`. */
export async function gzipFile(source: string, target: string): Promise<number> {
  await pipeline(createReadStream(source), createGzip(), createWriteStream(target));
  return (await stat(target)).size;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2).filter((a) => a !== "--gzip");
  const sizeMb = Number(args[0] ?? 300);
  const path = args[1] ?? join(tmpdir(), `comfyprof-bench-${sizeMb}MB.ndjson`);
  const result = await generateLog({ path, targetBytes: sizeMb * MB });
  process.stdout.write(`${result.path}: ${(result.bytes / MB).toFixed(1)} MB, ${result.lines} lines, ${result.prompts} prompts\n`);
  if (process.argv.includes("--gzip")) process.stdout.write(`${path}.gz: ${((await gzipFile(path, `${path}.gz`)) / MB).toFixed(1)} MB\n`);
}
