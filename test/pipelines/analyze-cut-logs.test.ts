// A recording cut anywhere (power loss, kill -9, a full disk) still analyzes:
// what is there is profiled and the cut is said; cut inside its first line,
// nothing is left and the log is refused as empty.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";
import { seededRandom } from "../../src/analysis/bootstrap.js";

const dir = mkdtempSync(join(tmpdir(), "comfyprof-cut-"));
const recording = (name: string) => readFileSync(new URL(`../../samples/recordings/${name}/run.ndjson`, import.meta.url));

describe("pipelines/analyze on cut recordings", () => {
  for (const name of ["parallel-branches", "benchmark", "async-lazy-expand", "error-mid-run"]) {
    it(`analyzes ${name} cut at 25 random places, saying it was cut`, async () => {
      const bytes = recording(name);
      const whole = await analyzeFiles([join(new URL(`../../samples/recordings/${name}/`, import.meta.url).pathname, "run.ndjson")]);
      const random = seededRandom(name.length * 7919);
      for (let i = 0; i < 25; i++) {
        const cut = 1 + Math.floor(random() * (bytes.length - 2));
        const path = join(dir, `${name}-${cut}.ndjson${i % 2 ? ".gz" : ""}`);
        writeFileSync(path, i % 2 ? gzipSync(bytes.subarray(0, cut)) : bytes.subarray(0, cut));
        // Cut inside the header line, nothing is left but a half line: refused as empty, the cut said.
        if (cut < bytes.indexOf(10)) {
          await expect(analyzeFiles([path]), `cut at ${cut}`).rejects.toMatchObject({ code: "empty-log", message: expect.stringContaining("cut") });
          continue;
        }
        const analysis = await analyzeFiles([path]);
        expect(analysis.inputs[0]!.endReason, `cut at ${cut}`).toBeNull();
        expect(analysis.diagnostics.map((d) => d.code), `cut at ${cut}`).toContain("no-end-record");
        expect(analysis.runs.length).toBeLessThanOrEqual(whole.runs.length);
        for (const run of analysis.runs) {
          // Every run that reached its end before the cut has the same outcome as in the whole log.
          const same = whole.runs.find((r) => r.promptId === run.promptId)!;
          if (run.outcome.status !== "incomplete") expect(run.outcome.status).toBe(same.outcome.status);
          else expect(run.diagnostics.map((d) => d.code)).toContain("run-incomplete");
        }
      }
    });
  }
});
