// Subgraph instances, as the editor shows them (docs/metrics.md "Subgraphs"):
// a flattened prompt names a node inside an instance "<instance>:<inner>"
// (nested: "11:10:3"). Each instance path gets its nodes rolled up: their
// span, their own time, its share of the run, and whether the critical path
// runs through it; named by the titles the editor workflow gives.

import type { CriticalPath, SubgraphRollup } from "../model/profile.js";
import type { RunAnalyser, RunAnalysisInput } from "./run-analyser.js";
import { compareNodeIds } from "../model/node-ids.js";

/** Instance paths in tree order: "11", "11:10", "12" (each level's ids in natural order). */
function byPath(a: string, b: string): number {
  const [pa, pb] = [a.split(":"), b.split(":")];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = compareNodeIds(pa[i]!, pb[i]!);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}

export const rollUpSubgraphs: RunAnalyser<Pick<RunAnalysisInput, "run"> & { criticalPath: CriticalPath }, SubgraphRollup[]> = ({ run, criticalPath }) => {
  const paths = new Set<string>();
  for (const n of run.nodes) {
    const parts = n.nodeId.split(":");
    for (let i = 1; i < parts.length; i++) paths.add(parts.slice(0, i).join(":"));
  }
  const onCp = new Set(criticalPath.nodeIds);
  const name = (path: string) =>
    path
      .split(":")
      .map((_, i, parts) => {
        const prefix = parts.slice(0, i + 1).join(":");
        return run.subgraphNames[prefix] ?? `#${prefix}`;
      })
      .join(" › ");
  return [...paths].sort(byPath).map((path) => {
    const inside = run.nodes.filter((n) => n.nodeId.startsWith(`${path}:`));
    const ran = inside.filter((n) => n.intervals.length > 0);
    const startMs = ran.length ? Math.min(...ran.map((n) => n.intervals[0]!.startMs)) : null;
    const endMs = ran.length ? Math.max(...ran.map((n) => (n.spanMs !== null ? n.intervals[0]!.startMs + n.spanMs : n.intervals.at(-1)!.endMs))) : null;
    const selfMs = inside.reduce((sum, n) => sum + (n.status !== "cached" && n.durationMs !== null ? n.durationMs : 0), 0);
    const execution = run.timing.executionMs;
    return {
      path,
      name: name(path),
      nodeIds: inside.map((n) => n.nodeId),
      startMs,
      endMs,
      spanMs: startMs !== null && endMs !== null ? endMs - startMs : null,
      selfMs,
      shareOfExecution: execution ? selfMs / execution : null,
      onCriticalPath: inside.some((n) => onCp.has(n.nodeId)),
    };
  });
};
