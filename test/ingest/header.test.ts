import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkLogVersion, parseHeader } from "../../src/ingest/header.js";

const firstLine = readFileSync(new URL("../../samples/v1/minimal-run.ndjson", import.meta.url), "utf8").split("\n")[0]!;
const header = (changes: Record<string, unknown> = {}) => ({ ...JSON.parse(firstLine), ...changes });

describe("ingest/header", () => {
  it("accepts this version and older minors silently", () => {
    expect(checkLogVersion("1.0")).toEqual({ status: "ok", version: { major: 1, minor: 0 } });
  });

  it("accepts a newer minor, flagged", () => {
    expect(checkLogVersion("1.12")).toEqual({ status: "newer-minor", version: { major: 1, minor: 12 } });
  });

  it("refuses other majors, older and newer", () => {
    expect(checkLogVersion("2.0")).toEqual({ status: "unknown-major", version: { major: 2, minor: 0 } });
    expect(checkLogVersion("0.9")).toEqual({ status: "unknown-major", version: { major: 0, minor: 9 } });
  });

  it("calls anything but a major.minor string bad", () => {
    for (const bad of ["1", "1.0.0", "v1.0", "", 1, null, undefined]) {
      expect(checkLogVersion(bad).status).toBe("bad");
    }
  });

  it("returns the header with its line number", () => {
    const outcome = parseHeader(header(), 1);
    expect(outcome).toMatchObject({ ok: true, version: { major: 1, minor: 0 }, newerMinor: false });
    expect(outcome.ok && outcome.header).toMatchObject({ kind: "header", lineNo: 1, clientId: "c0ffee00-0000-4000-8000-000000000000" });
  });

  it("checks the format before the version, and the version before the other fields", () => {
    expect(parseHeader(header({ format: "other", version: "9.0" }), 1)).toEqual({
      ok: false,
      problem: { code: "unknown-format", format: "other" },
    });
    expect(parseHeader(header({ version: "2.0", plan: undefined }), 1)).toEqual({
      ok: false,
      problem: { code: "unknown-major-version", version: "2.0" },
    });
  });

  it("names the first missing or mistyped field, nested ones by path", () => {
    const plan = { ...header().plan, runs: "3" };
    expect(parseHeader(header({ plan }), 1)).toEqual({
      ok: false,
      problem: { code: "invalid-line-shape", lineKind: "header", detail: '"plan.runs" should be an integer, not a string' },
    });
    const badCache = { ...header().plan, cacheState: "lukewarm" };
    expect(parseHeader(header({ plan: badCache }), 1)).toMatchObject({
      ok: false,
      problem: { detail: '"plan.cacheState" should be one of "model-warm", "cache-warm", "cold", not "lukewarm"' },
    });
    expect(parseHeader(header({ version: "one" }), 1)).toMatchObject({ ok: false, problem: { code: "invalid-line-shape" } });
  });
});
