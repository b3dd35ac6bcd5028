// The run's node times at a glance: how many nodes were timed, their mean and
// median (src/stats/descriptive.ts's definitions). Cached, not-run and
// unknown nodes have no time of their own and are left out.

import { isNonEmpty } from "../model/non-empty.js";
import type { RunProfile } from "../model/profile.js";
import { mean, median } from "../stats/descriptive.js";
import type { RunAnalyser, RunAnalysisInput } from "./run-analyser.js";

export const summarizeNodeTimes: RunAnalyser<Pick<RunAnalysisInput, "run">, RunProfile["nodeTimes"]> = ({ run }) => {
  const times = run.nodes.filter((n) => n.durationMs !== null && n.status !== "cached" && n.status !== "not-run").map((n) => n.durationMs!);
  if (!isNonEmpty(times)) return null;
  return { count: times.length, meanMs: mean(times), medianMs: median(times) };
};
