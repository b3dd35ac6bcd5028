// An editor workflow (or an image holding one) becomes the API prompt to
// submit: the server's /object_info for the node classes it names, then the
// pure conversion (src/convert/). What the conversion used goes into the
// log's header, so it can be re-done offline.

import type { ApiWorkflow, EditorWorkflowRecord } from "../src/model/events.js";
import { convertEditorWorkflow, editorNodeClasses, unconvertedNodes, type ObjectInfo, type WorkflowContainer } from "../src/convert/index.js";
import { describeFetchError, summarizeBody } from "./comfy-http.js";
import { httpUrl, parseServerUrl } from "./server-url.js";
import { WorkflowError } from "./workflow.js";

export class ObjectInfoUnavailableError extends Error {}

export interface ConvertedWorkflow {
  prompt: ApiWorkflow;
  editor: EditorWorkflowRecord;
}

/** /object_info/{class} for each class, from the server at `url`; a class the server does not know is left out. */
export async function fetchObjectInfo(url: string, headers: Record<string, string>, classes: readonly string[]): Promise<ObjectInfo> {
  const urls = parseServerUrl(url);
  const sent: Record<string, string> = { ...headers };
  if (urls.basicAuth && !Object.keys(headers).some((h) => h.toLowerCase() === "authorization")) sent.Authorization = `Basic ${urls.basicAuth}`;
  const info: ObjectInfo = {};
  for (const cls of classes) {
    let res: Response;
    try {
      res = await fetch(httpUrl(urls, `/object_info/${encodeURIComponent(cls)}`), { headers: sent, signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      throw new ObjectInfoUnavailableError(`cannot reach ComfyUI at ${urls.loggable} for /object_info (${describeFetchError(err)}): converting an editor workflow needs the server's node definitions; is it running, is --url right? (or give them with --object-info FILE)`);
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Kept as text for the message below.
    }
    if (res.status === 404) continue;
    if (res.status !== 200) throw new ObjectInfoUnavailableError(`ComfyUI at ${urls.loggable} answered GET /object_info/${cls} with HTTP ${res.status}: ${summarizeBody(body)}`);
    const entry = body !== null && typeof body === "object" ? (body as ObjectInfo)[cls] : undefined;
    if (entry) info[cls] = entry;
  }
  return info;
}

/** Converts with the given node definitions; a node it cannot convert is a WorkflowError naming each. */
export function convertWithObjectInfo(workflow: unknown, container: WorkflowContainer, objectInfo: ObjectInfo, sourceName: string): ConvertedWorkflow {
  const conversion = convertEditorWorkflow(workflow, objectInfo);
  if (conversion.unconverted.length > 0) throw new WorkflowError(unconvertedNodes(sourceName, conversion.unconverted));
  if (Object.keys(conversion.prompt).length === 0) {
    throw new WorkflowError(`${sourceName}: the editor workflow has no node to run (every node is muted, bypassed or editor-only)`);
  }
  const used = Object.fromEntries(conversion.classesUsed.map((c) => [c, objectInfo[c]]));
  return { prompt: conversion.prompt, editor: { container, workflow, objectInfo: used } };
}

/** Asks the server for the node definitions an editor workflow needs, then converts it. */
export async function convertWithServer(workflow: unknown, container: WorkflowContainer, sourceName: string, url: string, headers: Record<string, string>): Promise<ConvertedWorkflow> {
  const objectInfo = await fetchObjectInfo(url, headers, editorNodeClasses(workflow));
  return convertWithObjectInfo(workflow, container, objectInfo, sourceName);
}
