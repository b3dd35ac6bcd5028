import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { subgraphInstanceNames } from "../../src/convert/subgraph-names.js";

const editor = (name: string) => JSON.parse(readFileSync(new URL(`../../samples/workflows/editor/${name}.json`, import.meta.url), "utf8")) as unknown;

describe("convert/subgraph-names", () => {
  it("names each subgraph instance by its title, else its subgraph's name, by the id path the prompt uses", () => {
    // subgraphs.json: "Sampler stage" used twice (titled "Stage one", "Stage two"), each holding a "Soften" instance (#10).
    expect(Object.fromEntries(subgraphInstanceNames(editor("subgraphs")))).toEqual({ "11": "Stage one", "11:10": "Soften", "12": "Stage two", "12:10": "Soften" });
  });

  it("has no names for a workflow without subgraphs, or for something that is not one", () => {
    expect(subgraphInstanceNames(editor("primitives")).size).toBe(0);
    expect(subgraphInstanceNames(null).size).toBe(0);
    expect(subgraphInstanceNames({ nodes: "x" }).size).toBe(0);
  });
});
