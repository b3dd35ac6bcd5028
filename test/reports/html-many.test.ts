import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import type { RunProfile } from "../../src/model/profile.js";
import { analyzeFiles } from "../../pipelines/analyze.js";
import { ManyRunsCollector, type ManyRuns } from "../../pipelines/html-runs.js";
import { renderManyRunsReport } from "../../reports/html-many.js";
import { MEMORY_BUCKETS } from "../../reports/html-data.js";
import { compileOverviewSpecs } from "../../reports/html-overview-specs.js";

// The page functions below run in the browser; the project compiles without the DOM library.
interface PageElement {
  id: string;
  value: string;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<PageElement> };
declare const window: { __pwned?: unknown };

const HOSTILE = `</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`;
const RUNS = 60;
/** Runs 21 and 42 (indexes 20 and 41 of the measured ones) fail; run 7 is asked for with --run, and a prompt id too. */
const FAILED = [20, 41];
const MEMORY_SAMPLES = 2000;

/**
 * A long benchmark: the bundled recording's warm-up, then its ten measured runs
 * cycled to 60, each with its own prompt id and execution time (1000 + 10·((37·i) mod 60)
 * ms: every time once, 1000–1590 ms), two failures, and one run with 2,000 memory
 * samples. The slowest run's workflow is named with markup.
 */
async function longBenchmark(): Promise<ManyRuns> {
  const analysis = await analyzeFiles([new URL("../../samples/recordings/benchmark/run.ndjson", import.meta.url).pathname]);
  const collector = new ManyRunsCollector([{ text: "7", measuredNo: 7 }, { text: "prompt-33", promptId: "prompt-33" }, { text: "nope", promptId: "nope" }]);
  collector.add(analysis.runs[0]!);
  for (let i = 0; i < RUNS; i++) {
    const run: RunProfile = structuredClone(analysis.runs[1 + (i % 10)]!);
    run.promptId = `prompt-${i}`;
    run.timing.executionMs = 1000 + 10 * ((37 * i) % 60);
    if (FAILED.includes(i)) run.outcome = { ...run.outcome, status: "error", nodeId: "3", nodeType: "KSampler", message: "boom" };
    if (i === 47) run.workflow.name = HOSTILE;
    if (i === 0) {
      const sample = run.memory.samples[0]!;
      run.memory.samples = Array.from({ length: MEMORY_SAMPLES }, (_, k) => ({ ...sample, atMs: k * 10, ramUsedBytes: 2 ** 30 + (k === 1234 ? 2 ** 30 : (k % 50) * 2 ** 20) }));
    }
    collector.add(run);
  }
  const { runs: _, ...rest } = analysis;
  return collector.finish(rest);
}

describe("reports/html-many", () => {
  it("shows in detail the slowest, median, fastest, failed and asked-for runs, and says why", async () => {
    const many = await longBenchmark();
    const why = Object.fromEntries(many.selection.picks.map((p) => [many.summaries[p.index]!.promptId, p.reasons.map((r) => r.kind).join("+")]));
    // 1000 ms at i = 0; 1590 ms where 37·i ≡ 59 (mod 60): i = 47 (37·47 = 1739 = 28·60 + 59). Run 7 is prompt-6.
    expect(why).toMatchObject({ "prompt-0": "fastest", "prompt-47": "slowest", "prompt-20": "failed", "prompt-41": "failed", "prompt-6": "requested", "prompt-33": "requested" });
    const median = many.selection.picks.find((p) => p.reasons.some((r) => r.kind === "median"))!.reasons.find((r) => r.kind === "median")!;
    expect(median).toMatchObject({ kind: "median", of: RUNS - FAILED.length });
    expect(median.kind === "median" && median.executionMs === median.medianMs).toBe(true);
    expect(many.selection.picks).toHaveLength(7);
    expect(many.selection.unmatched).toEqual(["nope"]);
    const html = renderManyRunsReport(many, {});
    expect(html.match(/<section class="run"/g)).toHaveLength(7);
    expect(html.includes("asked for with --run 7")).toBe(true);
    expect(html.includes("--run nope: no such run")).toBe(true);
    expect(html.includes("<script>window.__pwned"), "the hostile workflow name, unescaped").toBe(false);
    expect(html.includes("&lt;/script&gt;&lt;script&gt;window.__pwned=1")).toBe(true);
  });

  it("draws a long memory series as its min/max envelope in buckets, the spike kept", async () => {
    const many = await longBenchmark();
    const html = renderManyRunsReport(many, {});
    const data = JSON.parse(/<script type="application\/json" id="comfyprof-data">([^<]*)<\/script>/.exec(html)![1]!);
    const memory: { series: string; maxMb: number; minMb: number }[] = data.runs["1"].memory.datasets.memory;
    const ram = memory.filter((r) => r.series === "RAM used");
    expect(ram.length).toBeLessThanOrEqual(MEMORY_BUCKETS);
    expect(Math.max(...ram.map((r) => r.maxMb))).toBe(2048);
    expect(Math.min(...ram.map((r) => r.minMb))).toBe(1024);
  });

  it("compiles its overview specs without warnings", () => {
    const log = { warnings: [] as string[] };
    compileOverviewSpecs(log);
    expect(log.warnings).toEqual([]);
  });

  describe("in a browser", () => {
    const CHROMIUM = "/usr/bin/chromium";
    let browser: Browser;
    let dir: string;

    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get update && apt-get install -y chromium\`.`);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
      dir = await mkdtemp(join(tmpdir(), "comfyprof-html-many-"));
    });

    afterAll(async () => {
      await browser?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it("draws the overview and the selected runs offline, with no error and no request", async () => {
      const many = await longBenchmark();
      const file = join(dir, "many.html");
      await writeFile(file, renderManyRunsReport(many, { title: HOSTILE }));
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
      page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
      page.on("request", (r) => { if (!r.url().startsWith("file:")) problems.push(`request: ${r.url()}`); });
      await page.route("**/*", (route) => (route.request().url().startsWith("file:") ? route.continue() : route.abort()));
      await page.goto(pathToFileURL(file).href);
      const settled = () => Array.from(document.querySelectorAll(".chart[data-overview], section.run.current .chart")).every((c) => c.getAttribute("data-state") === "rendered" || c.getAttribute("data-state") === "failed");
      await page.waitForFunction(settled);
      const count = (selector: string) => page.evaluate((s) => document.querySelectorAll(s).length, selector);
      expect(await count('.chart[data-overview][data-state="rendered"]')).toBe(2);
      expect(await count('.chart[data-chart="histogram"] g.bins_marks > *')).toBe(many.histogram.length);
      for (const layer of ["whiskers", "boxes", "medians"]) expect(await count(`.chart[data-chart="boxes"] g.${layer}_marks > *`)).toBe(many.boxes.length);
      const sections = await page.evaluate(() => Array.from(document.querySelectorAll("section.run")).map((s) => s.id));
      expect(sections).toEqual(many.selection.picks.map((p) => `run-${p.index}`));
      const options = await page.evaluate(() => Array.from(document.querySelectorAll("#run-select option")).map((o) => o.value));
      expect(options).toEqual(many.selection.picks.map((p) => String(p.index)));
      // The run with 2,000 samples: its memory chart draws the buckets, not the samples.
      await page.selectOption("#run-select", "1");
      await page.waitForFunction(settled);
      expect(await count('#run-1 .chart[data-chart="memory"][data-state="rendered"]')).toBe(1);
      expect(await count("#run-1 g.points_marks > *")).toBeLessThanOrEqual(MEMORY_BUCKETS);
      expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});
