// Two nodes share a cache signature exactly when ComfyUI's cache would key them alike: the same
// class, the same literal inputs (any key order) and links to nodes that share signatures, by the
// same output. Held to a reference that writes each node out whole, links expanded.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cacheSignatures } from "../../src/analysis/cache-signature.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import { canonicalJson } from "../../src/text/hash.js";

/** The reference: a node as canonical JSON with every link replaced by what it links to, recursively. */
function expanded(prompt: ApiWorkflow, id: string): string {
  const node = prompt[id]!;
  const inputs: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(node.inputs)) {
    const link = Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && Number.isInteger(v[1]) && Object.hasOwn(prompt, v[0]);
    inputs[name] = link ? { link: expanded(prompt, v[0] as string), output: v[1] } : { literal: v };
  }
  return canonicalJson({ class_type: node.class_type, inputs });
}

const LITERALS: unknown[] = [1, 2, "1", "two", null, true, [1, 2], { x: 1, b: 2 }, { x: 1 }, '@"x"#0', ',"b":2'];
const NAMES = ["image", "value", "a", "b", 'a,"b":2', "a:1,b", "x"];

/** A random acyclic prompt: node i links only to nodes before it; literals from a small pool so that equal nodes happen. */
const promptArb = fc
  .array(
    fc.record({
      classType: fc.constantFrom("Load", "Scale", "Blur", "Save"),
      inputs: fc.array(
        fc.tuple(
          fc.constantFrom(...NAMES),
          fc.oneof(
            fc.constantFrom<unknown>(...LITERALS, ["9", 0]),
            fc.record({ linkBack: fc.nat(4), output: fc.constantFrom(0, 1) }),
          ),
        ),
        { maxLength: 4 },
      ),
    }),
    { minLength: 1, maxLength: 7 },
  )
  .map((nodes) => {
    const prompt: ApiWorkflow = {};
    nodes.forEach((n, i) => {
      const inputs: Record<string, unknown> = {};
      for (const [name, v] of n.inputs) {
        if (v !== null && typeof v === "object" && "linkBack" in (v as object)) {
          const { linkBack, output } = v as { linkBack: number; output: number };
          if (i > 0) inputs[name] = [String(Math.max(0, i - 1 - linkBack) + 1), output];
        } else inputs[name] = v;
      }
      prompt[String(i + 1)] = { class_type: n.classType, inputs };
    });
    return prompt;
  });

/** `prompt` with one small change (or none: inputs reordered), so that near misses are common. */
const nearArb = (prompt: ApiWorkflow) =>
  fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.constantFrom("literal", "output", "rename", "reorder")).map(([n, i, v, change]) => {
    const copy = structuredClone(prompt);
    const ids = Object.keys(copy);
    const node = copy[ids[n % ids.length]!]!;
    const names = Object.keys(node.inputs);
    if (names.length === 0) return copy;
    const name = names[i % names.length]!;
    const value = node.inputs[name];
    if (change === "literal") node.inputs[name] = LITERALS[v % LITERALS.length];
    else if (change === "output" && Array.isArray(value)) node.inputs[name] = [value[0], 1 - (value[1] as number)];
    else if (change === "rename") {
      const { [name]: moved, ...rest } = node.inputs;
      node.inputs = { ...rest, [NAMES[v % NAMES.length]!]: moved };
    } else node.inputs = Object.fromEntries(Object.entries(node.inputs).reverse());
    return copy;
  });

describe("analysis/cache-signature", () => {
  it("tells a prompt's nodes from those of a prompt a small change away exactly as the reference does", () => {
    fc.assert(
      fc.property(
        promptArb.chain((a) => fc.tuple(fc.constant(a), nearArb(a))),
        ([a, b]) => {
          const sa = cacheSignatures(a);
          const sb = cacheSignatures(b);
          for (const x of Object.keys(a)) for (const y of Object.keys(b)) expect(sa.get(x) === sb.get(y), `${x} vs ${y}`).toBe(expanded(a, x) === expanded(b, y));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("gives two nodes (of one prompt or two) the same signature exactly when the reference writes them alike", () => {
    fc.assert(
      fc.property(promptArb, promptArb, (a, b) => {
        const sa = cacheSignatures(a);
        const sb = cacheSignatures(b);
        for (const x of Object.keys(a)) {
          for (const [other, so] of [[a, sa], [b, sb]] as const) {
            for (const y of Object.keys(other)) {
              expect(sa.get(x) === so.get(y), `${x} vs ${y}`).toBe(expanded(a, x) === expanded(other, y));
            }
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it("ignores the order of inputs and tells a literal that looks like a link from a link", () => {
    const a: ApiWorkflow = { "1": { class_type: "Load", inputs: { a: 1 } }, "2": { class_type: "Blur", inputs: { image: ["1", 0], r: 2 } } };
    const b: ApiWorkflow = { "1": { class_type: "Load", inputs: { a: 1 } }, "2": { class_type: "Blur", inputs: { r: 2, image: ["1", 0] } } };
    expect(cacheSignatures(b).get("2")).toBe(cacheSignatures(a).get("2"));
    // ["7", 0] names no node of the prompt: a literal, unlike a link to a node that exists.
    const literal: ApiWorkflow = { "1": { class_type: "Load", inputs: { a: 1 } }, "2": { class_type: "Blur", inputs: { image: ["7", 0], r: 2 } } };
    expect(cacheSignatures(literal).get("2")).not.toBe(cacheSignatures(a).get("2"));
    // A changed literal upstream changes the node downstream; another output of the same node too.
    const upstream: ApiWorkflow = { ...a, "1": { class_type: "Load", inputs: { a: 2 } } };
    expect(cacheSignatures(upstream).get("2")).not.toBe(cacheSignatures(a).get("2"));
    const output: ApiWorkflow = { ...a, "2": { class_type: "Blur", inputs: { image: ["1", 1], r: 2 } } };
    expect(cacheSignatures(output).get("2")).not.toBe(cacheSignatures(a).get("2"));
    // Names and values that would run together if written loosely.
    const two: ApiWorkflow = { "1": { class_type: "Load", inputs: { a: 1, b: 2 } } };
    const one: ApiWorkflow = { "1": { class_type: "Load", inputs: { "a:1,b": 2 } } };
    expect(cacheSignatures(one).get("1")).not.toBe(cacheSignatures(two).get("1"));
  });

  it("gives the same answer for the same prompt object, computed once", () => {
    const a: ApiWorkflow = { "1": { class_type: "Load", inputs: { a: 1 } } };
    expect(cacheSignatures(a)).toBe(cacheSignatures(a));
    expect(cacheSignatures(structuredClone(a))).toEqual(cacheSignatures(a));
  });
});
