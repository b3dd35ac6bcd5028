// What differs between two workflows that are variants of each other (an A/B
// of a change to the workflow): nodes matched by id and class; per matched
// node, the inputs whose values differ; nodes only on one side or whose class
// changed. Seeds and our nonce differ between runs by design and are not a
// difference (fold/workflow-fingerprint.ts).

import type { ApiWorkflow } from "../model/events.js";
import type { NodeDifference } from "../model/comparison.js";
import { compareNodeIds } from "../model/node-ids.js";

const RUN_VARYING_INPUTS = new Set(["seed", "noise_seed", "comfyprof_nonce"]);

export interface WorkflowDiff {
  /** Node ids with the same class on both sides ÷ all node ids: 1 for the same structure. */
  similarity: number;
  /** Ids with the same class on both sides: their times can be compared. */
  matched: string[];
  differences: NodeDifference[];
}

export function diffWorkflows(baseline: ApiWorkflow, candidate: ApiWorkflow): WorkflowDiff {
  const ids = [...new Set([...Object.keys(baseline), ...Object.keys(candidate)])].sort(compareNodeIds);
  const matched: string[] = [];
  const differences: NodeDifference[] = [];
  for (const id of ids) {
    const b = baseline[id];
    const c = candidate[id];
    if (!b || !c) {
      const node = (b ?? c)!;
      differences.push({ nodeId: id, classType: node.class_type, change: b ? "removed" : "added", inputs: [] });
      continue;
    }
    if (b.class_type !== c.class_type) {
      differences.push({ nodeId: id, classType: `${b.class_type} → ${c.class_type}`, change: "class-changed", inputs: [] });
      continue;
    }
    matched.push(id);
    const names = [...new Set([...Object.keys(b.inputs), ...Object.keys(c.inputs)])].filter((n) => !RUN_VARYING_INPUTS.has(n)).sort();
    const inputs = names
      .filter((n) => JSON.stringify(b.inputs[n]) !== JSON.stringify(c.inputs[n]))
      .map((n) => ({ name: n, baseline: show(b.inputs[n]), candidate: show(c.inputs[n]) }));
    if (inputs.length > 0) differences.push({ nodeId: id, classType: b.class_type, change: "inputs", inputs });
  }
  return { similarity: ids.length === 0 ? 1 : matched.length / ids.length, matched, differences };
}

/** An input as a person reads it: a link as "← #3", a value as JSON, long values cut. */
function show(v: unknown): string | null {
  if (v === undefined) return null;
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && Number.isInteger(v[1])) return `← #${v[0]}${v[1] ? ` output ${v[1]}` : ""}`;
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
