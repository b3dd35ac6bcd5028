// How each case under samples/recordings/ is recorded: which workflow, with
// which options. The live tests record every case against a real server
// (and can refresh the committed recordings); the replay tests record every
// case again against `comfyprof replay` of its committed log.

import type { RecordOptions } from "../../recorder/record.js";

export interface RecordingCase {
  name: string;
  /** File under samples/workflows/. */
  workflow: string;
  options: Partial<RecordOptions>;
  /** Send POST /interrupt this long after the recording starts. */
  interruptAfterMs?: number;
  /** How the recording ends (record's end reason). */
  endReason: "done" | "error";
  /** A VAE file the server must have in models/vae (test/live/make-random-taesd.py makes it). */
  needsVae?: string;
}

export const RECORDING_CASES: readonly RecordingCase[] = [
  { name: "image-pipeline", workflow: "image-pipeline.json", options: {}, endReason: "done" },
  { name: "parallel-branches", workflow: "parallel-branches.json", options: {}, endReason: "done" },
  { name: "cache-warm", workflow: "image-pipeline.json", options: { cacheState: "cache-warm", warmup: 1, runs: 1 }, endReason: "done" },
  { name: "model-warm", workflow: "image-pipeline.json", options: { warmup: 1, runs: 1 }, endReason: "done" },
  { name: "cold", workflow: "image-pipeline.json", options: { cacheState: "cold", runs: 2 }, endReason: "done" },
  { name: "error-mid-run", workflow: "error-mid-run.json", options: {}, endReason: "done" },
  { name: "interrupt", workflow: "interrupt.json", options: {}, interruptAfterMs: 2500, endReason: "done" },
  { name: "validation-failure", workflow: "validation-failure.json", options: {}, endReason: "error" },
  { name: "ram-chain", workflow: "ram-chain.json", options: {}, endReason: "done" },
  { name: "benchmark", workflow: "benchmark.json", options: { warmup: 1, runs: 10 }, endReason: "done" },
  { name: "async-lazy-expand", workflow: "async-lazy-expand.json", options: {}, endReason: "done" },
  { name: "async-beside-sync", workflow: "async-beside-sync.json", options: {}, endReason: "done" },
  // Six 3 s runs cross ComfyUI's 10 s garbage-collection interval: one run's last messages are held back.
  // A node that holds Python's GIL as it starts: the previous end and its own start arrive late together.
  { name: "gil-hold", workflow: "gil-hold.json", options: {}, endReason: "done" },
  // A real model load: a random-weight TAESD (made at test time) decoded on the CPU; the load lines from the server's log.
  { name: "model-load", workflow: "model-load.json", options: { cacheState: "cold", runs: 2 }, endReason: "done", needsVae: "comfyprof_random_taesd.safetensors" },
  // A node that loads a model, warms up and steps at known times: its phases held to the truth.
  { name: "model-steps", workflow: "model-steps.json", options: { cacheState: "cold", runs: 3 }, endReason: "done", needsVae: "comfyprof_random_taesd.safetensors" },
  { name: "gc-chain", workflow: "gc-chain.json", options: { runs: 6 }, endReason: "done" },
];

/** Recordings are made with dense memory samples: small workflows, short nodes. */
export const RECORDING_POLL_MS = 100;
