// The analysis phase: RunTimelines (from src/fold/) → RunProfiles, plus the
// statistics across runs. One analyser per question, joined here.

import type { Diagnostic } from "../model/diagnostic.js";
import type { Analysis, InputSummary, NodeRun, RunProfile, RunTimeline } from "../model/profile.js";
import { PROFILE_SCHEMA_VERSION } from "../model/profile.js";
import { findBottlenecks } from "./bottlenecks.js";
import { analyseCriticalPath } from "./critical-path.js";
import { analyseCacheSavings, NodeCosts } from "./cache-savings.js";
import { analyseModelLoads, loadSplit } from "./model-loads.js";
import { nodePhases } from "./node-phases.js";
import { rollUpSubgraphs } from "./subgraphs.js";
import { summarizeNodeTimes } from "./node-times.js";
import type { AnalyzeOptions, RunAnalysisInput } from "./run-analyser.js";
import { summarizeNodeTypes, type NodeDuration } from "./node-types.js";
import { recommend } from "./recommendations.js";
import { workflowGraphOf } from "./workflow-graph.js";

export type { AnalyzeOptions } from "./run-analyser.js";

/** One prompt's profile: the analysers in order, each reading what the ones before it found. */
export function analyzeRun(run: RunTimeline, previous: RunTimeline | null, options: AnalyzeOptions = {}, costs: NodeCosts = new NodeCosts()): RunProfile {
  const input: RunAnalysisInput = { run, previous, workflow: workflowGraphOf(run.prompt) };
  const savings = analyseCacheSavings({ ...input, costs }, options);
  const modelLoads = analyseModelLoads(input, options);
  const { path: criticalPath, slackMs } = analyseCriticalPath(input, options);
  const bottlenecks = findBottlenecks({ ...input, criticalPath }, options);
  const recommendations = recommend({ ...input, criticalPath, bottlenecks, modelLoads }, options);
  const onCp = new Set(criticalPath.nodeIds);
  const nodes: NodeRun[] = run.nodes.map((n) => ({
    ...n,
    onCriticalPath: onCp.has(n.nodeId),
    slackMs: n.durationMs === null ? null : (slackMs.get(n.nodeId) ?? null),
    timeSavedMs: savings.savedMs.get(n.nodeId) ?? null,
    loadSplit: loadSplit(n, modelLoads.loads),
    phases: nodePhases(n, modelLoads.loads),
  }));
  // The workflow's own problems (a link to a missing node, a cycle) stay with the run.
  const graphDiagnostics: Diagnostic[] = input.workflow.diagnostics.map((d) => ({ ...d, severity: "warning", file: run.source.file, promptId: run.promptId }));
  const { prompt: _prompt, serverLog: _serverLog, subgraphNames: _names, ...rest } = run;
  return {
    ...rest,
    diagnostics: [...run.diagnostics, ...graphDiagnostics],
    nodes,
    edges: input.workflow.edges,
    criticalPath,
    subgraphs: rollUpSubgraphs({ ...input, criticalPath }, options),
    modelLoads,
    cache: { use: savings.use, timeSavedMs: savings.totalSavedMs },
    nodeTimes: summarizeNodeTimes(input, options),
    bottlenecks,
    recommendations,
  };
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


/** All runs of all logs, each analysed with the run before it in its own log. */
export function analyzeTimelines(
  logs: readonly { input: InputSummary; runs: readonly RunTimeline[]; diagnostics: readonly Diagnostic[] }[],
  options: AnalyzeOptions = {},
): Analysis {
  const runs = logs.flatMap((log) => {
    const costs = new NodeCosts();
    return log.runs.map((r, i) => analyzeRun(r, log.runs[i - 1] ?? null, options, costs));
  });
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
