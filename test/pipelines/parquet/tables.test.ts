import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { logDiagnosticRows, NO_WORKFLOW, parquetSchemaMarkdown, runRows, TABLES } from "../../../pipelines/parquet/tables.js";
import { utcDay } from "../../../pipelines/parquet/columns.js";
import { analyzeFiles } from "../../../pipelines/analyze.js";

const COLD = new URL("../../../samples/recordings/cold/run.ndjson", import.meta.url).pathname;
const place = { exportId: "e", recording: "cold.ndjson", logIndex: 2, runIndex: 1 };

describe("pipelines/parquet/tables", () => {
  it("is documented column by column in docs/parquet.md, as the specs render it", () => {
    expect(readFileSync(new URL("../../../docs/parquet.md", import.meta.url), "utf8")).toContain(parquetSchemaMarkdown());
  });

  it("names every column once per table, in snake case with its unit", () => {
    for (const t of TABLES) {
      const names = t.columns.map((c) => c.name);
      expect(new Set(names).size, t.name).toBe(names.length);
      for (const c of t.columns) {
        expect(c.name).toMatch(/^[a-z][a-z0-9_]*$/);
        if (c.unit === "ms") expect(c.name, c.name).toMatch(/_ms$/);
        if (c.unit === "bytes") expect(c.name, c.name).toMatch(/_bytes$/);
      }
    }
  });

  it("keys a run's rows by export, log and run, and partitions them by its UTC day and workflow", async () => {
    const run = (await analyzeFiles([COLD])).runs[1]!;
    const rows = runRows(run, place);
    expect(rows.runs).toHaveLength(1);
    expect(rows.nodes.map((n) => n.node.nodeId)).toEqual(run.nodes.map((n) => n.nodeId));
    expect(rows.nodes.map((n) => n.nodeIndex)).toEqual(run.nodes.map((_, i) => i));
    expect(rows.runs[0]!.keys).toEqual({ exportId: "e", recording: "cold.ndjson", runId: "e/2/1", day: new Date(run.startedAtMs!).toISOString().slice(0, 10), workflowFingerprint: run.workflow.fingerprint });
    // One sample row per sample and device (this recording's server lists one device).
    expect(rows.samples.length).toBe(run.memory.samples.reduce((n, s) => n + Math.max(1, s.devices.length), 0));
  });

  it("gives a sample without devices one row with the device columns null", async () => {
    const run = (await analyzeFiles([COLD])).runs[1]!;
    const sample = { ...run.memory.samples[0]!, devices: [] };
    const rows = runRows({ ...run, memory: { ...run.memory, samples: [sample] } }, place);
    expect(rows.samples).toEqual([{ keys: rows.runs[0]!.keys, sample, sampleIndex: 0, device: null }]);
  });

  it("puts a run without a server start in day 'unknown', and a log's own diagnostics in workflow 'none' without a run id", () => {
    expect(utcDay(null)).toBe("unknown");
    expect(utcDay(Date.UTC(2026, 10, 30, 23, 59, 59, 999))).toBe("2026-11-30");
    const [row] = logDiagnosticRows([{ code: "no-end-record", severity: "warning", message: "cut" }], "e", "x.ndjson");
    expect(row!.keys).toEqual({ exportId: "e", recording: "x.ndjson", runId: null, day: "unknown", workflowFingerprint: NO_WORKFLOW });
  });
});
