import { describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";
import { renderChromeTrace } from "../../reports/chrome-trace.js";

const recording = (name: string) => new URL(`../../samples/recordings/${name}/run.ndjson`, import.meta.url).pathname;

interface Ev {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  cat?: string;
  args?: Record<string, unknown>;
}

async function trace(name: string): Promise<Ev[]> {
  return (JSON.parse(renderChromeTrace(await analyzeFiles([recording(name)]))) as { traceEvents: Ev[] }).traceEvents;
}

/** Complete events on one thread must nest or follow each other, never partly overlap (the viewers' rule). */
function expectProperNesting(events: Ev[]): void {
  const byThread = new Map<string, Ev[]>();
  for (const e of events.filter((x) => x.ph === "X")) byThread.set(`${e.pid}/${e.tid}`, [...(byThread.get(`${e.pid}/${e.tid}`) ?? []), e]);
  for (const list of byThread.values()) {
    const sorted = [...list].sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const open: Ev[] = [];
    for (const e of sorted) {
      while (open.length && open.at(-1)!.ts + open.at(-1)!.dur! <= e.ts) open.pop();
      if (open.length) expect(e.ts + e.dur!, `${e.name} inside ${open.at(-1)!.name}`).toBeLessThanOrEqual(open.at(-1)!.ts + open.at(-1)!.dur!);
      open.push(e);
    }
  }
}

describe("reports/chrome-trace", () => {
  it("draws each sync node once on the executor lane, in order, with its measured time", async () => {
    const events = await trace("parallel-branches");
    const nodes = events.filter((e) => e.cat?.startsWith("node"));
    expect(nodes.map((e) => e.name.split(" ")[0])).toEqual(["#4", "#5", "#1", "#2", "#3", "#6"]);
    expect(new Set(nodes.map((e) => e.tid))).toEqual(new Set([1]));
    const n3 = nodes.find((e) => e.name.startsWith("#3 "))!;
    expect(Math.abs(n3.dur! / 1000 - (n3.args!.durationMs as number))).toBeLessThan(0.01);
    expect(nodes.filter((e) => e.cat === "node,critical-path").map((e) => e.name.split(" ")[0])).toEqual(["#1", "#2", "#3", "#6"]);
    expectProperNesting(events);
  });

  it("puts async nodes in flight together on separate lanes and nests expanded children in their parent", async () => {
    const events = await trace("async-lazy-expand");
    const lane = (id: string) => events.find((e) => e.cat?.startsWith("node") && e.name.startsWith(`#${id} `))!.tid;
    expect(lane("4")).not.toBe(lane("5"));
    const children = events.filter((e) => e.cat === "child");
    expect(children.map((e) => e.name.split(" ")[0])).toEqual(["#3.0.0.1", "#3.0.0.2"]);
    expect(children.every((e) => e.tid === lane("3"))).toBe(true);
    // The lazy node's two segments and its input all fit on the executor lane.
    expect(events.filter((e) => e.name.startsWith("#2 ")).map((e) => e.tid)).toEqual([1, 1]);
    expect(lane("1")).toBe(1);
    expectProperNesting(events);
  });

  it("gives each run its own process and memory counters", async () => {
    const events = await trace("benchmark");
    expect(new Set(events.filter((e) => e.ph === "X").map((e) => e.pid)).size).toBe(11);
    expect(events.filter((e) => e.ph === "C" && e.name === "RAM used (MB)").length).toBeGreaterThan(11);
    const names = events.filter((e) => e.name === "process_name").map((e) => e.args!.name);
    expect(names[0]).toMatch(/^warm-up 1/);
    expect(names[1]).toMatch(/^run 1 /);
  });

  it("marks where a run failed", async () => {
    const events = await trace("error-mid-run");
    expect(events.find((e) => e.ph === "i")?.name).toBe("error at #2");
  });
});
