import { describe, expect, it } from "vitest";
import { NONCE_INPUT, nodeClasses, parseWorkflow, prepareRun, WorkflowError } from "../../recorder/workflow.js";

const API = { "1": { class_type: "EmptyImage", inputs: { width: 8 } }, "2": { class_type: "KSampler", inputs: { seed: 1, noise_seed: 2, model: ["1", 0] } } };

describe("recorder/workflow", () => {
  it("reads an API-format workflow as it is", () => {
    expect(parseWorkflow(JSON.stringify(API), "wf.json")).toEqual(API);
  });

  it("accepts a saved /prompt request body by taking its prompt", () => {
    expect(parseWorkflow(JSON.stringify({ prompt: API, client_id: "x" }), "wf.json")).toEqual(API);
  });

  it("refuses a UI-format workflow and says how to export API format", () => {
    const ui = JSON.stringify({ nodes: [{ id: 1, type: "EmptyImage" }], links: [], version: 0.4 });
    expect(() => parseWorkflow(ui, "ui.json")).toThrow(WorkflowError);
    expect(() => parseWorkflow(ui, "ui.json")).toThrow(/ui\.json is a UI-format workflow.*\n.*Export \(API\)/);
  });

  it("names the first node that is not an API node", () => {
    expect(() => parseWorkflow(JSON.stringify({ "1": { class_type: "A", inputs: {} }, "7": { type: "B" } }), "wf.json")).toThrow('node "7" has no class_type/inputs');
  });

  it("reports invalid JSON with the file name", () => {
    expect(() => parseWorkflow("{nope", "bad.json")).toThrow(/^bad\.json: not valid JSON/);
  });

  it("changes seed and noise_seed for model-warm and leaves the original untouched", () => {
    let n = 100;
    const { prompt, nonceMethod } = prepareRun(API, "model-warm", () => n++);
    expect(nonceMethod).toBe("seed");
    expect(prompt["2"]!.inputs).toEqual({ seed: 100, noise_seed: 101, model: ["1", 0] });
    expect(API["2"].inputs.seed).toBe(1);
    expect(prompt["1"]!.inputs).not.toHaveProperty(NONCE_INPUT);
  });

  it("does not touch a seed that is a link", () => {
    const linked = { "1": { class_type: "Seed", inputs: {} }, "2": { class_type: "KSampler", inputs: { seed: ["1", 0] } } };
    const { prompt, nonceMethod } = prepareRun(linked, "model-warm", () => 5);
    expect(nonceMethod).toBe("nonce-input");
    expect(prompt["2"]!.inputs.seed).toEqual(["1", 0]);
    expect(prompt["1"]!.inputs[NONCE_INPUT]).toBe(5);
  });

  it("submits the workflow unchanged for cache-warm and cold", () => {
    expect(prepareRun(API, "cache-warm", () => 1)).toEqual({ prompt: API, nonceMethod: "none" });
    expect(prepareRun(API, "cold", () => 1)).toEqual({ prompt: API, nonceMethod: "none" });
  });

  it("lists the node classes used, once each, sorted", () => {
    expect(nodeClasses({ ...API, "3": { class_type: "EmptyImage", inputs: {} } })).toEqual(["EmptyImage", "KSampler"]);
  });
});
