// `npm run bench`: analyze throughput against the floor of any line-by-line
// JSON reader, and peak memory, on large synthetic logs (bench/generate-log.ts).
//
// For each size, the log is generated once (plain, then gzipped), and each task
// runs in a fresh child process (bench/task.ts) so each peak RSS is its own:
//   baseline  node:readline + JSON.parse over the file, counting lines
//   analyze   what `analyze --format json` does (analyzeToJson), the report to /dev/null
//   cli       `comfyprof analyze --format json <log> > /dev/null`, timed from outside (startup included)
// MB/s is always of the uncompressed log, so the gzip rows compare with the plain ones.
//   html      what `analyze --html` does (bench/task.ts html), then the page opened in headless Chromium
//             (bench/html-load.ts): time, peak RSS, page size, load time; plain files only
//   export    `export --parquet DIR <log>` (bench/task.ts export): MB/s and ÷ baseline like analyze; plain files only
//   fleet     a synthetic Parquet export of --fleet-runs runs (bench/generate-parquet.ts), then `trend --parquet`
//             over it (bench/task.ts fleet-trend) at 10,000 and 1,000 bootstrap resamples: time, peak RSS
// It reports; it does not assert (exit 0). Targets: analyze/baseline ≥ 0.6, peak RSS < 300 MB;
// HTML: page < 5 MB, Chromium load < 3 s.
//
//   npm run bench -- [--sizes 100,300] [--repeat 1] [--no-gzip] [--no-cli] [--no-html] [--no-export] [--keep] [--dir DIR]
//                    [--compare-cli OTHER/bin/comfyprof.js]   (also time another build's CLI: before/after)
//                    [--fleet-runs 100000 | --no-fleet]

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateLog, gzipFile, MB } from "./generate-log.js";
import { measurePageLoad } from "./html-load.js";
import { generateParquetExport } from "./generate-parquet.js";

const TARGET_RATIO = 0.6;
const TARGET_RSS_MB = 300;
const TIME = "/usr/bin/time";
const TARGET_PAGE_MB = 5;
const TARGET_LOAD_S = 3;

interface Options {
  sizesMb: number[];
  repeat: number;
  gzip: boolean;
  cli: boolean;
  html: boolean;
  keep: boolean;
  dir: string | null;
  /** Another build's bin/comfyprof.js, measured the same way (before/after figures). */
  compareCli: string | null;
  export: boolean;
  /** Runs of the synthetic Parquet export trended; 0: no fleet rows. */
  fleetRuns: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { sizesMb: [100, 300], repeat: 1, gzip: true, cli: true, html: true, keep: false, dir: null, compareCli: null, export: true, fleetRuns: 100_000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--sizes") options.sizesMb = value().split(",").map(Number);
    else if (arg === "--repeat") options.repeat = Number(value());
    else if (arg === "--no-gzip") options.gzip = false;
    else if (arg === "--no-cli") options.cli = false;
    else if (arg === "--no-html") options.html = false;
    else if (arg === "--keep") options.keep = true;
    else if (arg === "--dir") options.dir = value();
    else if (arg === "--compare-cli") options.compareCli = value();
    else if (arg === "--no-export") options.export = false;
    else if (arg === "--fleet-runs") options.fleetRuns = Number(value());
    else if (arg === "--no-fleet") options.fleetRuns = 0;
    else throw new Error(`unknown option ${arg}`);
  }
  if (options.sizesMb.some((s) => !(s > 0)) || !(options.repeat >= 1)) throw new Error("sizes and repeat must be positive");
  return options;
}

interface Measured {
  ms: number;
  /** Peak RSS, MiB: /usr/bin/time's when it is there, else the child's own resourceUsage. */
  rssMb: number;
}

/** Runs `args` under node (under /usr/bin/time -v when present); stdout to /dev/null unless `capture`. */
function runChild(args: string[], capture: boolean): Promise<{ stdout: string; wallMs: number; timeRssKb: number | null }> {
  const withTime = existsSync(TIME);
  const command = withTime ? TIME : process.execPath;
  const argv = withTime ? ["-v", process.execPath, ...args] : args;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { stdio: ["ignore", capture ? "pipe" : "ignore", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      if (code !== 0) return reject(new Error(`${args.join(" ")} exited with ${code}:\n${stderr}`));
      resolve({ stdout, wallMs, timeRssKb: rss ? Number(rss[1]) : null });
    });
  });
}

const TASK = fileURLToPath(new URL("./task.js", import.meta.url));
const CLI = fileURLToPath(new URL("../../bin/comfyprof.js", import.meta.url));

async function measureTask(mode: "baseline" | "analyze" | "export" | "fleet-trend", path: string, extra: string[] = []): Promise<Measured> {
  const { stdout, timeRssKb } = await runChild([TASK, mode, path, ...extra], true);
  const result = JSON.parse(stdout) as { ms: number; maxRssKb: number };
  return { ms: result.ms, rssMb: (timeRssKb ?? result.maxRssKb) / 1024 };
}

/** `analyze --html` in a child process (its own peak RSS), then the page's load in Chromium. */
async function measureHtml(path: string): Promise<string[]> {
  const page = `${path}.html`;
  const { stdout, timeRssKb } = await runChild([TASK, "html", path, page], true);
  const result = JSON.parse(stdout) as { ms: number; maxRssKb: number; runs: number; detailed: number; pageBytes: number };
  const load = await measurePageLoad(page);
  await rm(page, { force: true });
  const rssMb = (timeRssKb ?? result.maxRssKb) / 1024;
  const pageMb = result.pageBytes / MB;
  const loadS = load.loadMs === null ? Infinity : load.loadMs / 1000;
  return [
    `html: ${result.runs} runs, ${result.detailed} in detail; analyze --html ${fmt(result.ms / 1000, 2)} s, peak RSS ${fmt(rssMb, 0)} MB ${rssMb < TARGET_RSS_MB ? "✓" : "✗"}; ` +
      `page ${fmt(pageMb, 2)} MB ${pageMb < TARGET_PAGE_MB ? "✓" : "✗"} (< ${TARGET_PAGE_MB}); Chromium load ${load.loadMs === null ? "not finished" : `${fmt(loadS, 2)} s`} ${loadS < TARGET_LOAD_S ? "✓" : "✗"} (< ${TARGET_LOAD_S} s)` +
      (load.problems.length > 0 ? `; page problems: ${load.problems.join(" | ")}` : ""),
  ];
}

/** `export --parquet` into a fresh folder beside the log, removed after. */
async function measureExport(path: string): Promise<Measured> {
  const out = `${path}.parquet`;
  try {
    return await measureTask("export", path, [out]);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** Fleet: `trend --parquet` over a synthetic export of `runs` runs, at the default resamples and at 1,000. */
async function measureFleet(dir: string, runs: number): Promise<string[]> {
  const out = join(dir, `fleet-${runs}`);
  const t0 = performance.now();
  const made = await generateParquetExport(out, runs);
  process.stdout.write(`\nfleet: ${made.runs.toLocaleString("en")} runs, ${made.nodes.toLocaleString("en")} node rows (Parquet made in ${fmt((performance.now() - t0) / 1000)} s)\n`);
  const lines: string[] = [];
  try {
    for (const resamples of [10_000, 1_000]) {
      const m = await measureTask("fleet-trend", out, [String(resamples)]);
      lines.push(`fleet: trend --parquet over ${made.runs.toLocaleString("en")} runs, ${resamples.toLocaleString("en")} resamples: ${fmt(m.ms / 1000, 2)} s, peak RSS ${fmt(m.rssMb, 0)} MB`);
      process.stdout.write(`${lines.at(-1)}\n`);
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  return lines;
}

async function measureCli(path: string, cli = CLI): Promise<Measured> {
  const { wallMs, timeRssKb } = await runChild([cli, "analyze", "--format", "json", path], false);
  return { ms: wallMs, rssMb: (timeRssKb ?? NaN) / 1024 };
}

/**
 * Each task `repeat` times, interleaved (a, b, c, a, b, c, …) so that a busy
 * spell on the machine hits all of them alike; per task the best time and the
 * highest RSS.
 */
async function interleaved(repeat: number, tasks: (() => Promise<Measured>)[]): Promise<Measured[]> {
  const all: Measured[][] = tasks.map(() => []);
  for (let i = 0; i < repeat; i++) {
    for (const [t, task] of tasks.entries()) all[t]!.push(await task());
  }
  return all.map((ms) => ({ ms: Math.min(...ms.map((m) => m.ms)), rssMb: Math.max(...ms.map((m) => m.rssMb)) }));
}

interface Row {
  size: string;
  variant: string;
  task: string;
  seconds: string;
  mbps: string;
  ratio: string;
  rss: string;
}

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "—");

function table(rows: Row[]): string {
  const head: Row = { size: "log", variant: "file", task: "task", seconds: "time s", mbps: "MB/s", ratio: "÷ baseline", rss: "peak RSS MB" };
  const all = [head, ...rows];
  const keys = Object.keys(head) as (keyof Row)[];
  const width = (k: keyof Row) => Math.max(...all.map((r) => r[k].length));
  const right = new Set<keyof Row>(["seconds", "mbps", "ratio", "rss"]);
  return all.map((r) => keys.map((k) => (right.has(k) ? r[k].padStart(width(k)) : r[k].padEnd(width(k)))).join("  ")).join("\n");
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "comfyprof-bench-")));
  process.stdout.write(`comfyprof bench — Node ${process.version}, ${cpus()[0]?.model ?? "?"} × ${cpus().length}, logs in ${dir}\n`);
  const rows: Row[] = [];
  const verdicts: string[] = [];
  try {
    for (const sizeMb of options.sizesMb) {
      const plain = join(dir, `bench-${sizeMb}MB.ndjson`);
      const t0 = performance.now();
      const log = await generateLog({ path: plain, targetBytes: sizeMb * MB });
      const logMb = log.bytes / MB;
      process.stdout.write(
        `\n${fmt(logMb)} MB log: ${log.lines.toLocaleString("en")} lines, ${log.prompts} prompts (generated in ${fmt((performance.now() - t0) / 1000)} s)\n`,
      );
      const variants: { name: string; path: string }[] = [{ name: "plain", path: plain }];
      if (options.gzip) {
        const gz = `${plain}.gz`;
        const gzBytes = await gzipFile(plain, gz);
        process.stdout.write(`gzip: ${fmt(gzBytes / MB)} MB\n`);
        variants.push({ name: "gzip", path: gz });
      }
      for (const v of variants) {
        // The CLI rows only for the plain file: they measure startup and the same work again.
        const tasks: [string, () => Promise<Measured>][] = [
          ["baseline", () => measureTask("baseline", v.path)],
          ["analyze", () => measureTask("analyze", v.path)],
        ];
        if (options.cli && v.name === "plain") tasks.push(["cli (with startup)", () => measureCli(v.path)]);
        if (options.compareCli !== null && v.name === "plain") tasks.push(["cli, --compare-cli build", () => measureCli(v.path, options.compareCli!)]);
        if (options.export && v.name === "plain") tasks.push(["export --parquet", () => measureExport(v.path)]);
        const measured = await interleaved(options.repeat, tasks.map(([, task]) => task));
        const [base, ana] = measured as [Measured, Measured];
        const rate = (m: Measured) => logMb / (m.ms / 1000);
        const ratio = rate(ana) / rate(base);
        const size = `${Math.round(logMb)} MB`;
        tasks.forEach(([task], i) => {
          const m = measured[i]!;
          rows.push({
            size, variant: v.name, task, seconds: fmt(m.ms / 1000, 2), mbps: fmt(rate(m)),
            ratio: i === 0 ? "" : fmt(rate(m) / rate(base), 2), rss: fmt(m.rssMb, 0),
          });
          if (task === "cli (with startup)") verdicts.push(`${size} cli: peak RSS ${fmt(m.rssMb, 0)} MB ${m.rssMb < TARGET_RSS_MB ? "✓" : "✗"} (< ${TARGET_RSS_MB} MB)`);
        });
        process.stdout.write(`${v.name}: baseline ${fmt(rate(base))} MB/s, analyze ${fmt(rate(ana))} MB/s\n`);
        verdicts.push(
          `${size} ${v.name}: ratio ${fmt(ratio, 2)} ${ratio >= TARGET_RATIO ? "✓" : "✗"} (≥ ${TARGET_RATIO}), ` +
            `analyze peak RSS ${fmt(ana.rssMb, 0)} MB ${ana.rssMb < TARGET_RSS_MB ? "✓" : "✗"} (< ${TARGET_RSS_MB} MB)`,
        );
      }
      if (options.html) {
        const lines = await measureHtml(plain);
        process.stdout.write(`${lines.join("\n")}\n`);
        verdicts.push(...lines.map((l) => `${Math.round(logMb)} MB ${l}`));
      }
      if (!options.keep) await Promise.all(variants.map((v) => rm(v.path, { force: true })));
    }
    if (options.fleetRuns > 0) verdicts.push(...(await measureFleet(dir, options.fleetRuns)));
  } finally {
    if (!options.keep && options.dir === null) await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(`\n${table(rows)}\n\n${verdicts.join("\n")}\n`);
  if (options.repeat > 1) process.stdout.write(`(best time and highest RSS of ${options.repeat} runs each)\n`);
}

await main();
