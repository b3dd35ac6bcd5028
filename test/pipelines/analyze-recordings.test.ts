// Every real recording under samples/recordings/: analyzed, it gives the figures
// in its expected.json, every test node's duration is within tolerance of the
// truth the node itself wrote, the JSON matches the published schema, and
// reading the file in 64-byte chunks gives the same profile.

import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";
import type { Analysis, RunProfile } from "../../src/model/profile.js";
import { readTruth, trueDurationMs } from "../support/truth.js";

const root = fileURLToPath(new URL("../../samples/recordings/", import.meta.url));
const cases = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const profileSchema = JSON.parse(readFileSync(new URL("../../schemas/profile.v1.schema.json", import.meta.url), "utf8"));
const validateProfile = new Ajv({ allErrors: true, strict: false }).compile(profileSchema);

/**
 * Receipt-derived node durations against the nodes' own truth (docs/accuracy.md):
 * within 4 ms on this CPU server, except where a node holds the GIL (see ram-chain).
 */
const DEFAULT_TIMING_TOLERANCE_MS = 4;

interface Approx {
  value: number;
  tolerance: number;
}
interface ExpectedRun {
  warmup: boolean;
  outcome: string;
  outcomeNodeId?: string;
  outcomeNodeType?: string;
  cacheState?: string;
  nonceMethod?: string;
  counts: Record<string, number>;
  criticalPath?: string[];
  criticalPathStartsWith?: string[];
  criticalPathMs?: Approx;
  speedup?: Approx;
  parallelizability?: Approx;
  band?: string;
  overlapObserved?: boolean;
  noBottlenecks?: boolean;
  bottleneckKinds?: Record<string, string>;
  validationErrors?: { nodeId: string; classType: string; inputName: string }[];
  nodes?: Record<string, { status?: string; durationKind?: string; executions?: number; intervals?: number; children?: string[]; slackMs?: Approx }>;
}
interface Expected {
  runs: ExpectedRun[];
  timingToleranceMs?: number;
  ramNode?: { nodeId: string; minRiseBytes: number };
}

function near(actual: number | null, want: Approx, what: string): void {
  expect(actual, what).not.toBeNull();
  expect(Math.abs(actual! - want.value), `${what}: ${actual} vs ${want.value} ± ${want.tolerance}`).toBeLessThanOrEqual(want.tolerance);
}

function checkRun(run: RunProfile, want: ExpectedRun): void {
  expect(run.source.warmup).toBe(want.warmup);
  expect(run.outcome.status).toBe(want.outcome);
  if (want.outcomeNodeId) expect(run.outcome.nodeId).toBe(want.outcomeNodeId);
  if (want.outcomeNodeType) expect(run.outcome.nodeType).toBe(want.outcomeNodeType);
  if (want.cacheState) expect(run.source.cacheState).toBe(want.cacheState);
  if (want.nonceMethod) expect(run.source.nonceMethod).toBe(want.nonceMethod);
  expect(run.counts).toEqual(want.counts);
  const cp = run.criticalPath;
  if (want.criticalPath) expect(cp.nodeIds).toEqual(want.criticalPath);
  if (want.criticalPathStartsWith) expect(cp.nodeIds.slice(0, want.criticalPathStartsWith.length)).toEqual(want.criticalPathStartsWith);
  if (want.criticalPathMs) near(cp.lengthMs, want.criticalPathMs, "critical path length");
  if (want.speedup) near(cp.speedup, want.speedup, "speedup");
  if (want.parallelizability) near(cp.parallelizability, want.parallelizability, "parallelizability");
  if (want.band) expect(cp.band).toBe(want.band);
  if (want.overlapObserved !== undefined) expect(cp.overlapObserved).toBe(want.overlapObserved);
  if (want.noBottlenecks) expect(run.bottlenecks).toEqual([]);
  for (const [nodeId, kind] of Object.entries(want.bottleneckKinds ?? {})) {
    expect(run.bottlenecks.find((b) => b.nodeId === nodeId)?.kind, `bottleneck ${nodeId}`).toBe(kind);
  }
  if (want.validationErrors) expect(run.outcome.validationErrors).toMatchObject(want.validationErrors);
  for (const [nodeId, w] of Object.entries(want.nodes ?? {})) {
    const node = run.nodes.find((n) => n.nodeId === nodeId)!;
    if (w.status) expect(node.status, `node ${nodeId} status`).toBe(w.status);
    if (w.durationKind) expect(node.durationKind, `node ${nodeId} measure`).toBe(w.durationKind);
    if (w.executions) expect(node.executions).toBe(w.executions);
    if (w.intervals) expect(node.intervals).toHaveLength(w.intervals);
    if (w.children) expect(node.children.map((c) => c.nodeId)).toEqual(w.children);
    if (w.slackMs) near(node.slackMs, w.slackMs, `node ${nodeId} slack`);
  }
}

function chunked(path: string, size: number): Readable {
  return createReadStream(path, { highWaterMark: size });
}

describe("pipelines/analyze on the real recordings", () => {
  for (const name of cases) {
    describe(name, () => {
      const dir = `${root}${name}`;
      const expected = JSON.parse(readFileSync(`${dir}/expected.json`, "utf8")) as Expected;
      let analysis: Analysis;
      beforeAll(async () => {
        analysis = await analyzeFiles([`${dir}/run.ndjson`]);
      });

      it("gives the expected figures", () => {
        expect(analysis.runs).toHaveLength(expected.runs.length);
        analysis.runs.forEach((run, i) => checkRun(run, expected.runs[i]!));
      });

      it("times every test node within tolerance of the node's own truth", () => {
        const truth = readTruth(`${dir}/truth.ndjson`);
        const tolerance = expected.timingToleranceMs ?? DEFAULT_TIMING_TOLERANCE_MS;
        let compared = 0;
        for (const run of analysis.runs) {
          for (const node of run.nodes) {
            if (node.durationKind === null || node.durationMs === null) continue;
            const truthMs = trueDurationMs(truth, run.promptId, node.nodeId, node.durationKind);
            if (truthMs === null) continue;
            compared++;
            expect(Math.abs(node.durationMs - truthMs), `${name} node ${node.nodeId}: ${node.durationMs.toFixed(2)} ms vs truth ${truthMs.toFixed(2)} ms`).toBeLessThanOrEqual(tolerance);
          }
        }
        expect(compared).toBe(new Set(truth.map((t) => `${t.prompt_id}/${t.node_id.split(".")[0]}`)).size);
      });

      if (expected.ramNode) {
        it("attributes the RAM peak to the node that allocated it", () => {
          const { nodeId, minRiseBytes } = expected.ramNode!;
          const run = analysis.runs[0]!;
          const ramNode = run.nodes.find((n) => n.nodeId === nodeId)!;
          const others = run.nodes.filter((n) => n.nodeId !== nodeId && n.memory.peakRamBytes !== null);
          expect(ramNode.memory.peakRamBytes).not.toBeNull();
          for (const o of others) expect(ramNode.memory.peakRamBytes!).toBeGreaterThan(o.memory.peakRamBytes!);
          expect(ramNode.memory.peakRamBytes).toBe(run.memory.ram!.peakUsedBytes);
          expect(run.memory.ram!.peakUsedBytes! - run.memory.ram!.baselineBytes!).toBeGreaterThanOrEqual(minRiseBytes);
        });
      }

      it("writes JSON that matches schemas/profile.v1.schema.json", () => {
        const json = JSON.parse(JSON.stringify(analysis));
        const ok = validateProfile(json);
        expect(validateProfile.errors ?? [], "schema errors").toEqual([]);
        expect(ok).toBe(true);
      });

      it("gives the same profile when the log arrives in 64-byte chunks", async () => {
        const fromChunks = await analyzeFiles(["-"], { stdin: chunked(`${dir}/run.ndjson`, 64) });
        const strip = (a: Analysis) => JSON.parse(JSON.stringify({ ...a, inputs: [], runs: a.runs.map((r) => ({ ...r, source: { ...r.source, file: "" }, diagnostics: r.diagnostics.map((d) => ({ ...d, file: "" })) })) }));
        expect(strip(fromChunks)).toEqual(strip(analysis));
      });
    });
  }
});
