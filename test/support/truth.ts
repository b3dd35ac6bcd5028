// Ground truth written by the test nodes themselves (test/comfy-nodes/): one
// line per node segment with the server's own wall-clock start and end. A
// node's true duration, in the measure the profile reports it in:
//   span:      its own last end − its own first start;
//   self:      the sum of its own segments;
//   rolled-up: its own segments plus its expanded children's (ids "<node>.…").

import { existsSync, readFileSync } from "node:fs";
import type { DurationKind } from "../../src/model/profile.js";

export interface TruthSegment {
  node_id: string;
  class_type: string;
  phase: string;
  prompt_id: string | null;
  start_ms: number;
  end_ms: number;
}

export function readTruth(path: string): TruthSegment[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as TruthSegment)
    // Model loads timed inside a node (load_truth.py) are not segments of it: test/support/inside-truth.ts reads them.
    .filter((t) => t.phase !== "model_load");
}

/** The true duration of prompt node `nodeId` in `promptId`, or null when the truth has nothing on it. */
export function trueDurationMs(truth: readonly TruthSegment[], promptId: string, nodeId: string, kind: DurationKind): number | null {
  const mine = truth.filter((t) => t.prompt_id === promptId);
  const own = mine.filter((t) => t.node_id === nodeId);
  const children = mine.filter((t) => t.node_id.startsWith(`${nodeId}.`));
  if (own.length === 0 && children.length === 0) return null;
  const sum = (xs: TruthSegment[]) => xs.reduce((a, t) => a + (t.end_ms - t.start_ms), 0);
  if (kind === "span") return Math.max(...own.map((t) => t.end_ms)) - Math.min(...own.map((t) => t.start_ms));
  if (kind === "self") return sum(own);
  return sum(own) + sum(children);
}
