// `comfyprof convert FILE`: the API prompt a workflow file stands for — an
// API file as is, an editor file converted with the server's /object_info
// (or a saved one), a ComfyUI PNG/WebP through its metadata — so the
// conversion `record` makes can be checked and reused.

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { inflateSync } from "node:zlib";
import type { CommandModule } from "yargs";
import type { ApiWorkflow } from "../src/model/events.js";
import { readWorkflowSource, WorkflowSourceError, type ObjectInfo, type WorkflowSource } from "../src/convert/index.js";
import { parseWorkflow, WorkflowError } from "../recorder/workflow.js";
import { convertWithObjectInfo, fetchObjectInfo, ObjectInfoUnavailableError } from "../recorder/editor-workflow.js";
import { editorNodeClasses } from "../src/convert/index.js";
import { parseServerUrl } from "../recorder/server-url.js";
import { CliError, InputError, UsageError } from "./cli-errors.js";
import { EXIT, exitCodeEpilog } from "./exit-codes.js";
import { planOutputs, STDIO } from "./output-paths.js";
import { toStdout, writeOutput } from "./output-files.js";
import { parseHeaders } from "./record-command.js";
import * as say from "./messages.js";

const DEFAULT_URL = "http://127.0.0.1:8188";

interface ConvertArgs {
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
    handler: async (args) => {
      const sourceName = args.file === STDIO ? "<stdin>" : basename(args.file);
      const [output] = planOutputs([{ flag: "-o", value: args.output, what: "API workflow", suffix: ".api.json" }], [args.file], { refuseLogNames: true });
      const source = readSource(args.file, sourceName);
      const prompt = source.format === "api" ? parseApi(source.text, sourceName) : await convertEditor(source, sourceName, args);
      const text = `${JSON.stringify(prompt, null, 2)}\n`;
      if (output && output.path !== STDIO) await writeOutput(output, text);
      else await toStdout([text]);
    },
  };
}

function readSource(file: string, sourceName: string): WorkflowSource {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file === STDIO ? 0 : file);
  } catch (err) {
    throw new InputError(say.cannotRead(file, (err as NodeJS.ErrnoException).code ?? ""));
  }
  try {
    return readWorkflowSource(bytes, sourceName, inflateSync);
  } catch (err) {
    if (err instanceof WorkflowSourceError) throw new InputError(err.message);
    throw err;
  }
}

function parseApi(text: string, sourceName: string): ApiWorkflow {
  try {
    return parseWorkflow(text, sourceName);
  } catch (err) {
    if (err instanceof WorkflowError) throw new InputError(err.message);
    throw err;
  }
}

async function convertEditor(source: Extract<WorkflowSource, { format: "editor" }>, sourceName: string, args: ConvertArgs): Promise<ApiWorkflow> {
  const objectInfo = args["object-info"] === undefined ? await askServer(args, editorNodeClasses(source.workflow)) : readObjectInfo(args["object-info"]);
  try {
    return convertWithObjectInfo(source.workflow, source.container, objectInfo, sourceName).prompt;
  } catch (err) {
    if (err instanceof WorkflowError) throw new InputError(err.message);
    throw err;
  }
}

async function askServer(args: ConvertArgs, classes: string[]): Promise<ObjectInfo> {
  try {
    parseServerUrl(args.url);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  try {
    return await fetchObjectInfo(args.url, parseHeaders(args.header), classes);
  } catch (err) {
    if (err instanceof ObjectInfoUnavailableError) throw new CliError(EXIT.serverLost, err.message);
    throw err;
  }
}

function readObjectInfo(path: string): ObjectInfo {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code ? `cannot read --object-info ${path}: ${code}` : `--object-info ${path}: not valid JSON (${(err as Error).message})`);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new UsageError(`--object-info ${path}: expected the JSON of GET /object_info (an object of node classes)`);
  }
  return data as ObjectInfo;
}
