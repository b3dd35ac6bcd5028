// `comfyprof convert`: its options. The work is in convert-handler.ts, imported when the command runs.

import type { CommandModule } from "yargs";
import { exitCodeEpilog } from "./exit-codes.js";
import { RECORD_DEFAULTS } from "../src/model/option-defaults.js";

const DEFAULT_URL = RECORD_DEFAULTS.url;

export interface ConvertArgs {
  file: string;
  url: string;
  "object-info"?: string;
  output?: string;
  header: string[];
}

export function convertCommand(): CommandModule<object, ConvertArgs> {
  return {
    command: "convert <file>",
    describe: "Print the API prompt a workflow file stands for (editor JSON converted, PNG/WebP metadata read)",
    builder: (y) =>
      y
        .usage(
          "$0 convert <file> [--url URL | --object-info FILE] [-o out.json]\n\n" +
            "Reads API or editor JSON, or a PNG/WebP saved by ComfyUI (its \"prompt\" metadata, else its \"workflow\"),\n" +
            "and prints the API prompt, as `record --workflow` would submit it. An editor workflow is converted as\n" +
            "the editor does before queueing (docs/workflows.md), with the node definitions of the server at --url\n" +
            "or those saved in --object-info (GET /object_info). - reads stdin.",
        )
        .positional("file", { type: "string", demandOption: true, describe: "Workflow file (JSON, PNG or WebP); - for stdin" })
        .option("url", { type: "string", default: process.env.COMFY_URL || DEFAULT_URL, defaultDescription: `$COMFY_URL or ${DEFAULT_URL}`, describe: "ComfyUI server whose /object_info converts an editor workflow" })
        .option("object-info", { type: "string", describe: "A saved /object_info JSON to convert with, instead of asking a server" })
        .option("output", { alias: "o", type: "string", describe: "Write the API prompt to this file (- for stdout, the default); alone: <file>.api.json beside the file" })
        .option("header", { alias: "H", type: "string", array: true, default: [], describe: "Extra request header 'Name: value' for the server (e.g. auth)" })
        .epilog(exitCodeEpilog("convert")),
    handler: async (args) => (await import("./convert-handler.js")).runConvert(args),
  };
}
