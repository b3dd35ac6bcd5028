// The `samples` table (memory polls, docs/metrics.md "Memory") and the
// `diagnostics` table (what the reader noticed about the data, the codes of
// src/model/diagnostic.ts).

import type { Diagnostic } from "../../src/model/diagnostic.js";
import type { DeviceSample, MemorySample } from "../../src/model/profile.js";
import { col, keyColumns, type RowKeys, type TableSpec } from "./columns.js";

export interface SampleRow {
  keys: RowKeys;
  sample: MemorySample;
  /** 0-based position of the sample in the run. */
  sampleIndex: number;
  /** One row per device of the sample; null (one row) when it lists none (the CPU device). */
  device: DeviceSample | null;
}

export const SAMPLES_TABLE: TableSpec<SampleRow> = {
  name: "samples",
  grain: "memory sample of a run and device (a sample that lists no device, as with `--cpu`, has one row with the device columns null)",
  columns: [
    ...keyColumns<SampleRow>(),
    col("sample_index", "INTEGER", "count", "0-based position of the sample in its run.", (r) => r.sampleIndex),
    col("at_ms", "DOUBLE", "ms, run-relative", "Middle of the poll's round trip, from the run's `execution_start`.", (r) => r.sample.atMs),
    col("plus_minus_ms", "DOUBLE", "ms", "± in time: half the round trip.", (r) => r.sample.uncertaintyMs),
    col("source", "VARCHAR", "", "`system_stats` or `crystools`.", (r) => r.sample.source),
    col("ram_used_bytes", "DOUBLE", "bytes", "RAM total − available.", (r) => r.sample.ramUsedBytes),
    col("ram_free_bytes", "DOUBLE", "bytes", "Available RAM.", (r) => r.sample.ramFreeBytes),
    col("device_name", "VARCHAR", "", "The device, null when the sample lists none.", (r) => r.device?.name ?? null),
    col("device_used_bytes", "DOUBLE", "bytes", "Device memory used.", (r) => r.device?.usedBytes ?? null),
    col("device_free_bytes", "DOUBLE", "bytes", "Device memory free (on CUDA it counts torch's idle reserve as free).", (r) => r.device?.freeBytes ?? null),
    col("torch_reserved_bytes", "DOUBLE", "bytes", "Memory torch holds reserved.", (r) => r.device?.torchReservedBytes ?? null),
    col("torch_active_bytes", "DOUBLE", "bytes", "Of it, in use by tensors.", (r) => r.device?.torchActiveBytes ?? null),
  ],
};

export interface DiagnosticRow {
  keys: RowKeys;
  diagnostic: Diagnostic;
}

export const DIAGNOSTICS_TABLE: TableSpec<DiagnosticRow> = {
  name: "diagnostics",
  grain: "diagnostic: a run's (run_id set) or a whole log's (run_id null, day_utc `unknown`, workflow_fingerprint `none`)",
  columns: [
    ...keyColumns<DiagnosticRow>(),
    col("code", "VARCHAR", "", "The diagnostic's code (docs/metrics.md, src/model/diagnostic.ts).", (r) => r.diagnostic.code),
    col("severity", "VARCHAR", "", "`error`, `warning` or `info`.", (r) => r.diagnostic.severity),
    col("line", "INTEGER", "count", "1-based line in the log; null when not about one line.", (r) => r.diagnostic.line ?? null),
    col("occurrences", "INTEGER", "count", "How many occurrences it stands for (counted diagnostics); 1 otherwise.", (r) => r.diagnostic.count ?? 1),
    col("node_id", "VARCHAR", "", "The node concerned, null when none.", (r) => r.diagnostic.nodeId ?? null),
    col("prompt_id", "VARCHAR", "", "The prompt concerned, null when none.", (r) => r.diagnostic.promptId ?? null),
    col("message", "VARCHAR", "", "A sentence for a person (escape it before display).", (r) => r.diagnostic.message),
  ],
};
