// The probe's real recordings (samples/recordings/probe-*/): analyzed like a recorder's, they give
// the figures in expected.json with the server's own times; every test node's start and end lies
// within a millisecond or two of the truth the node wrote; every line matches the event-log schema;
// the JSON matches the profile schema; 64-byte chunks give the same profile.

import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";
import { renderTerminalReport } from "../../reports/terminal.js";
import { collectLog } from "../../pipelines/read-log.js";
import type { Analysis } from "../../src/model/profile.js";
import { checkRuns, type Expected } from "../support/expectations.js";
import { probeBoundaryErrors } from "../support/probe-truth.js";
import { readTruth, trueDurationMs } from "../support/truth.js";

const root = fileURLToPath(new URL("../../samples/recordings/", import.meta.url));
const cases = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name.startsWith("probe-")).map((d) => d.name).sort();
const ajv = new Ajv({ allErrors: true, strict: false });
const validateProfile = ajv.compile(JSON.parse(readFileSync(new URL("../../schemas/profile.v1.schema.json", import.meta.url), "utf8")));
const validateLine = ajv.compile(JSON.parse(readFileSync(new URL("../../schemas/event-log.v1.schema.json", import.meta.url), "utf8")));

/**
 * A probe boundary is the moment the server sent the message; the truth is inside the node function.
 * The committed recording holds ≤ 2 ms (ComfyUI's own work around the call); a failed node ends at
 * the run's execution_error, sent after the traceback is formatted (3.0 ms here).
 */
const PROBE_TOLERANCE_MS = 2;
const FAILED_END_TOLERANCE_MS = 5;

describe("pipelines/analyze on the probe's real recordings", () => {
  it("has at least one", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const name of cases) {
    describe(name, () => {
      const dir = `${root}${name}`;
      const expected = JSON.parse(readFileSync(`${dir}/expected.json`, "utf8")) as Expected;
      let analysis: Analysis;
      beforeAll(async () => {
        analysis = await analyzeFiles([`${dir}/run.ndjson`]);
      });

      it("gives the expected figures, each time on the server's clock", () => {
        checkRuns(analysis, expected);
        for (const run of analysis.runs) {
          expect(run.dataQuality.timeSource).toBe("probe");
          expect(run.nodes.filter((n) => n.boundaryUncertain)).toEqual([]);
          expect(run.timing.queueWaitSource).toBe("server");
        }
        expect(analysis.inputs.map((i) => i.source)).toEqual(["probe"]);
      });

      it("puts every test node's start and end within a millisecond or two of the node's own truth", async () => {
        const { events } = await collectLog(`${dir}/run.ndjson`, { lenient: false });
        const truth = readTruth(`${dir}/truth.ndjson`);
        const errors = probeBoundaryErrors(analysis, events, truth);
        expect(errors.length).toBe(new Set(truth.map((t) => `${t.prompt_id}/${t.node_id}`)).size);
        for (const e of errors) {
          const what = `prompt ${e.promptId} node ${e.nodeId}: start ${e.startErrorMs.toFixed(3)}, end ${e.endErrorMs.toFixed(3)} ms`;
          expect(Math.abs(e.startErrorMs), what).toBeLessThanOrEqual(PROBE_TOLERANCE_MS);
          expect(Math.abs(e.endErrorMs), what).toBeLessThanOrEqual(e.status === "failed" ? FAILED_END_TOLERANCE_MS : PROBE_TOLERANCE_MS);
        }
      });

      it("gives each run a critical path as long as its nodes' true durations", () => {
        const truth = readTruth(`${dir}/truth.ndjson`);
        for (const run of analysis.runs.filter((r) => r.outcome.status === "success")) {
          const onPath = run.nodes.filter((n) => run.criticalPath.nodeIds.includes(n.nodeId) && n.durationKind !== null);
          const trueLength = onPath.reduce((sum, n) => sum + (trueDurationMs(truth, run.promptId, n.nodeId, n.durationKind!) ?? n.durationMs!), 0);
          // Each node on the path carries ComfyUI's own work around its call (≤ ~1 ms per boundary).
          expect(Math.abs(run.criticalPath.lengthMs - trueLength), `prompt ${run.promptId}`).toBeLessThanOrEqual(2 * onPath.length);
        }
      });

      it("gives the same report sections as a recorder's log of the same workflow", async () => {
        // The first run is parallel-branches, as in the recorder's samples/recordings/parallel-branches.
        const recorded = await analyzeFiles([`${root}parallel-branches/run.ndjson`]);
        const headings = ["Queue wait", "Nodes", "Node time", "Parallelizable", "Slowest nodes", "Timeline", "Critical path", "Bottlenecks", "Memory", "Model loading", "Environment", "Data quality"];
        const sections = (a: Analysis) => {
          const lines = renderTerminalReport({ ...a, runs: a.runs.slice(0, 1) }, { detail: true, color: false }).split("\n");
          return lines.flatMap((l) => headings.filter((h) => l.startsWith(`    ${h}`)));
        };
        const probeSections = sections(analysis);
        expect(probeSections).toEqual(sections(recorded));
        expect(probeSections).toEqual(expect.arrayContaining(headings.filter((h) => h !== "Bottlenecks")));
      });

      it("holds lines that each match the published event-log schema", () => {
        const lines = readFileSync(`${dir}/run.ndjson`, "utf8").split("\n").filter((l) => l !== "");
        for (const [i, text] of lines.entries()) {
          expect(validateLine(JSON.parse(text)), `line ${i + 1}: ${JSON.stringify(validateLine.errors?.slice(0, 2))}`).toBe(true);
        }
      });

      it("writes JSON that matches schemas/profile.v1.schema.json", () => {
        expect(validateProfile(JSON.parse(JSON.stringify(analysis))), JSON.stringify(validateProfile.errors?.slice(0, 3))).toBe(true);
      });

      it("gives the same profile when the log arrives in 64-byte chunks", async () => {
        const fromChunks = await analyzeFiles(["-"], { stdin: createReadStream(`${dir}/run.ndjson`, { highWaterMark: 64 }) });
        // The file's name is in the log-wide diagnostics (a probe's file has no end line) and in each run's: "<stdin>" here.
        const strip = (a: Analysis) => JSON.parse(JSON.stringify({ ...a, inputs: [], diagnostics: a.diagnostics.map((d) => ({ ...d, file: "" })), runs: a.runs.map((r) => ({ ...r, source: { ...r.source, file: "" }, diagnostics: r.diagnostics.map((d) => ({ ...d, file: "" })) })) }));
        expect(strip(fromChunks)).toEqual(strip(analysis));
      });
    });
  }
});
