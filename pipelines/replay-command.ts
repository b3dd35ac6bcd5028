// `comfyprof replay run.ndjson`: serve a recording as a live ComfyUI server.

import type { CommandModule } from "yargs";
import { readRecording } from "./replay/recorded-runs.js";
import { startReplayServer } from "./replay/replay-server.js";
import { InputError, readingLogs, UsageError } from "./cli-errors.js";
import { exitCodeEpilog } from "./exit-codes.js";
import { REPLAY_DEFAULTS, timeOption } from "../src/model/option-defaults.js";
import { displayName } from "./read-log.js";
import { errnoWords } from "./messages.js";
import { escapeTerminal } from "../src/text/escape.js";

interface ReplayArgs {
  log: string;
  lenient: boolean;
  port: string;
  host: string;
  speed: string;
  loop: boolean;
  "any-workflow": boolean;
  reject?: string;
  "drop-ws-after"?: number;
  "restart-after"?: number;
  "restart-downtime": number;
  latency: number;
}

export function replayCommand(): CommandModule<object, ReplayArgs> {
  return {
    command: "replay <log>",
    describe: "Serve a recording as if it were a live ComfyUI server (no GPU needed)",
    builder: (y) =>
      y
        .usage(
          `$0 replay run.ndjson [--port ${REPLAY_DEFAULTS.port}] [--speed 1|10|max] [--loop]\n\n` +
            "Answers the ComfyUI protocol (/ws, /prompt, /history, /queue, /view, /upload/image, /system_stats,\n" +
            "/object_info, /interrupt, /free and more, also under /api; docs/replay.md lists them). Each submitted\n" +
            "prompt plays the next recorded run to the submitting client with the recorded timing; a workflow\n" +
            "other than the recorded one is refused.",
        )
        .positional("log", { type: "string", demandOption: true, describe: "A recording made by comfyprof record (.ndjson or .gz)" })
        .option("lenient", { type: "boolean", default: false, describe: "Skip corrupt lines with a warning instead of refusing the log (as analyze --lenient)" })
        .option("port", { type: "string", default: String(REPLAY_DEFAULTS.port), describe: "Port to listen on, 0–65535 (0 = any free port)" })
        .option("host", { type: "string", default: REPLAY_DEFAULTS.host, describe: "Address to listen on" })
        .option("speed", { type: "string", default: String(REPLAY_DEFAULTS.speed), describe: timeOption("replay", "speed").describe })
        .option("loop", { type: "boolean", default: false, describe: "After the last recorded run, start again from the first" })
        .option("any-workflow", { type: "boolean", default: false, describe: "Accept any workflow, not only the recorded one" })
        .option("reject", { type: "string", describe: "Answer every prompt with HTTP 400: 'recorded' for the recording's refusal, or a message" })
        .option("drop-ws-after", { type: "number", describe: "Fault: close each client's WebSocket after N events" })
        .option("restart-after", { type: "number", describe: "Fault: after N events of a run, act as a restart (drop sockets, forget queue and history)" })
        .option("restart-downtime", { type: "number", default: REPLAY_DEFAULTS.restartDowntimeMs, describe: timeOption("replay", "restart-downtime").describe })
        .option("latency", { type: "number", default: REPLAY_DEFAULTS.latencyMs, describe: timeOption("replay", "latency").describe })
        .epilog(`The log is read as analyze reads it: a log analyze refuses is refused here too. - reads it from stdin.\n\n${exitCodeEpilog("replay")}`),
    handler: async (args) => {
      const speed = args.speed === "max" ? Infinity : Number(args.speed);
      if (!(speed > 0)) throw new UsageError(`--speed must be a positive number or "max", got ${args.speed}`);
      const port = Number(args.port);
      if (!/^\d+$/.test(args.port) || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535 (0 = any free port), got "${args.port}"`);
      for (const flag of ["latency", "restart-downtime"] as const) {
        if (!(args[flag] >= 0)) throw new UsageError(`--${flag} must be a number of milliseconds ≥ 0, got ${args[flag]}`);
      }
      const recording = await readingLogs(() => readRecording(args.log, { lenient: args.lenient }));
      if (recording.runs.length === 0) throw new InputError(`${displayName(args.log)} holds no recorded runs to replay`);
      let reject: { status: number; body: unknown } | null = null;
      if (args.reject !== undefined) {
        const recorded = recording.runs.find((r) => r.rejection)?.rejection;
        if (args.reject === "recorded" && !recorded) throw new UsageError(`--reject recorded: ${args.log} has no refused prompt; give a message instead`);
        reject = args.reject === "recorded" ? recorded! : { status: 400, body: { error: { type: "comfyprof_replay_reject", message: args.reject, details: "", extra_info: {} }, node_errors: {} } };
      }
      const server = await startReplayServer(recording, {
        port,
        host: args.host,
        speed,
        loop: args.loop,
        anyWorkflow: args["any-workflow"],
        reject,
        faults: { dropWsAfter: args["drop-ws-after"], restartAfter: args["restart-after"], restartDowntimeMs: args["restart-downtime"], latencyMs: args.latency },
      }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === "EADDRINUSE") throw new UsageError(`port ${port} is in use (a ComfyUI already running?): pick another with --port`);
        if (typeof err.code === "string") throw new UsageError(`cannot listen on ${args.host}:${port}: ${errnoWords(err.code)}; check --host and --port`);
        throw err;
      });
      process.stderr.write(`replaying ${recording.runs.length} run(s) of ${escapeTerminal(displayName(args.log))} at ${server.url} (speed ${args.speed}${args.loop ? ", looping" : ""}); Ctrl-C stops\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void server.close().then(resolve);
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    },
  };
}
