import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { reportFailure } from "../../pipelines/cli.js";
import { InputError, OutputError, UsageError } from "../../pipelines/cli-errors.js";
import { EXIT_CODE_TABLE, exitCodeEpilog, exitCodeMarkdown, exitCodeOverview, type CommandName } from "../../pipelines/exit-codes.js";
import { runCli } from "../support/cli.js";
import { runMain } from "../support/main-in-process.js";

function stderrOf(run: () => number): { code: number; stderr: string } {
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    return { code: run(), stderr: written.join("") };
  } finally {
    spy.mockRestore();
  }
}

describe("pipelines/cli", () => {
  it("keeps record's exit codes and adds input, output, nothing compared, internal and SIGTERM beside them", () => {
    const codes = (command: CommandName) => EXIT_CODE_TABLE.filter((r) => r.commands.includes(command)).map((r) => r.code);
    expect(codes("record")).toEqual([0, 1, 2, 3, 4, 6, 70, 130, 143]);
    expect(codes("analyze")).toEqual([0, 1, 5, 6, 70]);
    expect(codes("compare")).toEqual([0, 1, 4, 5, 6, 7, 70]);
    expect(codes("trend")).toEqual([0, 1, 4, 5, 6, 7, 70]);
    expect(codes("replay")).toEqual([0, 1, 5, 70]);
    expect(codes("convert")).toEqual([0, 1, 2, 5, 6, 70]);
  });

  it("has the README list the same exit codes", () => {
    expect(readFileSync(new URL("../../README.md", import.meta.url), "utf8")).toContain(exitCodeMarkdown());
  });

  for (const command of ["record", "analyze", "compare", "trend", "replay", "convert", "export", "query"] as const) {
    it(`documents its exit codes in ${command} --help`, async () => {
      const { code, stdout } = await runCli([command, "--help"], { env: { COLUMNS: "200" } });
      expect(code).toBe(0);
      const epilog = exitCodeEpilog(command);
      for (const line of epilog.split("\n")) expect(stdout.replace(/\s+/g, " ")).toContain(line.replace(/\s+/g, " ").trim());
    });
  }

  it("lists every command's exit codes in comfyprof --help, each naming its commands", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    const flat = stdout.replace(/\s+/g, " ");
    for (const line of exitCodeOverview().split("\n")) expect(flat).toContain(line.replace(/\s+/g, " ").trim());
    expect(exitCodeOverview()).toContain("  5  bad input: a log that is missing");
    expect(exitCodeOverview()).toContain("(analyze, compare, trend, replay, convert, export, query)");
  });

  it("prints a command's error as one escaped line per line, with its exit code", () => {
    expect(stderrOf(() => reportFailure(new InputError("a\u001b[2J.ndjson: line 3: bad"), false))).toEqual({ code: 5, stderr: "comfyprof: a\\x1b[2J.ndjson: line 3: bad\n" });
    expect(stderrOf(() => reportFailure(new OutputError("x\ny"), false))).toEqual({ code: 6, stderr: "comfyprof: x\ncomfyprof: y\n" });
    expect(stderrOf(() => reportFailure(new UsageError("--top must be"), false)).stderr).toContain('Run "comfyprof --help" for usage.');
  });

  it("shows a bug as an internal error (exit 70) without its stack, unless --debug", () => {
    const bug = new TypeError("cannot read properties of undefined");
    const plain = stderrOf(() => reportFailure(bug, false));
    expect(plain.code).toBe(70);
    expect(plain.stderr).toBe(
      "comfyprof: internal error, a bug in comfyprof (please report it): cannot read properties of undefined\ncomfyprof: run again with --debug to see where it happened\n",
    );
    const debug = stderrOf(() => reportFailure(bug, true));
    expect(debug.stderr).toContain("    at ");
  });

  it("accepts --debug on every command and refuses an unknown option as usage (exit 1)", async () => {
    const sample = new URL("../../samples/recordings/parallel-branches/run.ndjson", import.meta.url).pathname;
    expect((await runMain(["analyze", sample, "--debug"])).code).toBe(0);
    const unknown = await runMain(["analyze", sample, "--nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Unknown argument: nope");
  });
});
