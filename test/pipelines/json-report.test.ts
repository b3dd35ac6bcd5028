import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";
import { analyzeToJson } from "../../pipelines/json-report.js";
import { renderJsonReport } from "../../reports/json.js";

const sample = (name: string): string => new URL(`../../samples/${name}`, import.meta.url).pathname;
const LOGS = [sample("recordings/benchmark/run.ndjson"), sample("recordings/error-mid-run/run.ndjson"), sample("recordings/validation-failure/run.ndjson")];

const dir = mkdtempSync(join(tmpdir(), "comfyprof-json-report-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sink(): { stream: Writable; text: () => string } {
  const parts: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      parts.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(parts).toString("utf8") };
}

async function streamed(paths: string[], spillBytes?: number): Promise<string> {
  const report = await analyzeToJson(paths, {}, spillBytes);
  const out = sink();
  try {
    await report.writeTo(out.stream, true);
  } finally {
    report.dispose();
  }
  return out.text();
}

const spillDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith("comfyprof-runs-"));

describe("pipelines/json-report", () => {
  it("writes renderJsonReport's bytes, with the runs held in memory", async () => {
    expect(await streamed(LOGS)).toBe(renderJsonReport(await analyzeFiles(LOGS)));
  });

  it("writes the same bytes with the runs held in a temporary file (all, or all but the last few), and removes it", async () => {
    const before = spillDirs();
    const expected = renderJsonReport(await analyzeFiles(LOGS));
    for (const spillBytes of [0, 50_000]) expect(await streamed(LOGS, spillBytes)).toBe(expected);
    expect(spillDirs()).toEqual(before);
  });

  it("writes a log without runs as renderJsonReport does", async () => {
    const noRuns = join(dir, "no-runs.ndjson");
    // The header alone: a log that ends before any prompt.
    writeFileSync(noRuns, `${readFileSync(sample("v1/minimal-run.ndjson"), "utf8").split("\n")[0]}\n`);
    const expected = renderJsonReport(await analyzeFiles([noRuns]));
    expect(JSON.parse(expected).runs).toEqual([]);
    expect(await streamed([noRuns])).toBe(expected);
  });

  it("refuses a log as analyzeFiles does, leaving no temporary file", async () => {
    const before = spillDirs();
    await expect(analyzeToJson([sample("invalid/corrupt-middle-line.ndjson")], {}, 0)).rejects.toMatchObject({ code: "corrupt-line" });
    expect(spillDirs()).toEqual(before);
  });
});
