// `comfyprof replay run.ndjson`: its options. The server is in replay-handler.ts, imported when the command runs.

import type { CommandModule } from "yargs";
import { exitCodeEpilog } from "./exit-codes.js";
import { REPLAY_DEFAULTS, timeOption } from "../src/model/option-defaults.js";

export interface ReplayArgs {
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
    handler: async (args) => (await import("./replay-handler.js")).runReplay(args),
  };
}
