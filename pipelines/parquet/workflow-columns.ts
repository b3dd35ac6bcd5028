// The `workflows` table: each distinct workflow (fingerprint) of an export once,
// with its prompt, so that `compare --parquet` can pair variants of a workflow
// as compare over recordings does (docs/metrics.md "Across runs").

import type { ApiWorkflow } from "../../src/model/events.js";
import { col, keyColumns, type RowKeys, type TableSpec } from "./columns.js";

export interface WorkflowRow {
  keys: RowKeys;
  name: string | null;
  prompt: ApiWorkflow;
}

export const WORKFLOWS_TABLE: TableSpec<WorkflowRow> = {
  name: "workflows",
  grain: "workflow fingerprint per export: the prompt of the first run that had it (runs of one fingerprint differ only in seeds and nonces)",
  columns: [
    ...keyColumns<WorkflowRow>(),
    col("workflow_name", "VARCHAR", "", "The workflow's name (its file), null when unknown.", (r) => r.name),
    col("workflow_nodes", "INTEGER", "count", "Nodes in the prompt.", (r) => Object.keys(r.prompt).length),
    col("prompt_json", "VARCHAR", "JSON", "The prompt as submitted (API format: `{id: {class_type, inputs}}`), JSON text.", (r) => JSON.stringify(r.prompt)),
  ],
};
