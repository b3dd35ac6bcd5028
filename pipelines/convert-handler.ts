// `comfyprof convert`: a workflow file (API or editor JSON, PNG, WebP) → the API prompt it stands for.

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { inflateSync } from "node:zlib";
import type { ApiWorkflow } from "../src/model/events.js";
import { readWorkflowSource, WorkflowSourceError, type ObjectInfo, type WorkflowSource } from "../src/convert/index.js";
import { parseWorkflow, WorkflowError } from "../recorder/workflow.js";
import { convertWithObjectInfo, fetchObjectInfo, ObjectInfoUnavailableError } from "../recorder/editor-workflow.js";
import { editorNodeClasses } from "../src/convert/index.js";
import { parseServerUrl } from "../recorder/server-url.js";
import { CliError, InputError, UsageError } from "./cli-errors.js";
import { EXIT } from "./exit-codes.js";
import { planOutputs, STDIO } from "./output-paths.js";
import { toStdout, writeOutput } from "./output-files.js";
import { parseHeaders } from "./record-handler.js";
import * as say from "./messages.js";
import type { ConvertArgs } from "./convert-command.js";

export async function runConvert(args: ConvertArgs): Promise<void> {
  const sourceName = args.file === STDIO ? "<stdin>" : basename(args.file);
  const [output] = planOutputs([{ flag: "-o", value: args.output, what: "API workflow", suffix: ".api.json" }], [args.file], { refuseLogNames: true });
  const source = readSource(args.file, sourceName);
  const prompt = source.format === "api" ? parseApi(source.text, sourceName) : await convertEditor(source, sourceName, args);
  const text = `${JSON.stringify(prompt, null, 2)}\n`;
  if (output && output.path !== STDIO) await writeOutput(output, text);
  else await toStdout([text]);
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
