import { copyFileSync, linkSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OutputError, UsageError } from "../../pipelines/cli-errors.js";
import { derivedName, looksLikeLog, planOutputs, type OutputSpec } from "../../pipelines/output-paths.js";

const PARALLEL = new URL("../../samples/recordings/parallel-branches/run.ndjson", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "comfyprof-outputs-"));
const log = join(dir, "run.ndjson");
copyFileSync(PARALLEL, log);
const html = (value: string | undefined): OutputSpec => ({ flag: "--html", value, what: "HTML report", suffix: ".html" });
const json = (value: string | undefined): OutputSpec => ({ flag: "--json", value, what: "JSON", suffix: ".profile.json" });
const plan = (specs: OutputSpec[], inputs = [log]) => planOutputs(specs, inputs, { refuseLogNames: true });

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("pipelines/output-paths", () => {
  it("names an output without a value after the first input, beside it", () => {
    expect(derivedName("/a/run.ndjson", ".html")).toBe("/a/run.html");
    expect(derivedName("/a/run.ndjson.gz", ".profile.json")).toBe("/a/run.profile.json");
    expect(derivedName("b/wf.json", ".ndjson")).toBe("b/wf.ndjson");
    expect(plan([html("")])).toEqual([{ flag: "--html", path: join(dir, "run.html"), what: "HTML report", derivedFrom: log }]);
  });

  it("asks for a name when the first input is stdin", () => {
    expect(thrown(() => plan([html("")], ["-"]))).toBeInstanceOf(UsageError);
  });

  it("tells a log by its name or by its first line", () => {
    const renamed = join(dir, "looks-like-anything.txt");
    copyFileSync(PARALLEL, renamed);
    expect(looksLikeLog("x.ndjson.gz")).toBe(true);
    expect(looksLikeLog(renamed)).toBe(true);
    expect(looksLikeLog(join(dir, "report.html"))).toBe(false);
  });

  it("refuses an output named like a log, an output that is an input (same path, symlink, hard link) and two outputs on one file", () => {
    const symlink = join(dir, "alias");
    symlinkSync(log, symlink);
    const hardlink = join(dir, "hard");
    linkSync(log, hardlink);
    for (const name of [log, join(dir, "new.ndjson"), symlink, hardlink]) {
      const error = thrown(() => plan([json(name)]));
      expect(error, name).toBeInstanceOf(OutputError);
      expect(error.message).toContain(`--json ${name}`);
    }
    const notALog = join(dir, "notes.txt");
    writeFileSync(notALog, "hello");
    linkSync(notALog, join(dir, "notes-link.txt"));
    expect(thrown(() => plan([json(join(dir, "notes-link.txt"))], [notALog])).message).toBe(
      `--json ${join(dir, "notes-link.txt")} would overwrite the input ${notALog} (the same file as ${notALog}); nothing was written: name the output another file`,
    );
    expect(thrown(() => plan([json(join(dir, "x")), html(join(dir, ".", "x"))])).message).toContain("--json and --html would both write");
  });

  it("lets several outputs go to a device, but only one to stdout", () => {
    expect(plan([json("/dev/null"), html("/dev/null")])).toHaveLength(2);
    expect(thrown(() => plan([json("-"), html("-")]))).toBeInstanceOf(UsageError);
  });

  it("refuses a folder, a missing folder and a read-only one before any work", () => {
    const folder = join(dir, "folder");
    mkdirSync(folder);
    expect(thrown(() => plan([html(folder)])).message).toBe(`--html ${folder}: is a folder; name a file in it (--html ${folder}/<file>)`);
    expect(thrown(() => plan([html("/nonexistent-dir/r.html")])).message).toContain("no such file or folder (ENOENT)");
    // /sys is read-only even for root.
    expect(thrown(() => plan([html("/sys/r.html")]))).toBeInstanceOf(OutputError);
  });
});
