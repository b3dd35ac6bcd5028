// Property tests (fast-check): real recordings cut, corrupted, shuffled,
// duplicated and spliced, and random bytes, fed to the CLI. Whatever the
// input: no crash, no stack trace, an exit code from the table (0, or 5 with
// a message naming the file and the line), no input file changed; and replay
// refuses exactly what analyze refuses, with the same message. Seeded and
// bounded, so a failure replays the same way and the suite stays quick.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeFiles } from "../../pipelines/analyze.js";
import { readRecording } from "../../pipelines/replay/recorded-runs.js";
import { fileHash, runMain, STACK_OR_BUG } from "../support/main-in-process.js";
import { runCli } from "../support/cli.js";
import { mangledLog, reportAsFile } from "../support/mangled-logs.js";

const RECORDINGS_DIR = new URL("../../samples/recordings/", import.meta.url).pathname;
const RECORDINGS = readdirSync(RECORDINGS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => readFileSync(join(RECORDINGS_DIR, d.name, "run.ndjson")));
const dir = mkdtempSync(join(tmpdir(), "comfyprof-props-"));
let written = 0;
const SEED = 20261130;

function writeCase(bytes: Uint8Array): string {
  const path = join(dir, `case-${written++}.ndjson`);
  writeFileSync(path, bytes);
  return path;
}

/** What every refusal of a log must say: the file, and the line (or that there is none). */
const NAMES_WHERE = /: (line \d+|the file is empty|no complete record in \d+ lines?|none of its \d+ lines?)/;

describe("pipelines/cli properties", () => {
  it("analyze: no crash, no stack, exit 0 or 5 naming file and line, input untouched, derived output written", async () => {
    await fc.assert(
      fc.asyncProperty(mangledLog(RECORDINGS), fc.boolean(), fc.boolean(), async (bytes, lenient, json) => {
        const path = writeCase(bytes);
        const before = fileHash(path);
        const { code, stderr } = await runMain(["analyze", path, ...(lenient ? ["--lenient"] : []), ...(json ? ["--json"] : []), "--detail"]);
        expect(stderr).not.toMatch(STACK_OR_BUG);
        expect([0, 5]).toContain(code);
        if (code === 5) expect(stderr).toContain(`${path}: `);
        if (code === 5) expect(stderr).toMatch(NAMES_WHERE);
        if (code === 0 && json) expect(readFileSync(path.replace(/\.ndjson$/, ".profile.json"), "utf8")).toContain('"schemaVersion"');
        expect(fileHash(path)).toBe(before);
      }),
      reportAsFile(SEED, 60),
    );
  });

  it("replay reads exactly what analyze reads: the same refusals, with the same message", async () => {
    await fc.assert(
      fc.asyncProperty(mangledLog(RECORDINGS), fc.boolean(), async (bytes, lenient) => {
        const path = writeCase(bytes);
        const analyzed = await analyzeFiles([path], { lenient }).then(() => null, (e: Error) => e.message);
        const replayed = await readRecording(path, { lenient }).then(() => null, (e: Error) => e.message);
        expect(replayed).toBe(analyzed);
      }),
      reportAsFile(SEED + 1, 60),
    );
  });

  it("several logs at once: every bad one named, the good ones reported, exit 5 when any failed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mangledLog(RECORDINGS), { minLength: 2, maxLength: 4 }), async (logs) => {
        const paths = logs.map(writeCase);
        const alone = await Promise.all(paths.map((p) => analyzeFiles([p]).then(() => true, () => false)));
        const { code, stdout, stderr } = await runMain(["analyze", ...paths]);
        expect(stderr).not.toMatch(STACK_OR_BUG);
        expect(code).toBe(alone.every(Boolean) ? 0 : 5);
        paths.forEach((p, i) => {
          if (alone[i]) expect(stdout).toContain(`▸ ${p}`);
          else expect(stderr).toContain(p);
        });
      }),
      reportAsFile(SEED + 2, 30),
    );
  });

  it("as a real process too: no crash and no stack, whatever the bytes", async () => {
    await fc.assert(
      fc.asyncProperty(mangledLog(RECORDINGS), async (bytes) => {
        const path = writeCase(bytes);
        const { code, stderr } = await runCli(["analyze", path]);
        expect(stderr).not.toMatch(STACK_OR_BUG);
        expect([0, 5]).toContain(code);
      }),
      reportAsFile(SEED + 3, 4),
    );
  });
});
