import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import type { Analysis, RunProfile } from "../../src/model/profile.js";
import { analyzeFiles } from "../../pipelines/analyze.js";
import { renderHtmlReport } from "../../reports/html.js";
import { compileChartSpecs } from "../../reports/html-specs.js";

// The page functions below run in the browser. The project compiles without the DOM library,
// so they get just the DOM they use, declared here (module scope: nothing leaks).
interface PageElement {
  id: string;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<PageElement> };
declare const window: { __pwned?: unknown };
declare function getComputedStyle(element: PageElement): { display: string };

const recording = (name: string) => new URL(`../../samples/recordings/${name}/run.ndjson`, import.meta.url).pathname;
const analyze = (name: string) => analyzeFiles([recording(name)]);

const HOSTILE = `</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`;

/** error-mid-run with a node title and the error message an attacker chose. */
async function hostileAnalysis(): Promise<Analysis> {
  const analysis = await analyze("error-mid-run");
  const run = analysis.runs[0]!;
  run.nodes.find((n) => n.nodeId === "1")!.title = HOSTILE;
  run.outcome.message = HOSTILE;
  return analysis;
}

/** Bars the Gantt must draw: one per segment of every node and expanded child. */
const intervalCount = (run: RunProfile) => run.nodes.reduce((sum, n) => sum + n.intervals.length + n.children.reduce((s, c) => s + c.intervals.length, 0), 0);

function dataBlock(html: string): { specs: Record<string, unknown>; runs: Record<string, { datasets: Record<string, Record<string, unknown>[]> } | null>[]; initialRun: number } {
  const match = /<script type="application\/json" id="comfyprof-data">([^<]*)<\/script>/.exec(html);
  expect(match, "the data block").not.toBeNull();
  return JSON.parse(match![1]!);
}

describe("reports/html", () => {
  it("inlines the libraries and refers to nothing on the network", async () => {
    const html = renderHtmlReport(await analyze("parallel-branches"), {});
    expect(/<script[^>]*\ssrc\s*=/i.test(html), "a <script src>").toBe(false);
    expect(/<link\b/i.test(html), "a <link>").toBe(false);
    expect(/\s(src|href)\s*=\s*["']?(https?:)?\/\//i.test(html), "a src or href to another host").toBe(false);
    expect(html.includes("vegaEmbed="), "vega-embed inlined").toBe(true);
    expect(html.includes("sourceMappingURL"), "a source map reference").toBe(false);
    // Each inline script is allowed by its hash, and by nothing else.
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    expect(csp).toContain("default-src 'none'");
    const scriptSrc = csp.split("; ").find((d) => d.startsWith("script-src "))!;
    expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp.match(/'sha256-/g)).toHaveLength((html.match(/<script>/g) ?? []).length);
  });

  it("puts the chart specs and each run's rows in one JSON block", async () => {
    const analysis = await analyze("async-lazy-expand");
    const data = dataBlock(renderHtmlReport(analysis, {}));
    expect(Object.keys(data.specs).sort()).toEqual(["durations", "gantt", "memory"]);
    const gantt = data.runs[0]!.gantt!.datasets.gantt!;
    // 7 node segments (#2 twice) + 2 children = 9 bars; #2, #3, #5 were in flight beyond their segments.
    expect(gantt.filter((r) => r.kind === "segment")).toHaveLength(intervalCount(analysis.runs[0]!));
    expect(gantt.filter((r) => r.kind === "segment")).toHaveLength(9);
    expect(gantt.filter((r) => r.kind === "span").map((r) => r.row)).toEqual(["#2 ComfyprofLazy", "#3 ComfyprofExpand", "#5 ComfyprofAsyncSleep"]);
    expect(data.runs[0]!.memory!.datasets.memory!.length).toBe(analysis.runs[0]!.memory.samples.length);
  });

  it("escapes a hostile title and error message in the page and in the data", async () => {
    const html = renderHtmlReport(await hostileAnalysis(), { title: HOSTILE });
    // Booleans, so a failure does not print the 600 kB page.
    expect(html.includes("<script>window.__pwned"), "the hostile script tag, unescaped").toBe(false);
    expect(html.includes("<img src=x"), "the hostile img tag, unescaped").toBe(false);
    expect(html.includes("&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;"), "the hostile text, escaped").toBe(true);
    // Only our own script elements: the data block and three inline scripts.
    expect(html.match(/<script/g)).toHaveLength(4);
    expect(html.match(/<\/script>/g)).toHaveLength(4);
    const rows = dataBlock(html).runs[0]!.gantt!.datasets.gantt!;
    expect(rows.some((r) => r.title === HOSTILE)).toBe(true);
  });

  it("renders every table as HTML, so the numbers read without JavaScript", async () => {
    const analysis = await analyze("benchmark");
    const html = renderHtmlReport(analysis, {});
    expect(html.match(/<section class="run"/g)).toHaveLength(11);
    expect(html.includes("warm-up 1")).toBe(true);
    expect(html.includes("run 10 of 10")).toBe(true);
    expect(html.includes('<h2 id="node-types">Node types</h2>')).toBe(true);
    expect(html.includes(`<td>${analysis.nodeTypes[0]!.classType}</td>`)).toBe(true);
  });

  it("draws no timeline for a rejected prompt and says why", async () => {
    const html = renderHtmlReport(await analyze("validation-failure"), {});
    expect(html.includes('class="chart"'), "a chart container").toBe(false);
    expect(html.includes("The server rejected the prompt, so nothing ran")).toBe(true);
    expect(html.includes("<td>Required input is missing: image</td>")).toBe(true);
  });

  it("draws each GPU's memory beside RAM and marks server stalls and WebSocket outages on the timeline", async () => {
    const analysis = await analyze("ram-chain");
    const run = analysis.runs[0]!;
    // A made-up GPU: 1 GiB used + 1 MiB per sample; torch reserved unknown in every sample.
    run.memory.samples.forEach((s, i) => s.devices.push({ name: "cuda:0", usedBytes: 2 ** 30 + i * 2 ** 20, freeBytes: null, torchReservedBytes: null, torchActiveBytes: null }));
    run.dataQuality.stalls.push({ startMs: 100, endMs: 1194, roundTripMs: 1094, silentSinceMs: 80 });
    run.dataQuality.disconnections.push({ startMs: 1500, endMs: 1600 });
    const data = dataBlock(renderHtmlReport(analysis, {})).runs[0]!;
    const memory = data.memory!.datasets.memory!;
    expect(memory.filter((r) => r.series === "cuda:0: used").map((r) => r.mb)).toEqual(run.memory.samples.map((_, i) => 1024 + i));
    expect(memory.filter((r) => r.series === "RAM used")).toHaveLength(run.memory.samples.length);
    expect(memory.some((r) => r.series === "cuda:0: torch reserved")).toBe(false);
    expect(data.gantt!.datasets.stalls).toEqual([
      { startMs: 100, endMs: 1194, note: "server stalled, no reply for 1.094 s: node boundaries here are uncertain" },
      { startMs: 1500, endMs: 1600, note: "WebSocket down: messages lost, node boundaries here are bounds only" },
    ]);
  });

  it("compiles its Vega-Lite specs without warnings", () => {
    const log = { warnings: [] as string[] };
    compileChartSpecs(log);
    expect(log.warnings).toEqual([]);
  });

  describe("in a browser", () => {
    const CHROMIUM = "/usr/bin/chromium";
    let browser: Browser;
    let dir: string;

    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get update && apt-get install -y chromium\` (Debian's chromium drives this test).`);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      });
      dir = await mkdtemp(join(tmpdir(), "comfyprof-html-"));
    });

    afterAll(async () => {
      await browser?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    interface Opened {
      page: Page;
      problems: string[];
    }

    /** Opens the report from a file: URL with every other request refused, collecting errors and refused requests. */
    async function open(name: string, analysis: Analysis, title?: string): Promise<Opened> {
      const file = join(dir, `${name}.html`);
      await writeFile(file, renderHtmlReport(analysis, title === undefined ? {} : { title }));
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
      page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
      page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
      await page.route("**/*", (route) => (route.request().url().startsWith("file:") ? route.continue() : route.abort()));
      await page.goto(pathToFileURL(file).href);
      await waitForCharts(page);
      return { page, problems };
    }

    async function waitForCharts(page: Page): Promise<void> {
      await page.waitForFunction(() => Array.from(document.querySelectorAll("section.run.current .chart")).every((c) => c.getAttribute("data-state") === "rendered" || c.getAttribute("data-state") === "failed"));
    }

    /** Per chart of the shown run: its state and how many marks its SVG holds. */
    async function charts(page: Page): Promise<Record<string, { state: string | null; marks: number; bars: number }>> {
      return page.evaluate(() =>
        Object.fromEntries(
          Array.from(document.querySelectorAll("section.run.current .chart")).map((c) => [
            c.getAttribute("data-chart"),
            { state: c.getAttribute("data-state"), marks: c.querySelectorAll("svg g.role-mark > *").length, bars: c.querySelectorAll("svg g.segments_marks > path").length },
          ]),
        ),
      );
    }

    it.each(["parallel-branches", "async-lazy-expand", "ram-chain"])("draws the timeline, node times and memory of %s offline", async (name) => {
      const analysis = await analyze(name);
      const { page, problems } = await open(name, analysis);
      const drawn = await charts(page);
      expect(Object.keys(drawn).sort()).toEqual(["durations", "gantt", "memory"]);
      for (const chart of Object.values(drawn)) {
        expect(chart.state).toBe("rendered");
        expect(chart.marks).toBeGreaterThan(0);
      }
      expect(drawn.gantt!.bars).toBe(intervalCount(analysis.runs[0]!));
      if (name === "async-lazy-expand") await page.screenshot({ path: join(tmpdir(), "comfyprof-html-async-lazy-expand.png"), fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    });

    it("switches runs with the selector and draws the chosen run", async () => {
      const analysis = await analyze("benchmark");
      const { page, problems } = await open("benchmark", analysis);
      const shown = () => page.evaluate(() => Array.from(document.querySelectorAll("section.run")).filter((s) => getComputedStyle(s).display !== "none").map((s) => s.id));
      expect(await shown()).toEqual(["run-1"]); // the first measured run; run-0 is the warm-up
      await page.selectOption("#run-select", "5");
      await waitForCharts(page);
      expect(await shown()).toEqual(["run-5"]);
      const drawn = await charts(page);
      expect(drawn.gantt!.bars).toBe(intervalCount(analysis.runs[5]!));
      expect(drawn.durations!.state).toBe("rendered");
      await page.screenshot({ path: join(tmpdir(), "comfyprof-html-benchmark.png"), fullPage: true });
      expect(problems).toEqual([]);
      await page.close();
    });

    it("shows a rejected run's validation errors and no charts", async () => {
      const { page, problems } = await open("validation-failure", await analyze("validation-failure"));
      expect(await charts(page)).toEqual({});
      expect(await page.locator("section.run.current td", { hasText: "Required input is missing" }).count()).toBe(1);
      expect(problems).toEqual([]);
      await page.close();
    });

    it("shows a hostile title and message as text and runs none of it", async () => {
      const { page, problems } = await open("hostile", await hostileAnalysis(), HOSTILE);
      expect(await page.title()).toBe(HOSTILE);
      expect(await page.locator("td", { hasText: HOSTILE }).count()).toBe(1);
      expect(await page.locator("pre.error").textContent()).toContain(HOSTILE);
      // The tooltip of node 1's bar carries the title too.
      await page.hover("g.segments_marks > path >> nth=0");
      await page.waitForSelector("#vg-tooltip-element.visible");
      expect(await page.locator("#vg-tooltip-element").textContent()).toContain(HOSTILE);
      expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(problems).toEqual([]);
      await page.close();
    });

    it("shows every run and table without JavaScript", async () => {
      const file = join(dir, "nojs.html");
      await writeFile(file, renderHtmlReport(await analyze("benchmark"), {}));
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(pathToFileURL(file).href);
      expect(await page.locator("section.run").evaluateAll((all: PageElement[]) => all.filter((s) => getComputedStyle(s).display !== "none").length)).toBe(11);
      expect(await page.locator("#run-select").isVisible()).toBe(false);
      expect(await page.locator("#node-types + p + table tbody tr").count()).toBeGreaterThan(0);
      await context.close();
    });
  });
});
