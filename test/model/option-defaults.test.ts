// Every option that is a time names its unit in its flag or its --help text,
// shows the default that src/model/option-defaults.ts holds, and the docs'
// tables are that module's; the recorder's defaults are the same numbers.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import yargs, { type Argv, type CommandModule } from "yargs";
import { analyzeCommand } from "../../pipelines/analyze-command.js";
import { compareCommand, trendCommand } from "../../pipelines/compare-command.js";
import { RECORD_DEFAULTS, TIME_OPTIONS, timeOptionsMarkdown } from "../../src/model/option-defaults.js";
import { recordCommand } from "../../pipelines/record-command.js";
import { replayCommand } from "../../pipelines/replay-command.js";
import { DEFAULT_RECORD_OPTIONS } from "../../recorder/record.js";
import { runMain } from "../support/main-in-process.js";

const ignoreExitCode = () => undefined;
const COMMANDS: Record<string, CommandModule<object, never>> = {
  record: recordCommand(ignoreExitCode) as CommandModule<object, never>,
  analyze: analyzeCommand() as CommandModule<object, never>,
  compare: compareCommand(ignoreExitCode) as CommandModule<object, never>,
  trend: trendCommand(ignoreExitCode) as CommandModule<object, never>,
  replay: replayCommand() as CommandModule<object, never>,
};

/** A flag that reads as a duration, a moment or a pace; such a flag must be in TIME_OPTIONS. */
const TIME_LIKE_FLAG = /(^|-)(ms|s|sec|seconds|minutes|timeout|latency|downtime|delay|interval|wait|speed|duration|poll|period|every)(-|$)/;
/** How a help text names a unit. */
const UNIT_WORD = /\b(milliseconds|seconds|minutes)\b|×/i;

/** The "Options:" entries of a --help text: flag (without dashes) → its whole help text, wrapped lines joined. */
function optionEntries(help: string): Map<string, string> {
  const entries = new Map<string, string>();
  let current: string | null = null;
  for (const line of help.slice(help.indexOf("\nOptions:")).split("\n").slice(1)) {
    if (line.trim() === "") break;
    const start = /^\s{2,6}(?:-\w, )?--([\w-]+)\s+(.*)$/.exec(line);
    if (start) entries.set((current = start[1]!), start[2]!);
    else if (current !== null) entries.set(current, `${entries.get(current)} ${line.trim()}`);
  }
  return entries;
}

/** The command's --help as yargs writes it (80 columns), built in this process: no Node start per command. */
async function helpOf(command: string): Promise<Map<string, string>> {
  const builder = COMMANDS[command]!.builder as (y: Argv) => Argv;
  return optionEntries(await builder(yargs([]).scriptName("comfyprof").wrap(80)).getHelp());
}

describe("model/option-defaults", () => {
  for (const command of Object.keys(COMMANDS)) {
    it(`names the unit of every time option of ${command} in its --help, with the default from option-defaults`, async () => {
      const entries = await helpOf(command);
      expect(entries.size).toBeGreaterThan(3);
      const registered = TIME_OPTIONS.filter((o) => o.command === command);
      const timeLike = [...entries.keys()].filter((flag) => TIME_LIKE_FLAG.test(flag));
      expect(timeLike.sort()).toEqual(registered.map((o) => o.flag).sort());
      for (const option of registered) {
        const text = entries.get(option.flag)!;
        expect(`--${option.flag} ${text}`).toMatch(UNIT_WORD);
        if (option.default !== null) expect(text).toMatch(new RegExp(`\\[default: "?${option.default}"?\\]`));
        else expect(text).not.toContain("[default:");
      }
    });
  }

  it("has the README and docs/replay.md show the module's table of time options", () => {
    expect(readFileSync(new URL("../../README.md", import.meta.url), "utf8")).toContain(timeOptionsMarkdown());
    expect(readFileSync(new URL("../../docs/replay.md", import.meta.url), "utf8")).toContain(timeOptionsMarkdown("replay"));
  });

  it("gives the recorder the command line's defaults, in the recorder's units", () => {
    expect(DEFAULT_RECORD_OPTIONS).toMatchObject({
      runs: RECORD_DEFAULTS.runs,
      warmup: RECORD_DEFAULTS.warmup,
      pollMs: RECORD_DEFAULTS.pollMs,
      timeoutMs: null,
      reconnectTimeoutMs: RECORD_DEFAULTS.reconnectTimeoutSeconds * 1000,
    });
  });

  it("refuses a negative or non-numeric replay latency or downtime in one line (usage, exit 1)", async () => {
    const log = new URL("../../samples/recordings/parallel-branches/run.ndjson", import.meta.url).pathname;
    const bad = await runMain(["replay", log, "--latency", "-5"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--latency must be a number of milliseconds ≥ 0, got -5");
    const nan = await runMain(["replay", log, "--restart-downtime", "soon"]);
    expect(nan.code).toBe(1);
    expect(nan.stderr).toContain("--restart-downtime must be a number of milliseconds ≥ 0, got NaN");
  });
});
