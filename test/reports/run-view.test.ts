import { describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";
import { renderHtmlReport } from "../../reports/html.js";
import { formatMs } from "../../reports/format.js";
import { runView } from "../../reports/run-view.js";
import { renderTerminalReport } from "../../reports/terminal.js";
import { escapeHtml } from "../../src/text/escape.js";

const recording = (name: string) => new URL(`../../samples/recordings/${name}/run.ndjson`, import.meta.url).pathname;

describe("reports/run-view", () => {
  for (const name of ["gc-chain", "async-lazy-expand", "error-mid-run", "model-steps"]) {
    it(`says the same of each run of ${name} in the terminal and in the HTML report`, async () => {
      const analysis = await analyzeFiles([recording(name)]);
      const terminal = renderTerminalReport(analysis, { detail: true, color: false });
      const html = renderHtmlReport(analysis, {});
      for (const run of analysis.runs) {
        const v = runView(run);
        const sentences = [
          ...v.timeline.map(([, x]) => x), v.counts, ...v.uncertain, v.criticalPath.summary, ...v.criticalPath.whatIfs, ...v.bottlenecks,
          ...v.memory.lines, ...v.modelLoads, ...v.steps, ...v.recommendations.map((r) => r.message), ...(v.criticalPath.overlap ? [v.criticalPath.overlap] : []),
          ...v.nodes.rows.map((row) => row[4]!), // every node's time, with its ± where it has one
        ];
        for (const s of sentences) {
          expect(terminal, `terminal: ${s}`).toContain(s);
          expect(html, `html: ${s}`).toContain(escapeHtml(s));
        }
      }
    });
  }

  it("gives a stepping node's time as loading + to the first step + the steps + after the last, terms that add up", async () => {
    const [run] = (await analyzeFiles([recording("model-steps")])).runs;
    const v = runView(run!);
    expect(v.steps).toHaveLength(1);
    const n = run!.nodes.find((x) => x.nodeId === "2")!;
    const p = n.phases!;
    expect(v.steps[0]).toBe(
      `#2 ComfyprofModelSteps: ${formatMs(n.durationMs)} = ${formatMs(p.loadMs)} loading models + ${formatMs(p.toFirstStepMs)} to the first step + ` +
        `7 steps in ${formatMs(p.steppingMs)} (${formatMs(p.steadyStepMs)}/step median, IQR ${formatMs(p.steadyStepSpreadMs!.p25Ms)}–${formatMs(p.steadyStepSpreadMs!.p75Ms)}) + ` +
        `${formatMs(p.afterLastStepMs)} after the last step`,
    );
    // Read against the truth (truth.ndjson): 8.3 ms load, 450.5 ms to the first step, 7 × 150 ms, 0.1 ms after.
    expect(v.steps[0]).toMatch(/^#2 ComfyprofModelSteps: 1\.51\d s = [5-9]\.\d\d ms loading models \+ 45\d\.\d ms to the first step \+ 7 steps in 1\.05\d s \(150\.\d ms\/step median/);
  });

  it("gives a stepping node that loaded nothing no loading term, and a node without progress no line", async () => {
    const [run] = (await analyzeFiles([recording("model-load")])).runs;
    // model-load's only stepping node is the 0.2 s sleep (2 steps 0.1 s apart, no load); VAEDecode loads but reports no steps.
    expect(runView(run!).steps).toEqual([expect.stringMatching(/^#4 ComfyprofSleep: 20\d\.\d ms = 10\d\.\d ms to the first step \+ 1 step in 10\d\.\d ms \(10\d\.\d ms\/step median, IQR [\d.]+ ms–[\d.]+ ms\) \+ \d+\.\d+ ms after the last step$/)]);
  });

  it("shows ± on a node's time only where something beyond the receipt jitter widened its bounds", async () => {
    const [held, clean] = (await analyzeFiles([recording("gc-chain")])).runs;
    // Run 1: the garbage collection held the end back: node 6 carries its ±; run 2: nothing did.
    expect(runView(held!).nodes.rows.find((r) => r[0] === "6?")![4]).toMatch(/^501\.\d ms ±\d+\.\d ms$/);
    expect(runView(clean!).nodes.rows.every((r) => !r[4]!.includes("±"))).toBe(true);
  });
});
