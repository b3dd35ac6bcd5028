// What compare and trend need of a run: a few fields of its RunProfile, with the same names, so
// a RunProfile is a ComparableRun. Across a thousand recordings the profiles themselves would be
// held for nothing (docs/performance.md "Many recordings").

import type { Diagnostic } from "./diagnostic.js";
import type { EnvironmentInfo, NodeRun, RunProfile } from "./profile.js";

export type ComparableNode = Pick<NodeRun, "nodeId" | "classType" | "status" | "durationMs" | "boundaryUncertain"> & {
  uncertainty: Pick<NonNullable<NodeRun["uncertainty"]>, "durationPlusMinusMs"> | null;
};

export interface ComparableRun {
  promptId: string;
  source: Pick<RunProfile["source"], "warmup">;
  workflow: Pick<RunProfile["workflow"], "name" | "fingerprint">;
  environment: EnvironmentInfo | null;
  startedAtMs: number | null;
  outcome: Pick<RunProfile["outcome"], "status">;
  timing: Pick<RunProfile["timing"], "executionMs">;
  cache: Pick<RunProfile["cache"], "use">;
  nodes: ComparableNode[];
  /** Only the codes that decide whether a run is compared (src/analysis/compare.ts groupRuns). */
  diagnostics: Pick<Diagnostic, "code">[];
}
