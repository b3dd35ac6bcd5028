import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";
import { openDatabase, type Database } from "../../pipelines/parquet/duckdb.js";
import { createViews } from "../../pipelines/parquet/views.js";
import { logDiagnosticRows, runRows, TABLES, workflowRow, type RunRows } from "../../pipelines/parquet/tables.js";
import type { WorkflowRow } from "../../pipelines/parquet/workflow-columns.js";
import type { TableSpec } from "../../pipelines/parquet/columns.js";
import type { Analysis } from "../../src/model/profile.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import { fileHash, runMain, STACK_OR_BUG } from "../support/main-in-process.js";

const SAMPLES = new URL("../../samples/recordings/", import.meta.url).pathname;
const BENCHMARK = join(SAMPLES, "benchmark", "run.ndjson");
const LOGS = readdirSync(SAMPLES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => join(SAMPLES, e.name, "run.ndjson"))
  .sort();

/** Every row of a table in export order: log, run, then the row's own order. */
async function tableRows(db: Database, table: string): Promise<Record<string, unknown>[]> {
  const order = table === "nodes" ? ", node_index" : table === "samples" ? ", sample_index, device_name" : "";
  const runIndex = table === "runs" ? "run_index" : "CAST(split_part(run_id, '/', 3) AS INTEGER)";
  const sql = `SELECT * FROM ${table} ORDER BY recording, ${runIndex} NULLS FIRST${order}${table === "diagnostics" ? ", line, code, message" : ""}`;
  return (await db.connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

/** What the spec says a row holds, as DuckDB gives it back (lists as arrays). */
function expectedRow<R>(spec: TableSpec<R>, row: R): Record<string, unknown> {
  return Object.fromEntries(spec.columns.map((c) => {
    const v = c.get(row);
    return [c.name, Array.isArray(v) ? [...v] : v];
  }));
}

describe("pipelines/export-command", () => {
  const dir = mkdtempSync(join(tmpdir(), "comfyprof-export-"));
  const out = join(dir, "all");
  let db: Database;
  let analyses: Analysis[];
  let exportId: string;
  /** Each workflow's prompt, first seen in the logs' order (as the export keeps them). */
  const prompts = new Map<string, ApiWorkflow>();

  beforeAll(async () => {
    const hashes = LOGS.map(fileHash);
    const { code, stderr } = await runMain(["export", "--parquet", out, ...LOGS]);
    expect(stderr).toMatch(new RegExp(`wrote \\d+ runs of ${LOGS.length} logs to `));
    expect(code).toBe(0);
    expect(LOGS.map(fileHash)).toEqual(hashes);
    analyses = [];
    for (const log of LOGS) analyses.push(await analyzeFiles([log], { workflows: prompts }));
    db = await openDatabase();
    await createViews(db.connection, out);
    exportId = ((await db.connection.runAndReadAll("SELECT DISTINCT export_id FROM runs")).getRowsJS() as string[][])[0]![0]!;
  });
  afterAll(() => db?.close());

  it("writes each table partitioned by day and workflow, the manifest, and no staging file", () => {
    const entries = readdirSync(out).sort();
    expect(entries).toEqual(["_comfyprof.json", "diagnostics", "nodes", "runs", "samples", "workflows"]);
    const days = readdirSync(join(out, "runs"));
    expect(days.every((d) => /^day=(\d{4}-\d\d-\d\d|unknown)$/.test(d))).toBe(true);
    const workflows = readdirSync(join(out, "runs", days[0]!));
    expect(workflows.every((w) => /^workflow=[0-9a-f]{16}$/.test(w))).toBe(true);
  });

  it("holds, column by column, every run, node, sample and diagnostic of the profiles analyze makes", async () => {
    const expected: RunRows & { workflows: WorkflowRow[] } = { runs: [], nodes: [], samples: [], diagnostics: [], workflows: [] };
    const logDiagnostics = [];
    // A workflow's row comes with the first run that has it, in the order the logs were exported.
    const firstRuns = new Set<string>();
    LOGS.forEach((log, logIndex) => analyses[logIndex]!.runs.forEach((run, runIndex) => {
      if (firstRuns.has(run.workflow.fingerprint)) return;
      firstRuns.add(run.workflow.fingerprint);
      expected.workflows.push(workflowRow(run, prompts.get(run.workflow.fingerprint)!, { exportId, recording: log, logIndex, runIndex }));
    }));
    expected.workflows.sort((a, b) => a.keys.recording.localeCompare(b.keys.recording) || a.keys.runId!.localeCompare(b.keys.runId!, "en", { numeric: true }));
    // Recordings in the order the query sorts them (by name); each run's rows as the spec reads them from its profile.
    const byName = LOGS.map((log, logIndex) => ({ log, logIndex, analysis: analyses[logIndex]! })).sort((a, b) => a.log.localeCompare(b.log));
    for (const { log, logIndex, analysis } of byName) {
      analysis.runs.forEach((run, runIndex) => {
        const rows = runRows(run, { exportId, recording: log, logIndex, runIndex });
        for (const t of ["runs", "nodes", "samples", "diagnostics"] as const) (expected[t] as unknown[]).push(...rows[t]);
      });
      logDiagnostics.push(...logDiagnosticRows(analysis.diagnostics, exportId, log));
    }
    for (const spec of TABLES) {
      const actual = await tableRows(db, spec.name);
      const want = (spec.name === "diagnostics" ? [...logDiagnostics, ...expected.diagnostics] : expected[spec.name as keyof typeof expected]).map((r) => expectedRow(spec as TableSpec<unknown>, r));
      if (spec.name === "diagnostics") {
        const key = (r: Record<string, unknown>) => JSON.stringify([r.recording, r.run_id === null ? -1 : Number(String(r.run_id).split("/")[2]), r.line, r.code, r.message]);
        want.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
        actual.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      }
      expect(actual.length, spec.name).toBe(want.length);
      expect(actual, spec.name).toEqual(want);
    }
  });

  it("gives the profile's own figures: the benchmark's ten measured runs, 281 ms median, its nodes' times and the critical path", async () => {
    const bench = analyses[LOGS.findIndex((l) => l.includes("/benchmark/"))]!;
    const runs = (await db.connection.runAndReadAll(
      "SELECT prompt_id, execution_ms, critical_path_ms, warmup, outcome, cache_use, nodes_executed FROM runs WHERE recording LIKE '%/benchmark/%' ORDER BY run_index",
    )).getRowObjectsJS();
    expect(runs.map((r) => r.prompt_id)).toEqual(bench.runs.map((r) => r.promptId));
    expect(runs.map((r) => r.execution_ms)).toEqual(bench.runs.map((r) => r.timing.executionMs));
    expect(runs.map((r) => r.critical_path_ms)).toEqual(bench.runs.map((r) => r.criticalPath.lengthMs));
    const median = (await db.connection.runAndReadAll("SELECT median(execution_ms) AS m, count(*) AS n FROM runs WHERE recording LIKE '%/benchmark/%' AND NOT warmup")).getRowObjectsJS()[0]!;
    expect(median).toEqual({ m: 281, n: 10n });
    const run = bench.runs.at(-1)!;
    const nodes = (await db.connection.runAndReadAll(
      `SELECT node_id, duration_ms, on_critical_path, slack_ms, duration_plus_minus_ms FROM nodes JOIN (SELECT run_id FROM runs WHERE prompt_id = '${run.promptId}') USING (run_id) ORDER BY node_index`,
    )).getRowObjectsJS();
    expect(nodes).toEqual(run.nodes.map((n) => ({ node_id: n.nodeId, duration_ms: n.durationMs, on_critical_path: n.onCriticalPath, slack_ms: n.slackMs, duration_plus_minus_ms: n.uncertainty?.durationPlusMinusMs ?? null })));
  });

  it("gives in the node_types view the node-type statistics analyze reports", async () => {
    const all = await analyzeFiles(LOGS);
    const rows = (await db.connection.runAndReadAll("SELECT * FROM node_types")).getRowObjectsJS();
    expect(rows.map((r) => [r.class_type, Number(r.count)])).toEqual(all.nodeTypes.map((t) => [t.classType, t.count]));
    all.nodeTypes.forEach((t, i) => {
      const r = rows[i]!;
      for (const [col, want] of [["total_ms", t.totalMs], ["mean_ms", t.meanMs], ["median_ms", t.medianMs], ["p95_ms", t.p95Ms], ["min_ms", t.minMs], ["max_ms", t.maxMs], ["share_of_total", t.shareOfTotal]] as const) {
        expect(r[col] as number, `${t.classType} ${col}`).toBeCloseTo(want, 6);
      }
      if (t.stdevMs === null) expect(r.stdev_ms).toBeNull();
      else expect(r.stdev_ms as number).toBeCloseTo(t.stdevMs, 6);
    });
  });

  it("refuses a folder that is not empty, unless --append; --append adds files and rewrites none", async () => {
    const before = readdirSync(join(out, "runs"), { recursive: true }).sort();
    const refused = await runMain(["export", "--parquet", out, LOGS[0]!]);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain("exists and is not empty");
    expect(refused.stderr).toContain("--append");
    expect(readdirSync(join(out, "runs"), { recursive: true }).sort()).toEqual(before);

    const copy = join(dir, "appended");
    expect((await runMain(["export", "--parquet", copy, LOGS[0]!])).code).toBe(0);
    const first = readdirSync(copy, { recursive: true }).map(String).filter((p) => p.endsWith(".parquet"));
    const hashes = first.map((p) => fileHash(join(copy, p)));
    const { code, stderr } = await runMain(["export", "--parquet", copy, "--append", LOGS[0]!]);
    expect(code).toBe(0);
    expect(stderr).toContain("appended");
    const after = readdirSync(copy, { recursive: true }).map(String).filter((p) => p.endsWith(".parquet"));
    expect(after.length).toBe(2 * first.length);
    expect(first.map((p) => fileHash(join(copy, p)))).toEqual(hashes);
    const q = await runMain(["query", "SELECT count(DISTINCT export_id) AS exports, count(*) AS runs FROM runs", "--parquet", copy, "--format", "json"]);
    const runsOfLog = analyses[0]!.runs.length;
    expect(JSON.parse(q.stdout)).toEqual([{ exports: 2, runs: 2 * runsOfLog }]);
  });

  it("refuses --append to a folder that is not an export, and a --parquet that is a file", async () => {
    const other = join(dir, "other");
    mkdirSync(other);
    writeFileSync(join(other, "notes.txt"), "mine\n");
    const a = await runMain(["export", "--parquet", other, "--append", LOGS[0]!]);
    expect(a.code).toBe(6);
    expect(a.stderr).toContain("no _comfyprof.json");
    expect(readdirSync(other)).toEqual(["notes.txt"]);
    const b = await runMain(["export", "--parquet", LOGS[0]!, LOGS[1]!]);
    expect(b.code).toBe(6);
    expect(b.stderr).toContain("is a file");
    for (const r of [a, b]) expect(r.stderr).not.toMatch(STACK_OR_BUG);
  });

  it("exports the good logs when one is refused midway, names it and the line, exits 5 and keeps none of its runs", async () => {
    // The benchmark with a corrupt line after its fifth run has finished: refused there, five runs already handed out.
    const lines = readFileSync(BENCHMARK, "utf8").trimEnd().split("\n");
    const cut = lines.findIndex((l, i) => i > 0 && l.includes("execution_success") && lines.slice(0, i + 1).filter((x) => x.includes("execution_success")).length === 5);
    const bad = join(dir, "bad.ndjson");
    writeFileSync(bad, [...lines.slice(0, cut + 1), "{not json", ...lines.slice(cut + 1)].join("\n") + "\n");
    const target = join(dir, "partial");
    const { code, stderr } = await runMain(["export", "--parquet", target, LOGS[0]!, bad, LOGS[1]!]);
    expect(code).toBe(5);
    expect(stderr).toContain(`bad.ndjson: line ${cut + 2}`);
    expect(stderr).not.toMatch(STACK_OR_BUG);
    const q = await runMain(["query", "SELECT DISTINCT recording FROM runs ORDER BY recording", "--parquet", target, "--format", "csv"]);
    expect(q.stdout).toBe(`recording\r\n${LOGS[0]}\r\n${LOGS[1]}\r\n`);
    const nodes = await runMain(["query", "SELECT count(*) AS n FROM nodes WHERE recording LIKE '%bad.ndjson'", "--parquet", target, "--format", "csv"]);
    expect(nodes.stdout).toBe("n\r\n0\r\n");
    // Its workflow's prompt went with it: the export holds the two good logs' workflows only.
    const workflows = await runMain(["query", "SELECT DISTINCT recording FROM workflows ORDER BY recording", "--parquet", target, "--format", "csv"]);
    expect(workflows.stdout).toBe(`recording\r\n${LOGS[0]}\r\n${LOGS[1]}\r\n`);
    expect(readdirSync(target).some((f) => f.startsWith("_staging"))).toBe(false);
  });

  it("copies the staged rows out in batches: the same rows in more files", async () => {
    const { ParquetWriter } = await import("../../pipelines/parquet/writer.js");
    const target = join(dir, "batched");
    const { prepareExportDir } = await import("../../pipelines/parquet/layout.js");
    prepareExportDir(target, false);
    const bench = analyses[LOGS.findIndex((l) => l.includes("/benchmark/"))]!;
    const writer = new ParquetWriter(target, "batch-test", 3);
    // Ten runs in batches of three: runs 1–3, 4–6 and 7–9 copied out after the log, the tenth at the end.
    for (const [runIndex, run] of bench.runs.entries()) writer.addRun(run, { exportId: "batch-test", recording: "b", logIndex: 0, runIndex });
    await writer.flush();
    expect(readdirSync(join(target, "runs"), { recursive: true }).map(String).filter((p) => p.endsWith(".parquet")).length).toBe(3);
    // A log refused after five more runs (one batch rotated inside it): all five dropped, the batch before kept.
    const mark = writer.mark();
    for (const [runIndex, run] of bench.runs.slice(0, 5).entries()) writer.addRun(run, { exportId: "batch-test", recording: "refused", logIndex: 1, runIndex });
    writer.dropSince(mark);
    expect(await writer.finish()).toBe(bench.runs.length);
    const files = readdirSync(join(target, "runs"), { recursive: true }).map(String).filter((p) => p.endsWith(".parquet"));
    expect(files.length).toBe(4);
    expect(existsSync(join(target, "_staging-batch-test"))).toBe(false);
    const q = await runMain(["query", "SELECT count(*) AS n FROM runs", "--parquet", target, "--format", "json"]);
    expect(JSON.parse(q.stdout)).toEqual([{ n: bench.runs.length }]);
  });
});
