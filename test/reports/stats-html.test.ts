import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";
import { compareAnalyses } from "../../src/analysis/compare.js";
import { DEFAULT_SETTINGS } from "../../src/model/comparison.js";
import { buildTrend } from "../../src/analysis/trend.js";
import type { Analysis } from "../../src/model/profile.js";
import { renderCompareHtml, renderTrendHtml } from "../../reports/stats-html.js";

// The DOM the page functions below use (the project compiles without the DOM library).
interface PageElement {
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<unknown>;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<PageElement> };

const BENCHMARK = new URL("../../samples/recordings/benchmark/run.ndjson", import.meta.url).pathname;
const FAST = { ...DEFAULT_SETTINGS, resamples: 2000 };
const HOSTILE = `</script><script>window.__pwned=1</script>`;

/** The benchmark with every time × factor, `hours` later, and PyTorch `torch`. */
const shifted = (a: Analysis, factor: number, hours: number, torch: string): Analysis => ({
  ...a,
  runs: a.runs.map((r) => ({
    ...r,
    startedAtMs: r.startedAtMs! + hours * 3_600_000,
    timing: { ...r.timing, executionMs: r.timing.executionMs! * factor },
    environment: { ...r.environment!, pytorchVersion: torch },
    nodes: r.nodes.map((n) => ({ ...n, durationMs: n.durationMs === null ? null : n.durationMs * factor })),
  })),
});

let benchmark: Analysis;
beforeAll(async () => {
  benchmark = await analyzeFiles([BENCHMARK]);
});

describe("reports/stats-html", () => {
  it("escapes names from the logs in the page and in the data", () => {
    const named = { ...benchmark, runs: benchmark.runs.map((r) => ({ ...r, workflow: { ...r.workflow, name: HOSTILE } })) };
    const html = renderCompareHtml(compareAnalyses(named, named, FAST));
    expect(html.includes("<script>window.__pwned"), "the hostile script, unescaped").toBe(false);
    expect(html.includes("&lt;/script&gt;&lt;script&gt;window.__pwned=1"), "the hostile name, escaped").toBe(true);
  });

  describe("in a browser", () => {
    const CHROMIUM = "/usr/bin/chromium";
    let browser: Browser;
    let dir: string;

    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get update && apt-get install -y chromium\`.`);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
      dir = await mkdtemp(join(tmpdir(), "comfyprof-stats-html-"));
    });

    afterAll(async () => {
      await browser?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    /** Opens the page offline; per chart key: its state and the symbols and rules it drew. */
    async function open(name: string, html: string) {
      const file = join(dir, `${name}.html`);
      await writeFile(file, html);
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const problems: string[] = [];
      page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
      page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
      page.on("request", (r) => { if (!r.url().startsWith("file:")) problems.push(`request: ${r.url()}`); });
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => Array.from(document.querySelectorAll(".chart")).every((c) => ["rendered", "failed"].includes(c.getAttribute("data-state") ?? "")));
      const charts = await page.evaluate(() =>
        Object.fromEntries(
          Array.from(document.querySelectorAll(".chart")).map((c) => [
            c.getAttribute("data-key"),
            {
              state: c.getAttribute("data-state"),
              ratios: c.querySelectorAll("svg g.ratio_points_marks > path").length,
              medians: c.querySelectorAll("svg g.medians_marks > path").length,
              changePoints: c.querySelectorAll("svg g.change_points_marks > line").length,
              bars: c.querySelectorAll("svg g.contributions_marks > path").length,
            },
          ]),
        ),
      );
      await page.close();
      return { charts, problems };
    }

    it("draws compare's change per metric and both sides' runs, offline, without errors", async () => {
      const slower = shifted(benchmark, 1.3, 0, benchmark.runs[0]!.environment!.pytorchVersion!);
      const c = compareAnalyses(benchmark, slower, FAST);
      const { charts, problems } = await open("compare", renderCompareHtml(c));
      expect(problems).toEqual([]);
      expect(charts["ratios-0"]!.state).toBe("rendered");
      expect(charts["distributions-0"]!.state).toBe("rendered");
      // One point per metric with a ratio: the execution and the 5 nodes.
      const metrics = [c.groups[0]!.execution, ...c.groups[0]!.nodes].filter((m) => m.ratio !== null).length;
      expect(metrics).toBe(6);
      expect(charts["ratios-0"]!.ratios).toBe(metrics);
    });

    it("draws trend's medians per recording and marks the change point", async () => {
      const inputs = [1, 1, 1, 1.3, 1.3, 1.3].map((f, h) => ({ name: `nightly-${h + 1}`, analysis: shifted(benchmark, f, h, f === 1 ? "2.14.1" : "2.15.0") }));
      const t = buildTrend(inputs, FAST);
      expect(t.series[0]!.changePoints.map((x) => x.index)).toEqual([3]);
      const { charts, problems } = await open("trend", renderTrendHtml(t));
      expect(problems).toEqual([]);
      expect(charts["trend-0"]!.state).toBe("rendered");
      // A point per recording on the median line; one dashed rule at the change point.
      expect(charts["trend-0"]!.medians).toBe(6);
      expect(charts["trend-0"]!.changePoints).toBe(1);
      // A bar per node type per recording.
      expect(charts["contributions-0"]!.bars).toBe(6 * t.series[0]!.points[0]!.nodeTypeMedians.length);
    });
  });
});
