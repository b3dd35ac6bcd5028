// The package surface, imported by name as a user would (the built dist/).
import { describe, expect, it } from "vitest";
import * as comfyprof from "comfyprof";

const PARALLEL = new URL("../samples/recordings/parallel-branches/run.ndjson", import.meta.url).pathname;

describe("api", () => {
  it("analyzes a log file and renders the reports", async () => {
    const analysis = await comfyprof.analyzeFiles([PARALLEL]);
    expect(analysis.runs[0]!.criticalPath.nodeIds).toEqual(["1", "2", "3", "6"]);
    expect(comfyprof.renderTerminalReport(analysis, { detail: false, color: false })).toContain("Slowest nodes");
    expect(JSON.parse(comfyprof.renderJsonReport(analysis)).schemaVersion).toBe(comfyprof.PROFILE_SCHEMA_VERSION);
  });

  it("exposes the pure core: parse lines, build timelines, analyze", async () => {
    const { events } = await comfyprof.collectLog(PARALLEL, { lenient: false });
    const session = comfyprof.buildRunTimelines(events, "x.ndjson");
    const profile = comfyprof.analyzeRun(session.runs[0]!, null);
    expect(profile.counts.executed).toBe(6);
    expect(comfyprof.findCriticalPath).toBeTypeOf("function");
    expect(comfyprof.record).toBeTypeOf("function");
    expect(comfyprof.startProtocolServer).toBeTypeOf("function");
  });
});
