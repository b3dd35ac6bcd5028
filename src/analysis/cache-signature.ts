// What ComfyUI's cache keys a node's output on: its class, its literal inputs
// and, recursively, the signatures of the nodes it links to. Two prompts'
// nodes with the same signature would get the same cached output. Signatures
// are compared within one analysis only (never written out), so only their
// equality matters.

import type { ApiWorkflow } from "../model/events.js";
import { canonicalJson, fingerprintText } from "../text/hash.js";

/** A prompt's signatures, by the prompt object: the cache rule and the advice both ask for the same run's. */
const signed = new WeakMap<ApiWorkflow, ReadonlyMap<string, string>>();

export function cacheSignatures(prompt: ApiWorkflow): ReadonlyMap<string, string> {
  const known = signed.get(prompt);
  if (known !== undefined) return known;
  const memo = new Map<string, string>();
  const visiting = new Set<string>();
  const sign = (id: string): string => {
    const done = memo.get(id);
    if (done !== undefined) return done;
    const node = prompt[id];
    if (!node || visiting.has(id)) return `missing:${id}`;
    visiting.add(id);
    // One text that tells nodes apart exactly when their class, literal inputs or linked signatures
    // differ: JSON strings and canonical JSON delimit themselves, a link is `@"<signature>"#<output>`.
    let key = JSON.stringify(node.class_type);
    for (const name of Object.keys(node.inputs).sort()) {
      const v = node.inputs[name];
      key += `,${JSON.stringify(name)}:${isLink(v, prompt) ? `@${JSON.stringify(sign(v[0]))}#${v[1]}` : canonicalJson(v)}`;
    }
    visiting.delete(id);
    const sig = fingerprintText(key);
    memo.set(id, sig);
    return sig;
  };
  for (const id of Object.keys(prompt)) sign(id);
  signed.set(prompt, memo);
  return memo;
}

function isLink(v: unknown, prompt: ApiWorkflow): v is [string, number] {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && Number.isInteger(v[1]) && Object.hasOwn(prompt, v[0]);
}
