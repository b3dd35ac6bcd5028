// `comfyprof record`: its options. The work is in record-handler.ts, imported when the command runs.

import type { CommandModule } from "yargs";
import { exitCodeEpilog } from "./exit-codes.js";
import { RECORD_DEFAULTS, timeOption } from "../src/model/option-defaults.js";

export interface RecordArgs {
  url: string;
  workflow: string;
  output?: string;
  force: boolean;
  runs: number;
  warmup: number;
  cold?: boolean;
  "cache-warm"?: boolean;
  "poll-ms": number;
  timeout?: number;
  header: string[];
  label?: string;
  "keep-previews": boolean;
  "interrupt-on-exit": boolean;
  "reconnect-timeout": number;
  quiet: boolean;
}

export function recordCommand(setExitCode: (code: number) => void): CommandModule<object, RecordArgs> {
  return {
    command: "record",
    describe: "Submit a workflow to a ComfyUI server and write every event to an NDJSON log",
    builder: (y) =>
      y
        .usage(
          "$0 record --workflow wf.json [options] > run.ndjson\n\n" +
            "Submits a workflow (API or editor format, or a ComfyUI PNG/WebP that holds one), follows it to the end, and writes what the server said\n" +
            "(WebSocket events, /history, /system_stats polls, environment) to an event log that\n" +
            "`comfyprof analyze` reads. Repeated runs measure one cache state each:\n" +
            "  default       model-warm: new seeds (or a nonce input) so outputs re-run, models stay loaded\n" +
            "  --cache-warm  identical resubmission: measures the cache path (nothing executes)\n" +
            "  --cold        POST /free (free memory, unload models) before each run",
        )
        .option("url", { type: "string", default: process.env.COMFY_URL || RECORD_DEFAULTS.url, defaultDescription: `$COMFY_URL or ${RECORD_DEFAULTS.url}`, describe: "ComfyUI server base URL" })
        .option("workflow", { alias: "w", type: "string", demandOption: true, describe: "Workflow file: API or editor JSON, or a PNG/WebP saved by ComfyUI; - for stdin (editor format is converted with the server's /object_info)" })
        .option("output", { alias: "o", type: "string", describe: "Write the log to this file instead of stdout (- for stdout); alone: <workflow>.ndjson beside the workflow" })
        .option("force", { type: "boolean", default: false, describe: "Let -o replace an existing file (when the new recording ends; until then the old one is kept)" })
        .option("runs", { alias: "n", type: "number", default: RECORD_DEFAULTS.runs, describe: "Measured runs" })
        .option("warmup", { type: "number", default: RECORD_DEFAULTS.warmup, describe: "Warm-up runs before the measured ones (marked in the log)" })
        .option("cold", { type: "boolean", describe: "Free memory and unload models before each run" })
        .option("cache-warm", { type: "boolean", describe: "Resubmit the identical workflow (measures the cache path)" })
        .conflicts("cold", "cache-warm")
        .option("poll-ms", { type: "number", default: RECORD_DEFAULTS.pollMs, describe: timeOption("record", "poll-ms").describe })
        .option("timeout", { type: "number", describe: timeOption("record", "timeout").describe })
        .option("header", { alias: "H", type: "string", array: true, default: [], describe: "Extra request header 'Name: value' (e.g. auth); sent, never logged" })
        .option("label", { type: "string", describe: "Free text stored in the log header (e.g. 'after driver update')" })
        .option("keep-previews", { type: "boolean", default: false, describe: "Keep binary preview frames whole (base64) instead of type + size + node" })
        .option("interrupt-on-exit", { type: "boolean", default: false, describe: "On Ctrl-C or --timeout, also POST /interrupt so the server stops the run" })
        .option("reconnect-timeout", { type: "number", default: RECORD_DEFAULTS.reconnectTimeoutSeconds, describe: timeOption("record", "reconnect-timeout").describe })
        .option("quiet", { alias: "q", type: "boolean", default: false, describe: "No progress on stderr" })
        .epilog(
          "Every log ends with an end record saying why it ended; a log without one was cut. With -o the log is\n" +
            "written to a temporary file beside it (.<name>.<pid>.tmp) and renamed when the recording ends, so an\n" +
            "existing recording is never half-overwritten; an existing file is refused unless --force.\n" +
            "--label - stores the label \"-\".\n\n" +
            exitCodeEpilog("record"),
        ),
    handler: async (args) => (await import("./record-handler.js")).runRecord(args, setExitCode),
  };
}
