// The analysis phase: RunTimelines (from src/fold/) → RunProfiles, plus the
// statistics across runs. One analyser per question, joined here.

import type { Diagnostic } from "../model/diagnostic.js";
import type { Analysis, InputSummary, NodeRun, RunProfile, RunTimeline } from "../model/profile.js";
import { PROFILE_SCHEMA_VERSION } from "../model/profile.js";
import { findBottlenecks } from "./bottlenecks.js";
import { findCriticalPath, type CriticalPathOptions } from "./critical-path.js";
import { summarizeNodeTypes, type NodeDuration } from "./node-types.js";
import { recommend } from "./recommendations.js";
import { buildWorkflowGraph } from "./workflow-graph.js";
import { mean, median } from "../stats/descriptive.js";
import { isNonEmpty } from "../model/non-empty.js";

export type AnalyzeOptions = Pick<CriticalPathOptions, "whatIfFactor" | "whatIfTop">;

/** One prompt's profile. `previous` is the prompt before it in the same log (for the cache rule). */
export function analyzeRun(run: RunTimeline, previous: RunTimeline | null, options: AnalyzeOptions = {}): RunProfile {
  const { graph, edges } = buildWorkflowGraph(run.prompt);
  const durations = new Map(run.nodes.map((n) => [n.nodeId, n.durationMs ?? 0]));
  const weight = (id: string) => durations.get(id) ?? 0;
  const { path, slackMs } = findCriticalPath(graph, weight, { ...options, overlapObserved: nodesOverlapped(run), nodeBusyMs: run.timing.nodeBusyMs });
  const onCp = new Set(path.nodeIds);
  const nodes: NodeRun[] = run.nodes.map((n) => ({
    ...n,
    onCriticalPath: onCp.has(n.nodeId),
    slackMs: n.durationMs === null ? null : (slackMs.get(n.nodeId) ?? null),
  }));
  const bottlenecks = findBottlenecks(run.nodes, path, run.outcome, run.timing.executionMs);
  const recommendations = recommend({ run, criticalPath: path, bottlenecks, previous });
  const { prompt: _prompt, serverLog: _serverLog, ...rest } = run;
  return { ...rest, nodes, edges, criticalPath: path, nodeTimes: summarizeNodeTimes(run.nodes), bottlenecks, recommendations };
}

function summarizeNodeTimes(nodes: RunTimeline["nodes"]): RunProfile["nodeTimes"] {
  const times = nodes.filter((n) => n.durationMs !== null && n.status !== "cached" && n.status !== "not-run").map((n) => n.durationMs!);
  if (!isNonEmpty(times)) return null;
  return { count: times.length, meanMs: mean(times), medianMs: median(times) };
}

/** True when two top-level nodes were in flight at once (async nodes), so wall time can be below Σ. */
function nodesOverlapped(run: RunTimeline): boolean {
  const spans = run.nodes
    // Lazy nodes and expansion parents contain other nodes by design: that is not parallel work.
    .filter((n) => n.intervals.length > 0 && n.spanMs !== null && n.children.length === 0 && n.executions <= 1)
    .map((n) => ({ start: n.intervals[0]!.startMs, end: n.intervals[0]!.startMs + n.spanMs! }))
    .sort((a, b) => a.start - b.start);
  let furthestEnd = -Infinity;
  for (const s of spans) {
    if (s.start < furthestEnd - OVERLAP_TOLERANCE_MS) return true;
    furthestEnd = Math.max(furthestEnd, s.end);
  }
  return false;
}

/**
 * A node whose start or end is uncertain by more than both of these (± ms, and
 * a share of its duration) is left out of the node-type statistics: a figure
 * that may be tens of ms off would skew them. 5 ms is where reports start to
 * show ±; 10 % keeps long nodes with a few ms of doubt in.
 */
export const UNCERTAIN_NODE_MS = 5;
export const UNCERTAIN_NODE_SHARE = 0.1;

export function tooUncertain(n: Pick<NodeRun, "uncertainty" | "durationMs">): boolean {
  const u = n.uncertainty;
  if (!u) return false;
  if (u.endPlusMinusMs === null) return true;
  const worst = Math.max(u.startPlusMinusMs, u.endPlusMinusMs);
  return worst > Math.max(UNCERTAIN_NODE_MS, UNCERTAIN_NODE_SHARE * (n.durationMs ?? 0));
}

/** Receipt times of back-to-back nodes can touch within this much without the nodes running together. */
const OVERLAP_TOLERANCE_MS = 1;

/** All runs of all logs, each analysed with the run before it in its own log. */
export function analyzeTimelines(
  logs: readonly { input: InputSummary; runs: readonly RunTimeline[]; diagnostics: readonly Diagnostic[] }[],
  options: AnalyzeOptions = {},
): Analysis {
  const runs = logs.flatMap((log) => log.runs.map((r, i) => analyzeRun(r, log.runs[i - 1] ?? null, options)));
  const rows = runs.flatMap(nodeTypeRows);
  return {
    schemaVersion: PROFILE_SCHEMA_VERSION,
    inputs: logs.map((l) => l.input),
    runs,
    nodeTypes: summarizeNodeTypes(rows),
    diagnostics: logs.flatMap((l) => l.diagnostics),
  };
}

/** What one run adds to the node-type statistics: its executed nodes' durations (none for a warm-up). */
export function nodeTypeRows(run: RunProfile): NodeDuration[] {
  if (run.source.warmup) return [];
  // Nodes whose boundaries are uncertain beyond the jitter by more than UNCERTAIN_NODE_MS would skew the statistics: left out.
  return run.nodes.filter((n) => n.status === "executed" && n.durationMs !== null && !tooUncertain(n)).map((n) => ({ classType: n.classType, durationMs: n.durationMs! }));
}
