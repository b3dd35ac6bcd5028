// The episodes that made a run's node times uncertain, run-relative, each
// naming the prompt nodes it touched (one diagnostic per episode, printed
// with the run in the default report).

import type { DiagnosticCode } from "../model/diagnostic.js";
import { compareNodeIds } from "../model/node-ids.js";
import type { BuiltNode, UncertaintyCause, UncertaintyEpisode } from "../model/profile.js";
import type { BoundaryPlacer } from "./delivery.js";
import type { ResolvedNode } from "./node-intervals.js";

export const EPISODE_CODES: Record<UncertaintyCause, DiagnosticCode> = {
  "held-back-end": "run-end-held-back",
  "backlog-burst": "backlog-burst",
  "end-held-up": "node-end-held-up",
  outage: "outage-nodes-uncertain",
  stall: "stall-nodes-uncertain",
  unfinished: "node-unfinished",
  "ran-unseen": "outage-nodes-uncertain",
};

export function uncertaintyEpisodes(
  placer: BoundaryPlacer,
  resolved: readonly ResolvedNode[],
  nodes: readonly BuiltNode[],
  rel: (monoMs: number) => number,
  lastMonoMs: number,
): UncertaintyEpisode[] {
  const promptIds = new Set(nodes.map((n) => n.nodeId));
  const toPromptNode = (id: string) => (promptIds.has(id) ? id : id.split(".")[0]!);
  const ids = (raw: Iterable<string>) => [...new Set([...raw].map(toPromptNode))].filter((id) => promptIds.has(id)).sort(compareNodeIds);
  const out: UncertaintyEpisode[] = placer
    .episodes()
    .map((e) => ({ cause: e.cause, sizeMs: e.sizeMs, startMs: rel(e.fromMonoMs), endMs: rel(e.toMonoMs), nodeIds: ids(e.nodeIds) }))
    .filter((e) => e.nodeIds.length > 0);
  // A stall while stamped messages were held back is the same freeze: told once, by the stamp's episode.
  const heldBack = out.filter((e) => e.cause === "held-back-end" || e.cause === "backlog-burst");
  const episodes = out.filter((e) => e.cause !== "stall" || !heldBack.some((h) => h.startMs <= e.endMs && e.startMs <= h.endMs));
  const unseen = resolved.filter((r) => r.ranUnseen);
  if (unseen.length > 0) {
    const from = Math.min(...unseen.map((r) => r.start.earliestMonoMs));
    const to = Math.max(...unseen.map((r) => r.end.latestMonoMs ?? r.endMonoMs));
    episodes.push({ cause: "ran-unseen", sizeMs: to - from, startMs: rel(from), endMs: rel(to), nodeIds: ids(unseen.map((r) => r.nodeId)) });
  }
  const unfinished = resolved.filter((r) => r.unfinished);
  if (unfinished.length > 0) {
    const from = Math.min(...unfinished.map((r) => r.startMonoMs));
    episodes.push({ cause: "unfinished", sizeMs: null, startMs: rel(from), endMs: rel(lastMonoMs), nodeIds: ids(unfinished.map((r) => r.nodeId)) });
  }
  return episodes;
}
