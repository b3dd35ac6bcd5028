// Every real recording under samples/recordings/: analyzed, it gives the figures
// in its expected.json, every test node's duration is within tolerance of the
// truth the node itself wrote, the JSON matches the published schema, and
// reading the file in 64-byte chunks gives the same profile.

import { createReadStream, existsSync, readdirSync, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";
import type { Analysis } from "../../src/model/profile.js";
import { RECORDING_CASES } from "../support/recording-cases.js";
import { checkTruthInBounds } from "../support/truth-bounds.js";
import { checkNominalSleeps, checkRamNode, checkRuns, checkTruth, DEFAULT_TIMING_TOLERANCE_MS, type Expected } from "../support/expectations.js";

const root = fileURLToPath(new URL("../../samples/recordings/", import.meta.url));
// The probe's recordings (probe-*) come from no recording case: analyze-probe-recordings.test.ts checks them.
const cases = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith("probe-")).map((d) => d.name).sort();
const profileSchema = JSON.parse(readFileSync(new URL("../../schemas/profile.v1.schema.json", import.meta.url), "utf8"));
const validateProfile = new Ajv({ allErrors: true, strict: false }).compile(profileSchema);

function hasTruth(dir: string): boolean {
  return existsSync(`${dir}/truth.ndjson`) && readFileSync(`${dir}/truth.ndjson`, "utf8").trim() !== "";
}

/** Sleep nodes that should run their nominal length (not exempted, e.g. interrupted ones). */
function hasSleeps(dir: string, expected: Expected): boolean {
  const workflow = JSON.parse(readFileSync(`${dir}/workflow.json`, "utf8")) as Record<string, { class_type: string }>;
  return Object.entries(workflow).some(([id, n]) => (n.class_type === "ComfyprofSleep" || n.class_type === "ComfyprofAsyncSleep") && !expected.nominalExempt?.includes(id));
}

function chunked(path: string, size: number): Readable {
  return createReadStream(path, { highWaterMark: size });
}

describe("pipelines/analyze on the real recordings", () => {
  for (const name of cases) {
    describe(name, () => {
      const dir = `${root}${name}`;
      const expected = JSON.parse(readFileSync(`${dir}/expected.json`, "utf8")) as Expected;
      let analysis: Analysis;
      beforeAll(async () => {
        analysis = await analyzeFiles([`${dir}/run.ndjson`]);
      });

      it("holds its workflow (the sample's), log, truth, expected figures and README", () => {
        for (const file of ["workflow.json", "run.ndjson", "truth.ndjson", "expected.json", "README.md"]) expect(existsSync(`${dir}/${file}`), file).toBe(true);
        const recordedWith = RECORDING_CASES.find((c) => c.name === name)!;
        expect(JSON.parse(readFileSync(`${dir}/workflow.json`, "utf8"))).toEqual(JSON.parse(readFileSync(new URL(`../../samples/workflows/${recordedWith.workflow}`, import.meta.url), "utf8")));
      });

      it("gives the expected figures", () => {
        checkRuns(analysis, expected);
      });

      // Stock nodes write no truth and sleep nowhere: those recordings get only the checks that compare something.
      if (hasTruth(dir)) {
        it("times every test node within tolerance of the node's own truth", () => {
          expect(checkTruth(analysis, `${dir}/truth.ndjson`, expected.timingToleranceMs ?? DEFAULT_TIMING_TOLERANCE_MS)).toBeGreaterThan(0);
        });

        it("holds every test node's true start and end within its stated bounds", async () => {
          expect(await checkTruthInBounds(analysis, `${dir}/run.ndjson`, `${dir}/truth.ndjson`, expected.timingToleranceMs ?? DEFAULT_TIMING_TOLERANCE_MS)).toBeGreaterThan(0);
        });
      }

      if (hasSleeps(dir, expected)) {
        it("times every sleep node at its nominal length (+ overhead, within tolerance)", () => {
          expect(checkNominalSleeps(analysis, JSON.parse(readFileSync(`${dir}/workflow.json`, "utf8")), expected)).toBeGreaterThan(0);
        });
      }

      if (expected.ramNode) {
        it("attributes the RAM peak to the node that allocated it", () => {
          checkRamNode(analysis.runs[0]!, expected.ramNode!);
        });
      }

      it("writes JSON that matches schemas/profile.v1.schema.json", () => {
        const json = JSON.parse(JSON.stringify(analysis));
        const ok = validateProfile(json);
        expect(validateProfile.errors ?? [], "schema errors").toEqual([]);
        expect(ok).toBe(true);
      });

      it("gives the same profile when the log arrives in 64-byte chunks", async () => {
        const fromChunks = await analyzeFiles(["-"], { stdin: chunked(`${dir}/run.ndjson`, 64) });
        const strip = (a: Analysis) => JSON.parse(JSON.stringify({ ...a, inputs: [], runs: a.runs.map((r) => ({ ...r, source: { ...r.source, file: "" }, diagnostics: r.diagnostics.map((d) => ({ ...d, file: "" })) })) }));
        expect(strip(fromChunks)).toEqual(strip(analysis));
      });
    });
  }
});
