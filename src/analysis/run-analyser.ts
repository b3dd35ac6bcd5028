// What every per-run analyser takes: the run's timeline, the run before it in
// the same log, its workflow graph, and what the analysers before it found;
// and the options. One signature, as clinic's analyse-*.js: (input, options) → answer.

import type { RunTimeline } from "../model/profile.js";
import type { CriticalPathOptions } from "./critical-path.js";
import type { WorkflowGraph } from "./workflow-graph.js";

export type AnalyzeOptions = Pick<CriticalPathOptions, "whatIfFactor" | "whatIfTop">;

export interface RunAnalysisInput {
  run: RunTimeline;
  /** The prompt recorded just before this one in the same log, or null (the cache rule reads it). */
  previous: RunTimeline | null;
  workflow: WorkflowGraph;
}

/** A per-run analyser: `In` is RunAnalysisInput plus what earlier analysers found. */
export type RunAnalyser<In extends Partial<RunAnalysisInput>, Out> = (input: In, options: AnalyzeOptions) => Out;
