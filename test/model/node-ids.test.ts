import { describe, expect, it } from "vitest";
import { compareNodeIds } from "../../src/model/node-ids.js";

describe("compareNodeIds", () => {
  it("orders ids naturally, with editor-subgraph and expanded ids and leading zeros", () => {
    const ids = ["10", "a", "5:10", "2", "5:2", "01", "1", "5", "5.0.0.1", "b"];
    expect(ids.sort(compareNodeIds)).toEqual(["01", "1", "2", "5", "5.0.0.1", "5:2", "5:10", "10", "a", "b"]);
    expect(compareNodeIds("123456789012345678901", "123456789012345678902")).toBeLessThan(0);
  });
});
