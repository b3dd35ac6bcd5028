// One line per stepping node, its time in phases (docs/metrics.md "First step
// and steady steps"): "#2 KSampler: 4.200 s = 1.100 s loading models + 400.0 ms
// to the first step + 19 steps in 2.565 s (135.0 ms/step median, IQR 130.0–140.0 ms)
// + 135.0 ms after the last step". The terms add up to the node's time.

import type { NodeRun, RunProfile } from "../src/model/profile.js";
import { formatMs } from "./format.js";

export function nodePhaseLines(r: RunProfile, label: (id: string) => string): string[] {
  return r.nodes.flatMap((n) => (n.phases && n.durationMs !== null ? [`${label(n.nodeId)}: ${phaseSum(n, n.phases)}`] : []));
}

function phaseSum(n: NodeRun, p: NonNullable<NodeRun["phases"]>): string {
  const hasLoads = p.loadMs > 0 || n.loadSplit !== null;
  const first = p.firstStepValue === 1 ? "to the first step" : `to the first progress (${p.firstStepValue} steps)`;
  const rate = p.steadyStepMs === null
    ? ""
    : ` (${formatMs(p.steadyStepMs)}/step median${p.steadyStepSpreadMs ? `, IQR ${formatMs(p.steadyStepSpreadMs.p25Ms)}–${formatMs(p.steadyStepSpreadMs.p75Ms)}` : ""})`;
  const terms = [
    ...(hasLoads ? [`${formatMs(p.loadMs)} loading models`] : []),
    `${formatMs(p.toFirstStepMs)} ${first}`,
    p.steps > 0 ? `${p.steps} step${p.steps === 1 ? "" : "s"} in ${formatMs(p.steppingMs)}${rate}` : "no further steps",
    `${formatMs(p.afterLastStepMs)} after the last step`,
  ];
  return `${formatMs(n.durationMs)} = ${terms.join(" + ")}`;
}
