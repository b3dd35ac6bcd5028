// Builds scripted runs for the protocol server: a timeline of ComfyUI
// messages as a real v0.21 server sends them for simple sync nodes.

import { afterEach } from "vitest";
import { startProtocolServer, type EventContext, type ProtocolServer, type ProtocolServerOptions, type RunScript, type ScriptedEvent } from "../../pipelines/replay/protocol-server.js";

export interface ScriptNode {
  id: string;
  type: string;
  /** How long the node runs, ms. */
  ms: number;
  /** Progress steps reported evenly while it runs. */
  steps?: number;
  /** Output node: sends `executed` with a UI output. */
  output?: boolean;
}

export interface ScriptOptions {
  /** Node ids reported in execution_cached. */
  cached?: string[];
  /** Fail at this node (execution_error instead of its end). */
  failAt?: string;
  /** Extra events (other prompts, extensions, binary frames). */
  extra?: ScriptedEvent[];
}

export function sequentialRun(nodes: ScriptNode[], options: ScriptOptions = {}): RunScript {
  const events: ScriptedEvent[] = [];
  const at = (atMs: number, message: (c: EventContext) => unknown) => events.push({ atMs, message });
  const states: Record<string, { state: string; value: number; max: number }> = {};
  const progressState = (c: EventContext) => ({
    type: "progress_state",
    data: {
      prompt_id: c.promptId,
      nodes: Object.fromEntries(
        Object.entries(states).map(([id, s]) => [
          id,
          { ...s, node_id: id, prompt_id: c.promptId, display_node_id: id, parent_node_id: null, real_node_id: id },
        ]),
      ),
    },
  });
  at(0, (c) => ({ type: "execution_start", data: { prompt_id: c.promptId, timestamp: c.nowMs } }));
  at(1, (c) => ({ type: "execution_cached", data: { nodes: options.cached ?? [], prompt_id: c.promptId, timestamp: c.nowMs } }));
  let t = 2;
  let failed = false;
  for (const node of nodes) {
    const start = t;
    at(start, (c) => {
      states[node.id] = { state: "running", value: 0, max: 1 };
      return progressState(c);
    });
    at(start, (c) => ({ type: "executing", data: { node: node.id, display_node: node.id, prompt_id: c.promptId } }));
    const steps = node.steps ?? 0;
    for (let i = 1; i <= steps; i++) {
      at(start + (node.ms * i) / (steps + 1), (c) => ({ type: "progress", data: { value: i, max: steps, prompt_id: c.promptId, node: node.id } }));
    }
    t += node.ms;
    if (node.id === options.failAt) {
      at(t, (c) => ({
        type: "execution_error",
        data: {
          prompt_id: c.promptId, node_id: node.id, node_type: node.type, executed: [], exception_message: "boom",
          exception_type: "RuntimeError", traceback: ["Traceback…"], current_inputs: {}, current_outputs: {}, timestamp: c.nowMs,
        },
      }));
      failed = true;
      break;
    }
    if (node.output) {
      at(t, (c) => ({ type: "executed", data: { node: node.id, display_node: node.id, output: { images: [] }, prompt_id: c.promptId } }));
    }
    at(t, (c) => {
      states[node.id] = { state: "finished", value: 1, max: 1 };
      return progressState(c);
    });
  }
  if (!failed) at(t + 1, (c) => ({ type: "execution_success", data: { prompt_id: c.promptId, timestamp: c.nowMs } }));
  at(t + 2, (c) => ({ type: "executing", data: { node: null, prompt_id: c.promptId } }));
  for (const e of options.extra ?? []) events.push(e);
  return {
    events,
    history: (c) => ({
      prompt: [0, c.promptId, c.prompt, { create_time: c.createTimeMs }, nodes.filter((n) => n.output).map((n) => n.id)],
      outputs: {},
      status: {
        status_str: failed ? "error" : "success",
        completed: !failed && !c.interrupted,
        messages: [["execution_start", { prompt_id: c.promptId, timestamp: c.createTimeMs }]],
      },
      meta: {},
    }),
  };
}

export const CPU_SYSTEM_STATS = {
  system: {
    os: "posix", ram_total: 25_000_000_000, ram_free: 20_000_000_000, comfyui_version: "0.21.0",
    python_version: "3.11.7", pytorch_version: "2.9.1+cpu", embedded_python: false, argv: ["main.py", "--cpu"],
  },
  devices: [{ name: "cpu", type: "cpu", index: null, vram_total: 25_000_000_000, vram_free: 20_000_000_000, torch_vram_total: 25_000_000_000, torch_vram_free: 20_000_000_000 }],
};

/**
 * Protocol servers for the cases of one test file: `start(options)` starts one
 * on a free loopback port, and each is closed after the case that started it.
 */
export function protocolServers(): (options: ProtocolServerOptions) => Promise<ProtocolServer> {
  let current: ProtocolServer | null = null;
  afterEach(async () => {
    await current?.close();
    current = null;
  });
  return async (options) => (current = await startProtocolServer(options));
}
