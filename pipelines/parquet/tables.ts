// The five tables of a Parquet export, in the order docs/parquet.md lists them,
// and what they are read from: the rows of one run, and a log's own diagnostics.

import type { Diagnostic } from "../../src/model/diagnostic.js";
import type { RunProfile } from "../../src/model/profile.js";
import { columnsMarkdown, utcDay, type RowKeys, type TableSpec } from "./columns.js";
import { RUNS_TABLE, type RunRow } from "./run-columns.js";
import { NODES_TABLE, type NodeRow } from "./node-columns.js";
import { DIAGNOSTICS_TABLE, SAMPLES_TABLE, type DiagnosticRow, type SampleRow } from "./event-columns.js";
import { WORKFLOWS_TABLE, type WorkflowRow } from "./workflow-columns.js";
import type { ApiWorkflow } from "../../src/model/events.js";

export { RUNS_TABLE, NODES_TABLE, SAMPLES_TABLE, DIAGNOSTICS_TABLE, WORKFLOWS_TABLE };

/** Names, types and docs only: each spec reads its own kind of row. */
export const TABLES: readonly TableSpec<never>[] = [RUNS_TABLE, NODES_TABLE, SAMPLES_TABLE, DIAGNOSTICS_TABLE, WORKFLOWS_TABLE];

export type TableName = "runs" | "nodes" | "samples" | "diagnostics" | "workflows";

/** Partition value of a diagnostic about a whole log, which has no workflow. */
export const NO_WORKFLOW = "none";

/** Where a run sits: its export, log and position. */
export interface RunPlace {
  exportId: string;
  recording: string;
  logIndex: number;
  runIndex: number;
}

/** The rows one run adds to each table. */
export interface RunRows {
  runs: RunRow[];
  nodes: NodeRow[];
  samples: SampleRow[];
  diagnostics: DiagnosticRow[];
}

export function runRows(run: RunProfile, place: RunPlace): RunRows {
  const keys = runKeys(run, place);
  return {
    runs: [{ keys, run, runIndex: place.runIndex }],
    nodes: run.nodes.map((node, nodeIndex) => ({ keys, node, nodeIndex, warmup: run.source.warmup })),
    samples: run.memory.samples.flatMap((sample, sampleIndex): SampleRow[] =>
      sample.devices.length === 0 ? [{ keys, sample, sampleIndex, device: null }] : sample.devices.map((device) => ({ keys, sample, sampleIndex, device })),
    ),
    diagnostics: run.diagnostics.map((diagnostic) => ({ keys, diagnostic })),
  };
}

/** The `workflows` row of a run's workflow (written for the first run that has it). */
export function workflowRow(run: RunProfile, prompt: ApiWorkflow, place: RunPlace): WorkflowRow {
  return { keys: runKeys(run, place), name: run.workflow.name, prompt };
}

function runKeys(run: RunProfile, place: RunPlace): RowKeys {
  return {
    exportId: place.exportId,
    recording: place.recording,
    runId: `${place.exportId}/${place.logIndex}/${place.runIndex}`,
    day: utcDay(run.startedAtMs),
    workflowFingerprint: run.workflow.fingerprint,
  };
}

/** The rows of a log's own diagnostics (not about one run). */
export function logDiagnosticRows(diagnostics: readonly Diagnostic[], exportId: string, recording: string): DiagnosticRow[] {
  const keys: RowKeys = { exportId, recording, runId: null, day: "unknown", workflowFingerprint: NO_WORKFLOW };
  return diagnostics.map((diagnostic) => ({ keys, diagnostic }));
}

/** docs/parquet.md's "Tables" section: a heading and a column table per table. */
export function parquetSchemaMarkdown(): string {
  return TABLES.map((t) => `### \`${t.name}\`\n\n${columnsMarkdown(t)}`).join("\n\n");
}
