import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { convertEditorWorkflow, editorNodeClasses } from "../../src/convert/index.js";
import { comparable, EDITOR_SAMPLES_DIR, editorSamples, sampleObjectInfo } from "../support/editor-samples.js";

const objectInfo = sampleObjectInfo();
const samples = editorSamples();

describe("convert/editor-to-api", () => {
  it("has the editor samples, made with a named frontend version", () => {
    expect(samples.map((s) => s.name)).toEqual(["group-node", "muted-and-bypassed", "primitives", "reroutes", "seeds", "subgraph-modes", "subgraphs", "widget-extras"]);
    expect(readFileSync(`${EDITOR_SAMPLES_DIR}FRONTEND_VERSION`, "utf8").trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  for (const sample of samples) {
    it(`converts ${sample.name} as the editor does: same ids, class types and inputs`, () => {
      const conversion = convertEditorWorkflow(sample.workflow, objectInfo);
      expect(conversion.unconverted).toEqual([]);
      expect(comparable(conversion.prompt)).toEqual(comparable(sample.expected));
    });
  }

  it("keeps the titles given in the editor and names the rest by the server's display name", () => {
    const { prompt } = convertEditorWorkflow(samples.find((s) => s.name === "primitives")!.workflow, objectInfo);
    expect(prompt["1"]!._meta?.title).toBe("Canvas");
    expect(prompt["9"]!._meta?.title).toBe("Scaled width");
    expect(prompt["6"]!._meta?.title).toBe("Convert Mask to Image");
  });

  it("gives nodes inside subgraphs the instance path as id, for each instance of a subgraph used twice", () => {
    const { prompt } = convertEditorWorkflow(samples.find((s) => s.name === "subgraphs")!.workflow, objectInfo);
    expect(Object.keys(prompt).filter((id) => id.includes(":")).sort()).toEqual(["11:10:3", "11:2", "11:5", "12:10:3", "12:2", "12:5"]);
  });

  it("names a node whose class the server does not know, with its id, type, title and what to do", () => {
    const workflow = structuredClone(samples.find((s) => s.name === "reroutes")!.workflow) as { nodes: { id: number; type: string; title?: string }[] };
    const node = workflow.nodes.find((n) => n.type === "ImageInvert")!;
    node.type = "FancyUpscaler";
    node.title = "Upscale ×4";
    const { unconverted, prompt } = convertEditorWorkflow(workflow, objectInfo);
    expect(unconverted).toEqual([{ nodeId: String(node.id), type: "FancyUpscaler", title: "Upscale ×4", message: expect.stringContaining("install the node pack") }]);
    expect(prompt[String(node.id)]).toBeUndefined();
  });

  it("names a subgraph instance whose definition is missing", () => {
    const workflow = structuredClone(samples.find((s) => s.name === "subgraphs")!.workflow) as { definitions: { subgraphs: unknown[] } };
    workflow.definitions.subgraphs = [];
    const { unconverted } = convertEditorWorkflow(workflow, objectInfo);
    expect(unconverted.map((u) => u.nodeId)).toEqual(["11", "12"]);
    expect(unconverted[0]!.message).toContain("definitions.subgraphs");
  });

  it("lists the node classes a workflow needs from /object_info, inside subgraphs and group nodes too, editor-only ones left out", () => {
    expect(editorNodeClasses(samples.find((s) => s.name === "subgraphs")!.workflow)).toEqual(["EmptyImage", "ImageBlur", "ImageInvert", "ImageScale", "PreviewImage", "PrimitiveInt", "SaveImage"]);
    expect(editorNodeClasses(samples.find((s) => s.name === "group-node")!.workflow)).toEqual(["EmptyImage", "ImageBlur", "ImageInvert", "PreviewImage"]);
  });
});
