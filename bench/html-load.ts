// How long an HTML report takes to open in headless Chromium (Debian's
// /usr/bin/chromium, as the tests use): from navigation to every overview
// chart and the shown run's charts drawn. Used by bench/run.ts; alone it can
// also keep a screenshot of the page's top (docs/img/analyze-many-runs.png).
//
//   node dist/bench/html-load.js <page.html> [--screenshot out.png]

import { pathToFileURL, fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
/** Give up on a page after this long: the bench reports it as not loaded rather than hanging. */
const LOAD_TIMEOUT_MS = 150_000;

// The page function runs in the browser; the project compiles without the DOM library.
declare const document: { querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }> };

export interface PageLoad {
  /** Navigation to charts drawn, ms; null when the page did not finish within LOAD_TIMEOUT_MS. */
  loadMs: number | null;
  /** Console errors and page errors, and requests for anything but the file. */
  problems: string[];
}

export async function measurePageLoad(file: string, screenshot?: string): Promise<PageLoad> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1250 } });
    const problems: string[] = [];
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
    page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
    page.on("request", (r) => { if (!r.url().startsWith("file:")) problems.push(`request: ${r.url()}`); });
    const started = performance.now();
    try {
      await page.goto(pathToFileURL(file).href, { timeout: LOAD_TIMEOUT_MS });
      await page.waitForFunction(
        () => Array.from(document.querySelectorAll(".chart[data-overview], section.run.current .chart")).every((c) => c.getAttribute("data-state") === "rendered" || c.getAttribute("data-state") === "failed"),
        null,
        { timeout: LOAD_TIMEOUT_MS },
      );
    } catch {
      return { loadMs: null, problems };
    }
    const loadMs = performance.now() - started;
    if (screenshot) await page.screenshot({ path: screenshot, type: "png" });
    return { loadMs, problems };
  } finally {
    await browser.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, flag, shot] = process.argv.slice(2);
  if (!file || (flag !== undefined && (flag !== "--screenshot" || !shot))) {
    process.stderr.write("usage: html-load.js <page.html> [--screenshot out.png]\n");
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await measurePageLoad(file, shot))}\n`);
}
