// The JSON report: the Analysis as is (schemas/profile.v1.schema.json).

import type { Analysis, RunProfile } from "../src/model/profile.js";

export function renderJsonReport(analysis: Analysis): string {
  return `${JSON.stringify(analysis, null, 2)}\n`;
}

// The same text in pieces, for writing an Analysis whose runs are not all in
// memory at once (pipelines/json-report.ts): the text around the runs, then
// each run. frame.before + Σ renderJsonRun + frame.after = renderJsonReport.

/** The `runs` member at the top level of renderJsonReport's text, when empty. */
const EMPTY_RUNS = '\n  "runs": []';
/** A run is an element of the top-level "runs" array: two levels deep. */
const RUN_INDENT = "\n    ";

/** renderJsonReport's text before and after the runs; `analysis.runs` itself is not read. */
export function renderJsonFrame(analysis: Analysis, runCount: number): { before: string; after: string } {
  // The spread keeps every key where it was, so this is renderJsonReport's own layout with no runs.
  const text = renderJsonReport({ ...analysis, runs: [] });
  // Any "runs" key deeper down is indented further, and none can sit in a string (its quotes would be escaped).
  const at = text.indexOf(EMPTY_RUNS);
  const open = text.slice(0, at + EMPTY_RUNS.length - 1);
  const close = text.slice(at + EMPTY_RUNS.length - 1);
  return { before: open, after: runCount === 0 ? close : `\n  ${close}` };
}

/** `[[x]]` as JSON.stringify(…, null, 2) writes it: x sits two levels deep, as a run does in the report. */
const WRAP_BEFORE = "[\n  [\n    ";
const WRAP_AFTER = "\n  ]\n]";

/** The `index`th run as renderJsonReport writes it, with the separator before it. */
export function renderJsonRun(run: RunProfile, index: number): string {
  // Wrapped two arrays deep, JSON.stringify indents the run as in the report itself: no second pass to re-indent it.
  const wrapped = JSON.stringify([[run]], null, 2);
  return (index === 0 ? RUN_INDENT : `,${RUN_INDENT}`) + wrapped.slice(WRAP_BEFORE.length, -WRAP_AFTER.length);
}
