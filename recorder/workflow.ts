// Reading the workflow to submit, and making each run measure the cache state
// it claims (docs/metrics.md "Across runs").

import type { ApiWorkflow, CacheState, NonceMethod } from "../src/model/events.js";

export class WorkflowError extends Error {}

/** Inputs that the editor's "randomize" changes; new values re-run the sampler, not the loaders. */
const SEED_INPUTS = new Set(["seed", "noise_seed"]);

/**
 * An input no node declares: ComfyUI's validation and execution ignore it but
 * its cache key includes it, so a new value re-runs the node (verified on
 * ComfyUI v0.21.0, see ../shared/design/comfyui-protocol.md).
 */
export const NONCE_INPUT = "comfyprof_nonce";

/** Seeds are drawn below this: ComfyUI accepts up to 2^64 − 1, crypto.randomInt's range is at most 2^48 − 1. */
const MAX_SEED = 2 ** 48 - 1;

export function parseWorkflow(text: string, sourceName: string): ApiWorkflow {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new WorkflowError(`${sourceName}: not valid JSON (${(err as Error).message})`);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new WorkflowError(`${sourceName}: expected a JSON object of nodes (API format)`);
  }
  const obj = data as Record<string, unknown>;
  if (Array.isArray(obj.nodes) && Array.isArray(obj.links)) {
    throw new WorkflowError(
      `${sourceName} is a UI-format workflow (the editor's "Save"), but the server runs API format.\n` +
        `  Export it from the ComfyUI editor with Workflow → Export (API) (older menus: enable Dev mode in\n` +
        `  Settings, then "Save (API Format)"), and pass that file to --workflow.`,
    );
  }
  // A file saved as {"prompt": {...}} (the /prompt request body) is accepted as its prompt.
  const nodes = isApiPrompt(obj.prompt) ? (obj.prompt as Record<string, unknown>) : obj;
  if (!isApiPrompt(nodes)) {
    const bad = Object.entries(nodes).find(([, n]) => !isApiNode(n));
    throw new WorkflowError(
      `${sourceName}: not an API-format workflow` +
        (bad ? `: node "${bad[0]}" has no class_type/inputs` : ": it has no nodes"),
    );
  }
  return nodes as ApiWorkflow;
}

function isApiNode(n: unknown): boolean {
  if (n === null || typeof n !== "object") return false;
  const node = n as Record<string, unknown>;
  return typeof node.class_type === "string" && node.inputs !== null && typeof node.inputs === "object";
}

function isApiPrompt(p: unknown): boolean {
  if (p === null || typeof p !== "object" || Array.isArray(p)) return false;
  const entries = Object.values(p as object);
  return entries.length > 0 && entries.every(isApiNode);
}

export interface PreparedRun {
  prompt: ApiWorkflow;
  nonceMethod: NonceMethod;
}

/**
 * The prompt to submit for one run. model-warm: new seeds, or a nonce input on
 * every node when there is no seed; cache-warm and cold: the workflow as is.
 * `randomInt(maxExclusive)` is passed in so tests are deterministic.
 */
export function prepareRun(
  workflow: ApiWorkflow,
  cacheState: CacheState,
  randomInt: (maxExclusive: number) => number,
): PreparedRun {
  if (cacheState !== "model-warm") return { prompt: workflow, nonceMethod: "none" };
  const prompt: ApiWorkflow = structuredClone(workflow);
  let seeded = false;
  for (const node of Object.values(prompt)) {
    for (const name of Object.keys(node.inputs)) {
      if (SEED_INPUTS.has(name) && typeof node.inputs[name] === "number") {
        node.inputs[name] = randomInt(MAX_SEED);
        seeded = true;
      }
    }
  }
  if (seeded) return { prompt, nonceMethod: "seed" };
  const nonce = randomInt(MAX_SEED);
  for (const node of Object.values(prompt)) node.inputs[NONCE_INPUT] = nonce;
  return { prompt, nonceMethod: "nonce-input" };
}

/** Node classes a workflow uses, sorted, for /object_info. */
export function nodeClasses(workflow: ApiWorkflow): string[] {
  return [...new Set(Object.values(workflow).map((n) => n.class_type))].sort();
}
