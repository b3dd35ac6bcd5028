import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runMain, STACK_OR_BUG } from "../support/main-in-process.js";

const BENCHMARK = new URL("../../samples/recordings/benchmark/run.ndjson", import.meta.url).pathname;
const COLD = new URL("../../samples/recordings/cold/run.ndjson", import.meta.url).pathname;

describe("pipelines/query-command", () => {
  const dir = mkdtempSync(join(tmpdir(), "comfyprof-query-"));
  const out = join(dir, "export");

  beforeAll(async () => {
    expect((await runMain(["export", "--parquet", out, BENCHMARK, COLD])).code).toBe(0);
  });

  it("prints a table: numbers right-aligned, a row count", async () => {
    const { code, stdout } = await runMain(["query", "SELECT cache_use, count(*) AS runs, median(execution_ms) AS median_ms FROM runs WHERE NOT warmup GROUP BY ALL ORDER BY runs DESC", "--parquet", out]);
    expect(code).toBe(0);
    // The benchmark's ten measured runs (median 281 ms) are model-warm; cold's two are cold (142.5 ms).
    expect(stdout).toBe(["cache_use   runs  median_ms", "model-warm    10        281", "cold           2      142.5", "(2 rows)", ""].join("\n"));
  });

  it("escapes control and bidi characters of a cell for the terminal", async () => {
    const { stdout } = await runMain(["query", "SELECT chr(27) || '[2J' || chr(8238) || 'x' AS title", "--parquet", out]);
    expect(stdout).not.toContain("\x1b");
    expect(stdout).not.toContain("\u202e");
    expect(stdout).toContain("\\x1b[2J\\u{202e}x");
  });

  it("writes CSV (quoted where needed) and JSON (numbers as numbers, lists as arrays, null as null)", async () => {
    const sql = "SELECT 'a,b' AS s, 'say \"hi\"' AS q, 3::BIGINT AS n, 1.25 AS d, ['x', 'y'] AS l, NULL AS z";
    const csv = await runMain(["query", sql, "--parquet", out, "--format", "csv"]);
    expect(csv.stdout).toBe('s,q,n,d,l,z\r\n"a,b","say ""hi""",3,1.25,"[""x"",""y""]",\r\n');
    const json = await runMain(["query", sql, "--parquet", out, "--format", "json"]);
    expect(JSON.parse(json.stdout)).toEqual([{ s: "a,b", q: 'say "hi"', n: 3, d: 1.25, l: ["x", "y"], z: null }]);
  });

  it("keeps whole numbers beyond 2^53 as DuckDB's exact text in JSON", async () => {
    const { stdout } = await runMain(["query", "SELECT 9007199254740993::BIGINT AS big", "--parquet", out, "--format", "json"]);
    expect(JSON.parse(stdout)).toEqual([{ big: "9007199254740993" }]);
  });

  it("has the views runs, nodes, node_types, samples and diagnostics", async () => {
    const { stdout } = await runMain(["query", "SELECT (SELECT count(*) FROM runs) r, (SELECT count(*) FROM nodes) n, (SELECT count(*) FROM node_types) t, (SELECT count(*) FROM samples) s, (SELECT count(*) FROM diagnostics) d", "--parquet", out, "--format", "json"]);
    const [counts] = JSON.parse(stdout);
    for (const v of Object.values(counts)) expect(v).toBeGreaterThan(0);
  });

  it("says what DuckDB said of bad SQL, exits 1, no stack trace", async () => {
    for (const [sql, words] of [["SELEC 1", "Parser Error"], ["SELECT nope FROM runs", "Binder Error"], ["SELECT * FROM missing_table", "Catalog Error"]] as const) {
      const { code, stderr, stdout } = await runMain(["query", sql, "--parquet", out]);
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toContain(`comfyprof: the query failed: ${words}`);
      expect(stderr).not.toMatch(STACK_OR_BUG);
    }
  });

  it("refuses an empty query (exit 1) and a folder that is not an export (exit 5)", async () => {
    expect((await runMain(["query", "  ", "--parquet", out])).code).toBe(1);
    const notExport = await runMain(["query", "SELECT 1", "--parquet", dir]);
    expect(notExport.code).toBe(5);
    expect(notExport.stderr).toContain("is not a comfyprof Parquet export (no _comfyprof.json)");
    const missing = await runMain(["query", "SELECT 1", "--parquet", join(dir, "nowhere")]);
    expect(missing.code).toBe(5);
    for (const r of [notExport, missing]) expect(r.stderr).not.toMatch(STACK_OR_BUG);
  });
});

describe("pipelines/parquet (start-up)", () => {
  it("loads DuckDB only when a Parquet command runs, never with the CLI", async () => {
    // The CLI module imports every command; DuckDB's binding (CommonJS, so in require's cache once loaded) must not come with them.
    // The built CLI (test/global-setup.ts builds dist/ before the tests).
    const cli = new URL("../../dist/pipelines/cli.js", import.meta.url).pathname;
    const script = `import { createRequire } from "node:module";
      await import(${JSON.stringify(cli)});
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes("@duckdb")).length;
      const before = loaded();
      const { openDatabase } = await import(${JSON.stringify(new URL("../../dist/pipelines/parquet/duckdb.js", import.meta.url).pathname)});
      (await openDatabase()).close();
      console.log(JSON.stringify([before, loaded() > 0]));`;
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script]);
    expect(JSON.parse(stdout)).toEqual([0, true]);
  });
});
