// The ComfyUI editor (the frontend package the server serves) in headless
// Chromium: the reference for editor → API conversion is the editor's own
// `app.graphToPrompt()`, so live tests and the sample maker ask it directly.

import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import type { ApiWorkflow } from "../../src/model/events.js";

const CHROMIUM = "/usr/bin/chromium";

export interface ComfyEditor {
  page: Page;
  /** The frontend package's version, e.g. "1.43.18". */
  frontendVersion: string;
  /** The editor loads `workflow` and converts it as it would before queueing it. */
  toApiPrompt(workflow: unknown): Promise<ApiWorkflow>;
  close(): Promise<void>;
}

export async function openComfyEditor(baseUrl: string): Promise<ComfyEditor> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\`.`);
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    await page.goto(`${baseUrl.replace(/\/$/, "")}/`, { waitUntil: "load" });
    await page.waitForFunction(() => {
      const w = globalThis as unknown as { app?: { graph?: unknown; extensionManager?: unknown } };
      return Boolean(w.app?.graph && w.app.extensionManager);
    }, null, { timeout: 120_000 });
    // Builders are sent as source; the test transpiler wraps nested functions in __name().
    await page.evaluate("window.__name = (f) => f");
    const frontendVersion = (await page.evaluate("window.__COMFYUI_FRONTEND_VERSION__")) as string;
    return {
      page,
      frontendVersion,
      toApiPrompt: async (workflow) =>
        (await page.evaluate(async (wf) => {
          const app = (globalThis as unknown as { app: { loadGraphData(w: unknown): Promise<void>; graphToPrompt(): Promise<{ output: unknown }> } }).app;
          await app.loadGraphData(structuredClone(wf));
          return (await app.graphToPrompt()).output;
        }, workflow)) as ApiWorkflow,
      close: () => browser.close(),
    };
  } catch (err) {
    await browser.close();
    throw err;
  }
}
