// Bottlenecks (docs/metrics.md "Bottlenecks"): a node whose time is at least
// SLOW_NODE_FACTOR × the mean of executed nodes, or at least CP_SHARE of the
// critical path; and the failed node that stopped the run. Cached nodes never.

import type { CriticalPath, Finding } from "../model/profile.js";
import type { RunAnalyser, RunAnalysisInput } from "./run-analyser.js";

/** The seed request's rule: 2× the average node time. */
export const SLOW_NODE_FACTOR = 2;
/** A node holding half the critical path decides the run's wall time on its own. */
export const CP_SHARE = 0.5;

const ms = (x: number) => `${x.toFixed(1)} ms`;
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;

export const findBottlenecks: RunAnalyser<Pick<RunAnalysisInput, "run"> & { criticalPath: CriticalPath }, Finding[]> = ({ run, criticalPath: cp }) => {
  const { nodes, outcome } = run;
  const executionMs = run.timing.executionMs;
  const timed = nodes.filter((n) => n.status !== "cached" && n.status !== "not-run" && n.durationMs !== null);
  const meanMs = timed.length ? timed.reduce((a, n) => a + n.durationMs!, 0) / timed.length : 0;
  const onCp = new Set(cp.nodeIds);
  const findings: Finding[] = [];
  for (const n of timed) {
    const d = n.durationMs!;
    const failed = n.status === "failed" || (outcome.status === "error" && outcome.nodeId === n.nodeId);
    // metrics.md: ≥ 50 % of the CP's length, on the path or not (a node beside the CP that long nearly sets the pace too).
    const cpShare = cp.lengthMs > 0 ? d / cp.lengthMs : 0;
    const reasons: string[] = [];
    if (failed) reasons.push(`failed and stopped the run${outcome.exceptionType ? ` (${outcome.exceptionType})` : ""}`);
    if (cpShare >= CP_SHARE) reasons.push(`${ms(d)} is ${pct(cpShare)} of the critical path's length (${ms(cp.lengthMs)})${onCp.has(n.nodeId) ? "" : " though not on it"}`);
    if (meanMs > 0 && d >= SLOW_NODE_FACTOR * meanMs && timed.length > 1) reasons.push(`${ms(d)} is ${(d / meanMs).toFixed(1)}× the mean node time (${ms(meanMs)})`);
    if (reasons.length === 0) continue;
    findings.push({
      nodeId: n.nodeId,
      classType: n.classType,
      kind: failed ? "failed-node" : cpShare >= CP_SHARE && onCp.has(n.nodeId) ? "dominates-critical-path" : "slow-node",
      reason: reasons.join("; "),
      durationMs: d,
      shareOfWall: executionMs && executionMs > 0 ? d / executionMs : null,
      onCriticalPath: onCp.has(n.nodeId),
    });
  }
  return findings.sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0));
};
