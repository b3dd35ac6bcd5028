import { describe, expect, it } from "vitest";
import { convertWithServer, convertWithObjectInfo, fetchObjectInfo } from "../../recorder/editor-workflow.js";
import { WorkflowError } from "../../recorder/workflow.js";
import type { HeaderLine } from "../../src/model/events.js";
import { CPU_SYSTEM_STATS, protocolServers, sequentialRun } from "../support/scripted-runs.js";
import { recordAgainst } from "../support/record-harness.js";
import { comparable, editorSamples, sampleObjectInfo } from "../support/editor-samples.js";

const startServer = protocolServers();
const reroutes = editorSamples().find((s) => s.name === "reroutes")!;

/** A protocol server on loopback that knows the sample's node classes and runs any prompt quickly. */
function serve() {
  return startServer({
    onPrompt: (body) => ({ script: sequentialRun(Object.entries(body.prompt).map(([id, n]) => ({ id, type: (n as { class_type: string }).class_type, ms: 5 }))) }),
    systemStats: () => CPU_SYSTEM_STATS,
    objectInfo: () => sampleObjectInfo(),
  });
}

describe("recorder/editor-workflow", () => {
  it("asks the server for the definitions of just the classes named, and leaves out the ones it does not know", async () => {
    const s = await serve();
    const info = await fetchObjectInfo(s.url, {}, ["EmptyImage", "NoSuchNode"]);
    expect(Object.keys(info)).toEqual(["EmptyImage"]);
  });

  it("converts with the server's definitions and keeps the editor graph and the definitions used", async () => {
    const s = await serve();
    const converted = await convertWithServer(reroutes.workflow, "json", "reroutes.json", s.url, {});
    expect(comparable(converted.prompt)).toEqual(comparable(reroutes.expected));
    expect(converted.editor.container).toBe("json");
    expect(converted.editor.workflow).toBe(reroutes.workflow);
    expect(Object.keys(converted.editor.objectInfo)).toEqual(["EmptyImage", "ImageBlur", "ImageInvert", "PreviewImage", "SaveImage"]);
  });

  it("refuses a workflow with a node it cannot convert, naming it", () => {
    const workflow = structuredClone(reroutes.workflow) as { nodes: { id: number; type: string }[] };
    workflow.nodes[0]!.type = "FromAMissingPack";
    expect(() => convertWithObjectInfo(workflow, "json", sampleObjectInfo(), "wf.json")).toThrow(WorkflowError);
    expect(() => convertWithObjectInfo(workflow, "json", sampleObjectInfo(), "wf.json")).toThrow(/node 1 \(FromAMissingPack\)/);
  });

  it("writes the editor graph beside the converted prompt in the header, which the log schema accepts", async () => {
    const s = await serve();
    const converted = await convertWithServer(reroutes.workflow, "png", "out.png", s.url, {});
    const { result, lines } = await recordAgainst(s.url, converted.prompt, { editor: converted.editor, workflowSourceName: "out.png" });
    expect(result.reason).toBe("done");
    const header = lines[0] as HeaderLine;
    expect(header.workflow.prompt).toEqual(converted.prompt);
    expect(header.workflow.editor).toEqual({ container: "png", workflow: reroutes.workflow, objectInfo: converted.editor.objectInfo });
  });
});
