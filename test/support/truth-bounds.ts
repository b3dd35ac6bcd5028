// The truth a test node wrote, on a run's clock, against the bounds the
// profile states for that node (docs/metrics.md "Uncertainty"). Server wall
// times are put on the recorder's clock with the run's smallest stamp offset
// (server-clock.ts does the same), which leaves the minimal delivery delay in
// every boundary: hence a tolerance of a few ms around the bounds.

import { expect } from "vitest";
import { collectLog } from "../../pipelines/read-log.js";
import type { Analysis } from "../../src/model/profile.js";
import { readTruth } from "./truth.js";

/** Every test node's true first start and last end lie within its stated bounds, ± toleranceMs. Returns how many nodes were checked. */
export async function checkTruthInBounds(analysis: Analysis, logPath: string, truthPath: string, toleranceMs: number): Promise<number> {
  const truth = readTruth(truthPath);
  const { events } = await collectLog(logPath, { lenient: false });
  let checked = 0;
  for (const run of analysis.runs) {
    let minOffset = Infinity;
    let wallMinusMono = 0;
    for (const e of events) {
      if (e.kind !== "ws" || !("serverWallMs" in e.event) || e.event.serverWallMs === null || !("promptId" in e.event) || e.event.promptId !== run.promptId) continue;
      const offset = e.wallMs - e.event.serverWallMs;
      if (offset < minOffset) [minOffset, wallMinusMono] = [offset, e.wallMs - e.monoMs];
    }
    if (minOffset === Infinity || run.timing.executionStartMonoMs === null) continue;
    const rel = (serverMs: number) => serverMs + minOffset - wallMinusMono - run.timing.executionStartMonoMs!;
    for (const node of run.nodes) {
      const u = node.uncertainty;
      const own = truth.filter((t) => t.prompt_id === run.promptId && (t.node_id === node.nodeId || t.node_id.startsWith(`${node.nodeId}.`)));
      if (!u || own.length === 0) continue;
      checked++;
      const start = rel(Math.min(...own.map((t) => t.start_ms)));
      const end = rel(Math.max(...own.map((t) => t.end_ms)));
      const what = (b: string, at: number, lo: number, hi: number | null) =>
        `prompt ${run.promptId} node ${node.nodeId} ${b}: truth ${at.toFixed(2)} outside [${lo.toFixed(2)}, ${hi === null ? "∞" : hi.toFixed(2)}] ± ${toleranceMs} (${u.causes.join(", ") || "jitter"})`;
      expect(start >= u.start.earliestMs - toleranceMs && start <= (u.start.latestMs ?? Infinity) + toleranceMs, what("start", start, u.start.earliestMs, u.start.latestMs)).toBe(true);
      expect(end >= u.end.earliestMs - toleranceMs && end <= (u.end.latestMs ?? Infinity) + toleranceMs, what("end", end, u.end.earliestMs, u.end.latestMs)).toBe(true);
    }
  }
  return checked;
}
