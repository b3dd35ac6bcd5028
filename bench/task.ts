// One measured task, run by bench/run.ts in a child process of its own so that
// its peak RSS is its own. Prints one JSON line: {lines|runs, ms, maxRssKb}.
//
//   node dist/bench/task.js baseline <log>…  node:readline + JSON.parse, counting lines (every log given)
//   node dist/bench/task.js analyze <log>    the JSON report as `analyze --format json` makes it, to /dev/null
//   node dist/bench/task.js library <log>    analyzeFiles + renderJsonReport (the whole Analysis in memory), to /dev/null
//   node dist/bench/task.js html <log> <out> the HTML report as `analyze --html <out>` makes it (pipelines/html-runs.ts)
//   node dist/bench/task.js export <log> <dir>          `comfyprof export --parquet <dir> <log>` (pipelines/export-command.ts)
//   node dist/bench/task.js fleet-trend <dir> <resamples> `comfyprof trend --parquet <dir>` without the report (pipelines/parquet/stats.ts)

import { createReadStream, createWriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { analyzeFiles, analyzeFilesStreaming } from "../pipelines/analyze.js";
import { analyzeToJson } from "../pipelines/json-report.js";
import { renderJsonReport } from "../reports/json.js";
import { ManyRunsCollector, renderRunsHtml } from "../pipelines/html-runs.js";

/** The floor: the least any line-by-line JSON reader of this file has to do. */
async function baseline(path: string): Promise<Record<string, number>> {
  let lines = 0;
  let kinds = 0;
  for (const one of [path, ...rest]) {
    const file = createReadStream(one, { highWaterMark: 1 << 20 });
    const input = one.endsWith(".gz") ? file.pipe(createGunzip()) : file;
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (line.length === 0) continue;
      // Touch the result, so the parse is not dead code.
      if ((JSON.parse(line) as { kind?: unknown }).kind !== undefined) kinds++;
      lines++;
    }
  }
  return { lines, kinds };
}

/** What `comfyprof analyze --format json <log> > /dev/null` does. */
async function analyze(path: string): Promise<Record<string, number>> {
  const report = await analyzeToJson([path]);
  try {
    await report.writeTo(createWriteStream("/dev/null"), true);
  } finally {
    report.dispose();
  }
  return { runs: report.runCount };
}

/** The library's way: the whole Analysis in memory, then one JSON string. */
async function library(path: string): Promise<Record<string, number>> {
  const analysis = await analyzeFiles([path]);
  const json = renderJsonReport(analysis);
  await writeFile("/dev/null", json);
  return { runs: analysis.runs.length, jsonChars: json.length };
}

/** What `comfyprof analyze --html <out> <log>` does, without the terminal report. */
async function html(path: string): Promise<Record<string, number>> {
  const collector = new ManyRunsCollector([]);
  const rest = await analyzeFilesStreaming([path], { onLogRead: () => collector.logRead() }, (run) => collector.add(run));
  const many = collector.finish(rest);
  const page = await renderRunsHtml(many, {});
  await writeFile(out ?? "/dev/null", page);
  return { runs: many.summaries.length, detailed: many.selection.picks.length, pageBytes: Buffer.byteLength(page) };
}

/** What `comfyprof export --parquet <out> <log>` does. */
async function exportParquet(path: string): Promise<Record<string, number>> {
  const { main } = await import("../pipelines/cli.js");
  const code = await main(["export", "--parquet", out!, path]);
  if (code !== 0) throw new Error(`export exited with ${code}`);
  return {};
}

/** What `comfyprof trend --parquet <dir> --resamples <n>` computes; `path` is the export. */
async function fleetTrend(path: string): Promise<Record<string, number>> {
  const { trendFromParquet } = await import("../pipelines/parquet-stats-command.js");
  const { DEFAULT_SETTINGS } = await import("../src/model/comparison.js");
  const trend = await trendFromParquet(path, { ...DEFAULT_SETTINGS, resamples: Number(out ?? DEFAULT_SETTINGS.resamples) });
  return { series: trend.series.length, points: trend.series.reduce((n, s) => n + s.points.length, 0) };
}

const MODES: Record<string, (path: string) => Promise<Record<string, number>>> = { baseline, analyze, library, html, export: exportParquet, "fleet-trend": fleetTrend };

const [mode, path, ...rest] = process.argv.slice(2);
const out = rest[0];
const task = MODES[mode ?? ""];
if (!task || !path) {
  process.stderr.write(`usage: task.js ${Object.keys(MODES).join("|")} <log> [html: <out.html> | export: <dir>]\n`);
  process.exit(2);
}
const started = performance.now();
const result = await task(path);
const ms = performance.now() - started;
// resourceUsage().maxRSS is in KiB, the high-water mark of the whole process.
process.stdout.write(`${JSON.stringify({ ...result, ms, maxRssKb: process.resourceUsage().maxRSS })}\n`);
