import { describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";
import { renderHtmlReport } from "../../reports/html.js";
import { runView } from "../../reports/run-view.js";
import { renderTerminalReport } from "../../reports/terminal.js";
import { escapeHtml } from "../../src/text/escape.js";

const recording = (name: string) => new URL(`../../samples/recordings/${name}/run.ndjson`, import.meta.url).pathname;

describe("reports/run-view", () => {
  for (const name of ["gc-chain", "async-lazy-expand", "error-mid-run"]) {
    it(`says the same of each run of ${name} in the terminal and in the HTML report`, async () => {
      const analysis = await analyzeFiles([recording(name)]);
      const terminal = renderTerminalReport(analysis, { detail: true, color: false });
      const html = renderHtmlReport(analysis, {});
      for (const run of analysis.runs) {
        const v = runView(run);
        const sentences = [
          ...v.timeline.map(([, x]) => x), v.counts, ...v.uncertain, v.criticalPath.summary, ...v.criticalPath.whatIfs, ...v.bottlenecks,
          ...v.memory.lines, ...v.recommendations.map((r) => r.message), ...(v.criticalPath.overlap ? [v.criticalPath.overlap] : []),
          ...v.nodes.rows.map((row) => row[4]!), // every node's time, with its ± where it has one
        ];
        for (const s of sentences) {
          expect(terminal, `terminal: ${s}`).toContain(s);
          expect(html, `html: ${s}`).toContain(escapeHtml(s));
        }
      }
    });
  }

  it("shows ± on a node's time only where something beyond the receipt jitter widened its bounds", async () => {
    const [held, clean] = (await analyzeFiles([recording("gc-chain")])).runs;
    // Run 1: the garbage collection held the end back: node 6 carries its ±; run 2: nothing did.
    expect(runView(held!).nodes.rows.find((r) => r[0] === "6?")![4]).toMatch(/^501\.\d ms ±\d+\.\d ms$/);
    expect(runView(clean!).nodes.rows.every((r) => !r[4]!.includes("±"))).toBe(true);
  });
});
