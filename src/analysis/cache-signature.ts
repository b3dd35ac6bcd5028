// What ComfyUI's cache keys a node's output on: its class, its literal inputs
// and, recursively, the signatures of the nodes it links to. Two prompts'
// nodes with the same signature would get the same cached output.

import type { ApiWorkflow } from "../model/events.js";
import { canonicalJson, fingerprint } from "../text/hash.js";

export function cacheSignatures(prompt: ApiWorkflow): Map<string, string> {
  const memo = new Map<string, string>();
  const visiting = new Set<string>();
  const sign = (id: string): string => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const node = prompt[id];
    if (!node || visiting.has(id)) return `missing:${id}`;
    visiting.add(id);
    const inputs = Object.entries(node.inputs)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, v]) => [name, isLink(v, prompt) ? { link: sign(v[0]), output: v[1] } : canonicalJson(v)]);
    visiting.delete(id);
    const sig = fingerprint({ class_type: node.class_type, inputs });
    memo.set(id, sig);
    return sig;
  };
  for (const id of Object.keys(prompt)) sign(id);
  return memo;
}

function isLink(v: unknown, prompt: ApiWorkflow): v is [string, number] {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && Number.isInteger(v[1]) && Object.hasOwn(prompt, v[0]);
}
