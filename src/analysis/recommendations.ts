// Recommendations: rules as data. Each rule looks at one run (and the run
// before it in the same log) and returns zero or more recommendations, each
// naming the numbers that triggered it. A new rule is one entry in RULES.

import type { CriticalPath, Finding, ModelLoads, Recommendation } from "../model/profile.js";
import type { AnalyzeOptions, RunAnalysisInput } from "./run-analyser.js";
import { cacheSignatures } from "./cache-signature.js";
import { loadingMs, loadsOf } from "./model-loads.js";

/** What a rule reads: the run, the one before it, and what the critical-path and bottleneck analysers found. */
export type RuleInput = Pick<RunAnalysisInput, "run" | "previous"> & { criticalPath: CriticalPath; bottlenecks: Finding[]; modelLoads?: ModelLoads };

export interface RecommendationRule {
  id: string;
  /** What the rule checks, for docs/metrics.md. */
  checks: string;
  evaluate(input: RuleInput): Recommendation[];
}

/** A sampler holding this share of the critical path sets the run's pace. */
export const SAMPLER_CP_SHARE = 0.5;
/** metrics.md: VRAM "within 5 % of total". */
export const VRAM_NEAR_FULL = 0.95;
/** Queue wait worth a word: at least this long and longer than the execution itself. */
export const QUEUE_WAIT_MIN_MS = 500;
/** Gaps worth a word: at least this share of execution and this long. */
export const GAP_SHARE = 0.25;
export const GAP_MIN_MS = 200;
/** Server log lines that show a model being loaded (ComfyUI's model_management). */
export const MODEL_LOAD_PATTERN = /Requested to load|loaded completely|loaded partially|Loading \d+ new models?/i;

const s1 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const pct = (x: number) => `${Math.round(x * 100)} %`;
const gb = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GB`;

export const RULES: readonly RecommendationRule[] = [
  {
    id: "sampler-dominates-critical-path",
    checks: `a sampler node holds at least ${SAMPLER_CP_SHARE * 100} % of the critical path`,
    evaluate({ run, criticalPath }) {
      if (criticalPath.lengthMs <= 0) return [];
      return run.nodes
        .filter((n) => /sampler/i.test(n.classType) && criticalPath.nodeIds.includes(n.nodeId) && (n.durationMs ?? 0) / criticalPath.lengthMs >= SAMPLER_CP_SHARE)
        .map((n) => {
          const share = n.durationMs! / criticalPath.lengthMs;
          return {
            rule: "sampler-dominates-critical-path",
            message:
              `${n.classType} #${n.nodeId} takes ${pct(share)} of the critical path (${s1(n.durationMs!)} of ${s1(criticalPath.lengthMs)}): ` +
              `fewer steps, a faster sampler or scheduler, a lower resolution or batch size, or a distilled model shortens the run most.`,
            evidence: { durationMs: n.durationMs!, criticalPathMs: criticalPath.lengthMs, share, stepsPerSec: n.progress?.stepsPerSec ?? null },
            nodeIds: [n.nodeId],
          };
        });
    },
  },
  {
    id: "vram-near-full",
    checks: `a GPU's peak used memory within ${Math.round((1 - VRAM_NEAR_FULL) * 100)} % of its total`,
    evaluate({ run }) {
      return run.memory.devices.flatMap((d) => {
        if (d.totalBytes === null || d.peakUsedBytes === null || d.peakUsedBytes < VRAM_NEAR_FULL * d.totalBytes) return [];
        const share = d.peakUsedBytes / d.totalBytes;
        return [{
          rule: "vram-near-full",
          message:
            `${d.name}: memory peaked at ${gb(d.peakUsedBytes)} of ${gb(d.totalBytes)} (${pct(share)}): the next larger image or batch may run out or fall back to slow offloading; ` +
            `try a lower resolution or batch, tiled VAE decode, fp8/quantized weights, or --lowvram.`,
          evidence: { device: d.name, peakUsedBytes: d.peakUsedBytes, totalBytes: d.totalBytes, share, sampleIntervalMs: run.memory.sampleIntervalMs },
          nodeIds: [],
        }];
      });
    },
  },
  {
    id: "out-of-vram",
    checks: "a model loaded only partially (part left on the CPU) or models unloaded to make room, per the server's log lines",
    evaluate({ run, modelLoads }) {
      const partial = (modelLoads?.loads ?? []).filter((l) => l.partial);
      if (partial.length === 0 && !(modelLoads && modelLoads.unloadedMb > 0)) return [];
      const left = partial.reduce((sum, l) => sum + (l.offloadedMb ?? 0), 0);
      const device = run.memory.devices.find((d) => d.peakUsedBytes !== null);
      const peak = device && device.totalBytes ? ` (${device.name} peaked at ${gb(device.peakUsedBytes!)} of ${gb(device.totalBytes)})` : "";
      const what = partial.length
        ? `${partial.map((l) => l.model ?? "a model").join(", ")} loaded only partially, ${Math.round(left)} MB left on the CPU`
        : `${Math.round(modelLoads!.unloadedMb)} MB of models unloaded to make room`;
      return [{
        rule: "out-of-vram",
        message: `Too little VRAM: ${what}${peak}. Offloaded layers run from system RAM, slowly; try smaller/quantized weights (fp8, GGUF), a lower resolution or batch, or --lowvram / --reserve-vram to trade speed for fitting.`,
        evidence: { partialLoads: partial.length, offloadedMb: left, unloadedMb: modelLoads?.unloadedMb ?? 0, device: device?.name ?? null, peakUsedBytes: device?.peakUsedBytes ?? null, totalBytes: device?.totalBytes ?? null },
        nodeIds: [...new Set(partial.flatMap((l) => (l.nodeId ? [l.nodeId] : [])))],
      }];
    },
  },
  {
    id: "unchanged-nodes-reexecuted",
    checks: "nodes with the same inputs as in the previous prompt re-ran although the server's cache could have kept them",
    evaluate({ run, previous }) {
      if (!previous || run.source.cacheState === "cold" || run.source.nonceMethod === "nonce-input") return [];
      const argv = run.environment?.argv ?? [];
      if (argv.includes("--cache-none")) return [];
      const anyPrompt = argv.includes("--cache-lru") || argv.includes("--cache-ram");
      // The default cache keeps only the last prompt's outputs.
      if (!anyPrompt && previous.workflow.fingerprint !== run.workflow.fingerprint) return [];
      const before = new Set(cacheSignatures(previous.prompt).values());
      const now = cacheSignatures(run.prompt);
      const rerun = run.nodes.filter((n) => n.status === "executed" && before.has(now.get(n.nodeId) ?? ""));
      if (rerun.length === 0) return [];
      const wastedMs = rerun.reduce((a, n) => a + (n.durationMs ?? 0), 0);
      return [{
        rule: "unchanged-nodes-reexecuted",
        message:
          `${rerun.length} node(s) re-ran with the same inputs as in the previous prompt (${rerun.slice(0, 5).map((n) => `#${n.nodeId} ${n.classType}`).join(", ")}${rerun.length > 5 ? ", …" : ""}), ${s1(wastedMs)} in all: ` +
          `something defeats the cache, e.g. a node whose IS_CHANGED always differs, another client's prompt in between, or memory pressure under --cache-ram.`,
        evidence: { nodes: rerun.length, wastedMs, previousPromptId: previous.promptId },
        nodeIds: rerun.map((n) => n.nodeId),
      }];
    },
  },
  {
    id: "queue-wait-dominates",
    checks: `the prompt waited in the queue at least ${QUEUE_WAIT_MIN_MS} ms and longer than it ran`,
    evaluate({ run }) {
      const { queueWaitMs, executionMs } = run.timing;
      if (queueWaitMs === null || executionMs === null || queueWaitMs < QUEUE_WAIT_MIN_MS || queueWaitMs <= executionMs) return [];
      return [{
        rule: "queue-wait-dominates",
        message: `the prompt waited ${s1(queueWaitMs)} in the queue, longer than it ran (${s1(executionMs)}): the server was busy with other prompts; profile on an idle server, or add capacity.`,
        evidence: { queueWaitMs, executionMs, source: run.timing.queueWaitSource },
        nodeIds: [],
      }];
    },
  },
  {
    id: "large-gaps",
    checks: `no node ran for at least ${GAP_SHARE * 100} % of the execution time and ${GAP_MIN_MS} ms`,
    evaluate({ run }) {
      const { gapMs, executionMs, largestGapMs } = run.timing;
      if (gapMs === null || executionMs === null || executionMs <= 0 || gapMs < GAP_MIN_MS || gapMs / executionMs < GAP_SHARE) return [];
      return [{
        rule: "large-gaps",
        message:
          `${s1(gapMs)} (${pct(gapMs / executionMs)}) of the execution had no node running (largest stretch ${s1(largestGapMs ?? 0)}): ` +
          `cache checks and IS_CHANGED before the first node, memory freeing after each node under --cache-ram, or model management between nodes.`,
        evidence: { gapMs, executionMs, largestGapMs, share: gapMs / executionMs },
        nodeIds: [],
      }];
    },
  },
  {
    id: "cold-model-load",
    checks: "the server's log shows models being loaded during the run",
    evaluate({ run }) {
      const lines = run.serverLog.filter((l) => MODEL_LOAD_PATTERN.test(l.text));
      if (lines.length === 0) return [];
      const first = lines[0]!.text.trim().split("\n")[0]!.slice(0, 120);
      return [{
        rule: "cold-model-load",
        message:
          `models were loaded during this run (${lines.length} log line(s), e.g. "${first}"): its time includes loading. ` +
          `Compare warm runs (record --warmup 1) to see the steady state; keep models loaded between prompts if the server unloads them.`,
        evidence: { lines: lines.length, firstLine: first, firstAtMs: lines[0]!.atMs },
        nodeIds: [],
      }];
    },
  },
  {
    id: "slow-first-step",
    checks: "a node's first progress step took much longer than its steady steps",
    evaluate({ run, modelLoads }) {
      return run.nodes.flatMap((n) => {
        const p = n.progress;
        if (!p?.firstStepSlower || p.steadyStepMs === null || p.firstStepMs === null) return [];
        const start = n.intervals[0]?.startMs ?? 0;
        const loading = Math.min(p.firstStepMs, loadingMs(loadsOf(n.nodeId, modelLoads?.loads ?? []).filter((l) => l.startMs < start + p.firstStepMs!)));
        const setUpMs = Math.max(0, p.firstStepMs - p.firstValue * p.steadyStepMs);
        return [{
          rule: "slow-first-step",
          message:
            `${n.classType} #${n.nodeId}: the first ${p.firstValue} step(s) came after ${s1(p.firstStepMs)}, steady steps take ${p.steadyStepMs.toFixed(0)} ms (median): ` +
            `set-up before the loop costs about ${s1(setUpMs)}` +
            (loading > 0 ? `, ${s1(loading)} of it loading models (the server's log), the rest warm-up or compilation.` : ` (model transfer, compilation, warm-up).`),
          evidence: { firstStepMs: p.firstStepMs, firstValue: p.firstValue, steadyStepMs: p.steadyStepMs, loadMs: loading },
          nodeIds: [n.nodeId],
        }];
      });
    },
  },
];

/** Every rule's recommendations for the run (the rules are RULES unless given: tests add their own). */
export function recommend(input: RuleInput, options: AnalyzeOptions & { rules?: readonly RecommendationRule[] } = {}): Recommendation[] {
  return (options.rules ?? RULES).flatMap((r) => r.evaluate(input));
}
