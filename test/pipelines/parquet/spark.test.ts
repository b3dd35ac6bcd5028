// Opt-in: COMFYPROF_SPARK=1 (and COMFYPROF_SPARK_PYTHON, a Python with pyspark;
// python3 by default). Spark reads the export's files and computes each
// recording's measured-run figures; they must be the trend's from DuckDB.

import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { trendFromParquet } from "../../../pipelines/parquet-stats-command.js";
import { DEFAULT_SETTINGS } from "../../../src/model/comparison.js";
import { runMain } from "../../support/main-in-process.js";
import { stretchedLog } from "../../support/stretched-log.js";

const enabled = process.env.COMFYPROF_SPARK === "1";
const python = process.env.COMFYPROF_SPARK_PYTHON ?? "python3";
const SCRIPT = new URL("./spark-trend.py", import.meta.url).pathname;
const recording = (name: string) => new URL(`../../../samples/recordings/${name}/run.ndjson`, import.meta.url).pathname;

describe.skipIf(!enabled)("pipelines/parquet/spark (COMFYPROF_SPARK=1)", () => {
  it("computes from the same files the trend figures DuckDB gives: runs, median, mean, min, max, stdev per recording", async () => {
    const dir = mkdtempSync(join(tmpdir(), "comfyprof-spark-"));
    const logs = [1, 1.1, 1.3].map((f, i) => stretchedLog(recording("benchmark"), dir, f, i * 3_600_000, `bench-${i}`));
    const out = join(dir, "export");
    expect((await runMain(["export", "--parquet", out, ...logs, recording("gc-chain"), recording("cold")])).code).toBe(0);
    const trend = await trendFromParquet(out, { ...DEFAULT_SETTINGS, resamples: 1000 });

    // Fails loudly when set and Spark cannot run (no pyspark, no Java).
    const { stdout } = await promisify(execFile)(python, [SCRIPT, out], { maxBuffer: 16 << 20, timeout: 300_000 });
    const spark = stdout.trim().split("\n").map((l) => JSON.parse(l));
    const points = trend.series.flatMap((s) => s.points.map((p) => ({ s, p })));
    expect(spark.length).toBe(points.length);
    for (const { s, p } of points) {
      const row = spark.find((r) => (r.recording === p.name || r.recording.endsWith(`${p.name}.ndjson`)) && r.workflow_fingerprint === s.workflowFingerprint && r.cache_use === s.cacheState);
      expect(row, `${p.name} ${s.workflowFingerprint}`).toBeDefined();
      expect(row.n).toBe(p.execution.n);
      for (const [col, want] of [["median_ms", p.execution.medianMs], ["mean_ms", p.execution.meanMs], ["min_ms", p.execution.minMs], ["max_ms", p.execution.maxMs], ["stdev_ms", p.execution.stdevMs]] as const) {
        if (want === null) expect(row[col], col).toBeNull();
        else expect(row[col], `${p.name} ${col}`).toBeCloseTo(want, 9);
      }
    }
  }, 600_000);
});
