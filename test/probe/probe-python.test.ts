// The probe (probe/, Python) has its own unittest suite: it needs only python3 (tested with 3.11, no packages,
// no ComfyUI). Run here so `npm test` covers it: signature checks, exceptions that must never
// reach the server, the bounded queue's drops, rotation, the pack loaded against a changed server.

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const probeDir = fileURLToPath(new URL("../../probe", import.meta.url));

describe("probe (python unittest)", () => {
  it("passes its own test suite", () => {
    const python = process.env.PYTHON ?? "python3";
    const result = spawnSync(python, ["-m", "unittest", "discover", "-s", "tests", "-t", "tests", "-v"], {
      cwd: probeDir,
      encoding: "utf8",
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    });
    if (result.error) throw new Error(`could not run ${python} (set PYTHON to a Python 3 interpreter): ${result.error.message}`);
    const report = `${result.stdout}${result.stderr}`;
    expect(report, report).toMatch(/^OK$/m);
    expect(result.status, report).toBe(0);
    // The suite is discovered, not listed: make sure it did not shrink to nothing.
    expect(Number(/^Ran (\d+) tests?/m.exec(report)?.[1] ?? 0)).toBeGreaterThanOrEqual(29);
  });
});
