// A workflow's identity for grouping runs: its structure and inputs, without
// what changes from run to run on purpose (seeds, our nonce) or is only for
// display (_meta titles). docs/metrics.md "Across runs".

import type { ApiWorkflow } from "../model/events.js";
import { canonicalJson, fingerprintText } from "../text/hash.js";

/** Inputs that differ between runs of the same workflow by design. */
const RUN_VARYING_INPUTS = new Set(["seed", "noise_seed", "comfyprof_nonce"]);

/**
 * The fingerprint of `{ id: { class_type, inputs (seeds left out) } }` (canonical JSON), written
 * straight from the prompt: building that object first was half the cost, every run.
 */
export function workflowFingerprint(prompt: ApiWorkflow): string {
  let text = "{";
  for (const id of Object.keys(prompt).sort()) {
    const node = prompt[id];
    if (node === undefined) continue;
    let inputs = "{";
    for (const name of Object.keys(node.inputs).sort()) {
      const value = node.inputs[name];
      if (value === undefined || (RUN_VARYING_INPUTS.has(name) && !Array.isArray(value))) continue;
      inputs += `${inputs.length === 1 ? "" : ","}${JSON.stringify(name)}:${canonicalJson(value)}`;
    }
    const classType = node.class_type === undefined ? "" : `"class_type":${canonicalJson(node.class_type)},`;
    text += `${text.length === 1 ? "" : ","}${JSON.stringify(id)}:{${classType}"inputs":${inputs}}}`;
  }
  return fingerprintText(`${text}}`);
}
