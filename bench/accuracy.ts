// `npm run accuracy [-- DIR]`: how far comfyprof's node timings are from what the
// server really did, over the committed real recordings. The test nodes wrote
// their own start/end (server wall clock) to truth.ndjson; server times are
// put on the recorder's clock with the run's minimum offset (see
// src/fold/server-clock.ts), which leaves the minimal delivery delay (~1–2 ms)
// in every boundary: durations cancel it, boundaries show it.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { analyzeFiles } from "../pipelines/analyze.js";
import { collectLog } from "../pipelines/read-log.js";
import { INSIDE_TOLERANCE_MS, insideNodeRows, type InsideMeasure, type InsideRow } from "../test/support/inside-truth.js";
import { readTruth, trueDurationMs } from "../test/support/truth.js";

// Another folder of recordings (e.g. a live test's, which keeps each case's run.ndjson and truth.ndjson) can be given.
const root = process.argv[2] ?? fileURLToPath(new URL("../../samples/recordings/", import.meta.url));

interface Row {
  recording: string;
  nodeId: string;
  kind: string;
  /** The ± the node states for its time when something beyond the receipt jitter widened its bounds; null otherwise. */
  statedMs: number | null;
  durationErrMs: number;
  startErrMs: number | null;
  endErrMs: number | null;
}

async function measure(name: string): Promise<Row[]> {
  const dir = join(root, name);
  const truth = readTruth(join(dir, "truth.ndjson"));
  if (truth.length === 0) return [];
  const analysis = await analyzeFiles([join(dir, "run.ndjson")]);
  const { events } = await collectLog(join(dir, "run.ndjson"), { lenient: false });
  const rows: Row[] = [];
  for (const run of analysis.runs) {
    // Recorder wall − server stamp, smallest over this prompt's stamped messages; and the recorder's wall − mono.
    let minOffset = Infinity;
    let wallMinusMono = 0;
    for (const e of events) {
      if (e.kind !== "ws" || !("serverWallMs" in e.event) || e.event.serverWallMs === null || e.event.promptId !== run.promptId) continue;
      const offset = e.wallMs - e.event.serverWallMs;
      if (offset < minOffset) [minOffset, wallMinusMono] = [offset, e.wallMs - e.monoMs];
    }
    const base = run.timing.executionStartMonoMs!;
    const rel = (serverMs: number) => serverMs + minOffset - wallMinusMono - base;
    for (const node of run.nodes) {
      if (node.durationKind === null || node.durationMs === null) continue;
      const truthMs = trueDurationMs(truth, run.promptId, node.nodeId, node.durationKind);
      if (truthMs === null) continue;
      const own = truth.filter((t) => t.prompt_id === run.promptId && (t.node_id === node.nodeId || t.node_id.startsWith(`${node.nodeId}.`)));
      const first = node.intervals[0];
      const endMs = first && node.spanMs !== null ? first.startMs + node.spanMs : null;
      rows.push({
        recording: name,
        nodeId: node.nodeId,
        kind: node.durationKind,
        statedMs: node.boundaryUncertain ? (node.uncertainty?.durationPlusMinusMs ?? null) : null,
        durationErrMs: node.durationMs - truthMs,
        startErrMs: first ? first.startMs - rel(Math.min(...own.map((t) => t.start_ms))) : null,
        endErrMs: endMs === null ? null : endMs - rel(Math.max(...own.map((t) => t.end_ms))),
      });
    }
  }
  return rows;
}

function summary(values: number[]): string {
  const abs = values.map(Math.abs).sort((a, b) => a - b);
  const sorted = [...values].sort((a, b) => a - b);
  const med = (xs: number[]) => (xs.length % 2 ? xs[xs.length >> 1]! : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2);
  return `median ${med(sorted).toFixed(2)} ms, median |err| ${med(abs).toFixed(2)} ms, max |err| ${abs.at(-1)!.toFixed(2)} ms (n=${values.length})`;
}

const rows = (await Promise.all(readdirSync(root).sort().map(measure))).flat();
for (const r of rows) {
  process.stdout.write(`${r.recording.padEnd(18)} node ${r.nodeId.padEnd(3)} ${r.kind.padEnd(9)} duration ${r.durationErrMs.toFixed(2).padStart(7)}  start ${r.startErrMs?.toFixed(2).padStart(7)}  end ${r.endErrMs?.toFixed(2).padStart(7)}\n`);
}
// Nodes that state an uncertainty are held to it; the rest, where nothing delayed delivery, to a few ms.
const stated = rows.filter((r) => r.statedMs !== null);
const plain = rows.filter((r) => r.statedMs === null);
process.stdout.write(`\nduration error (ours − truth), all:                 ${summary(rows.map((r) => r.durationErrMs))}\n`);
process.stdout.write(`duration error, nodes with no stated uncertainty:  ${summary(plain.map((r) => r.durationErrMs))}\n`);
process.stdout.write(`start error, same nodes:                           ${summary(plain.filter((r) => r.startErrMs !== null).map((r) => r.startErrMs!))}\n`);
process.stdout.write(`end error, same nodes:                             ${summary(plain.filter((r) => r.endErrMs !== null).map((r) => r.endErrMs!))}\n`);
if (stated.length > 0) {
  const within = stated.filter((r) => Math.abs(r.durationErrMs) <= r.statedMs! + 4).length;
  process.stdout.write(`nodes with a stated ±: ${stated.length}; their truth within the ± (+ 4 ms receipt tolerance): ${within} of ${stated.length}; largest error ${Math.max(...stated.map((r) => Math.abs(r.durationErrMs))).toFixed(2)} ms\n`);
}

// Inside the node (docs/accuracy.md "Load vs compute, first step vs steady steps"): model loads timed
// around load_models_gpu, and ComfyprofModelSteps' steps, against loadSplit and phases.
async function measureInside(name: string): Promise<(InsideRow & { recording: string })[]> {
  const dir = join(root, name);
  const truthPath = join(dir, "truth.ndjson");
  if (readTruth(truthPath).length === 0 && !insideTruthPresent(truthPath)) return [];
  const analysis = await analyzeFiles([join(dir, "run.ndjson")]);
  return insideNodeRows(analysis, truthPath).map((r) => ({ ...r, recording: name }));
}

function insideTruthPresent(path: string): boolean {
  try {
    return readFileSync(path, "utf8").includes('"model_load"');
  } catch {
    return false;
  }
}

const inside = (await Promise.all(readdirSync(root).sort().map(measureInside))).flat();
if (inside.length > 0) {
  process.stdout.write(`\ninside the node (ours − truth; tolerance in the tests):\n`);
  for (const m of Object.keys(INSIDE_TOLERANCE_MS) as InsideMeasure[]) {
    const rows = inside.filter((r) => r.measure === m);
    if (rows.length === 0) continue;
    const missing = rows.filter((r) => r.reportedMs === null).length;
    const errs = rows.filter((r) => r.reportedMs !== null).map((r) => r.reportedMs! - r.truthMs);
    const range = errs.length ? `${Math.min(...errs).toFixed(2)} to ${Math.max(...errs).toFixed(2)} ms, ${summary(errs)}` : "none reported";
    process.stdout.write(`  ${m.padEnd(16)} ${range}${missing ? `, ${missing} not reported` : ""} (tolerance ${INSIDE_TOLERANCE_MS[m]} ms)\n`);
  }
}
