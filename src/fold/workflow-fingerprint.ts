// A workflow's identity for grouping runs: its structure and inputs, without
// what changes from run to run on purpose (seeds, our nonce) or is only for
// display (_meta titles). docs/metrics.md "Across runs".

import type { ApiWorkflow } from "../model/events.js";
import { fingerprint } from "../text/hash.js";

/** Inputs that differ between runs of the same workflow by design. */
const RUN_VARYING_INPUTS = new Set(["seed", "noise_seed", "comfyprof_nonce"]);

export function workflowFingerprint(prompt: ApiWorkflow): string {
  const structure = Object.fromEntries(
    Object.entries(prompt).map(([id, node]) => [
      id,
      {
        class_type: node.class_type,
        inputs: Object.fromEntries(Object.entries(node.inputs).filter(([name, v]) => !(RUN_VARYING_INPUTS.has(name) && !Array.isArray(v)))),
      },
    ]),
  );
  return fingerprint(structure);
}
