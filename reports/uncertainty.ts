// How reports show uncertain times (docs/metrics.md "Uncertainty"): a node's
// time gets "±" when something beyond the receipt jitter widened its bounds
// and they allow more than SHOW_PLUS_MINUS_ABOVE_MS either way; a node whose end was never seen shows what was seen; each run
// says in one line per episode what made its numbers uncertain.

import type { DiagnosticCode } from "../src/model/diagnostic.js";
import type { NodeRun, RunProfile } from "../src/model/profile.js";
import { formatMs } from "./format.js";

/** Below this the ± is the ordinary receipt jitter: not shown. */
export const SHOW_PLUS_MINUS_ABOVE_MS = 5;

const EPISODE_CODES = new Set<DiagnosticCode>([
  "run-end-held-back", "backlog-burst", "node-end-held-up", "outage-nodes-uncertain", "stall-nodes-uncertain", "node-unfinished",
]);

/** "501.4 ms", "501.4 ms ±95.7 ms", "unknown (ran ≥ 140.0 ms)", "unknown (ran unseen)". */
export function formatNodeTime(n: NodeRun): string {
  if (n.status === "unknown") return `unknown (ran ≥ ${formatMs(n.spanMs)})`;
  if (n.durationMs === null && n.uncertainty?.causes.includes("ran-unseen")) return "unknown (ran unseen)";
  // The ordinary receipt jitter (± a few ms on every boundary) is said once, in the data quality line.
  const pm = n.boundaryUncertain ? (n.uncertainty?.durationPlusMinusMs ?? null) : null;
  return formatMs(n.durationMs) + (pm !== null && pm > SHOW_PLUS_MINUS_ABOVE_MS ? ` ±${formatMs(pm)}` : "");
}

/** A boundary's time with its ± when above the threshold. */
export function formatBoundary(atMs: number | null, plusMinusMs: number | null | undefined): string {
  if (atMs === null) return "";
  return formatMs(atMs) + (plusMinusMs !== null && plusMinusMs !== undefined && plusMinusMs > SHOW_PLUS_MINUS_ABOVE_MS ? ` ±${formatMs(plusMinusMs)}` : "");
}

/** One sentence per episode that made the run's times uncertain (unescaped: the caller escapes). */
export function uncertaintyLines(r: RunProfile): string[] {
  const prefix = `prompt ${r.promptId}: `;
  return r.diagnostics.filter((d) => EPISODE_CODES.has(d.code)).map((d) => (d.message.startsWith(prefix) ? d.message.slice(prefix.length) : d.message));
}
