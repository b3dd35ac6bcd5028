// The truth a test node wrote (its own wall-clock start and end, inside the node function) against
// a probe log's node times. The probe stamps each line with the server's wall and monotonic clocks
// together, so a truth time goes onto the run's clock through the run's own execution_start line:
// mono = wall − (line.wallMs − line.monoMs); run-relative = mono − the run's executionStartMonoMs.
// No offset to estimate: both sides are the same process's clocks.

import type { Analysis, NodeInterval } from "../../src/model/profile.js";
import type { LogEvent } from "../../src/model/server-events.js";
import type { TruthSegment } from "./truth.js";

export interface BoundaryError {
  promptId: string;
  nodeId: string;
  /** The node's status in the profile (an expanded child: its parent's). */
  status: string;
  /** Profile − truth, ms: a start or end the profile puts later than the truth is positive. */
  startErrorMs: number;
  endErrorMs: number;
}

const first = (xs: readonly NodeInterval[]) => Math.min(...xs.map((i) => i.startMs));
const last = (xs: readonly NodeInterval[]) => Math.max(...xs.map((i) => i.endMs));

/**
 * Each test node's (and expanded child's) first start and its end, profile − truth; nodes without
 * truth are left out. The end is the span's for nodes measured by span (an async node's own
 * segment ends when it yields), else its last own segment's (an expanding node's span holds its
 * children; the truth of its own call does not).
 */
export function probeBoundaryErrors(analysis: Analysis, events: readonly LogEvent[], truth: readonly TruthSegment[]): BoundaryError[] {
  const errors: BoundaryError[] = [];
  for (const run of analysis.runs) {
    const start = events.find((e) => e.kind === "ws" && e.event.type === "execution_start" && e.event.promptId === run.promptId);
    if (!start || start.kind !== "ws" || run.timing.executionStartMonoMs === null) continue;
    const rel = (wallMs: number) => wallMs - (start.wallMs - start.monoMs) - run.timing.executionStartMonoMs!;
    const timed = run.nodes.flatMap((n) => [
      { nodeId: n.nodeId, status: n.status, intervals: n.intervals, spanMs: n.durationKind === "span" ? n.spanMs : null },
      ...n.children.map((c) => ({ nodeId: c.nodeId, status: n.status, intervals: c.intervals, spanMs: c.spanMs })),
    ]);
    for (const node of timed) {
      const own = truth.filter((t) => t.prompt_id === run.promptId && t.node_id === node.nodeId);
      if (own.length === 0 || node.intervals.length === 0) continue;
      errors.push({
        promptId: run.promptId,
        nodeId: node.nodeId,
        status: node.status,
        startErrorMs: first(node.intervals) - rel(Math.min(...own.map((t) => t.start_ms))),
        endErrorMs: (node.spanMs === null ? last(node.intervals) : first(node.intervals) + node.spanMs) - rel(Math.max(...own.map((t) => t.end_ms))),
      });
    }
  }
  return errors;
}
