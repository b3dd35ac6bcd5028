// The sentences of src/fold/'s diagnostics: where, what, and what we did.

import type { UncertaintyEpisode } from "../model/profile.js";

const fmt = (ms: number) => `${Math.round(ms)} ms`;
const nodeList = (ids: readonly string[]) => (ids.length === 1 ? `node ${ids[0]}` : `nodes ${ids.join(", ")}`);
const TERMINAL_NAMES: Record<string, string> = { execution_success: "success", execution_error: "error", execution_interrupted: "interrupt" };

export const say = {
  missingExecutionStart: (promptId: string) =>
    `prompt ${promptId}: no execution_start; times are measured from its first message, and queue wait is unknown`,
  runIncomplete: (promptId: string) =>
    `prompt ${promptId}: no terminal event (the recording was cut or the run lost); nodes still running end at the last message`,
  queueWaitFromReceipt: (promptId: string) =>
    `prompt ${promptId}: no create_time in /history; queue wait is measured from POST /prompt to the receipt of execution_start`,
  executionFromReceipt: (promptId: string) =>
    `prompt ${promptId}: the server sent no timestamps for the run's start or end; execution time uses receipt times`,
  unknownNode: (promptId: string, nodeId: string) =>
    `prompt ${promptId}: node ${nodeId} is not in the submitted workflow and no progress_state names its parent; its time is left out`,
  executionBlocked: (promptId: string, count: number) =>
    `prompt ${promptId}: ${count} ExecutionBlocked error(s); not terminal, the run went on`,
  reconnectDuringRun: (promptId: string, count: number) =>
    `prompt ${promptId}: the WebSocket was reconnected ${count} time(s) during the run; messages sent while it was down are missing`,
  serverStall: (promptId: string, count: number, worstMs: number) =>
    `prompt ${promptId}: ${count} /system_stats poll(s) took far longer than usual (worst ${fmt(worstMs)}): the server was stalled, node boundaries then are uncertain`,
  noMemorySamples: (promptId: string) =>
    `prompt ${promptId}: no /system_stats sample fell inside the run (it was shorter than the poll interval?); no memory figures`,
  clockJump: (promptId: string, count: number) =>
    `prompt ${promptId}: the recorder's wall clock jumped ${count} time(s); durations use the monotonic clock`,
  noProgressState: (promptId: string) =>
    `prompt ${promptId}: the server sends no progress_state (ComfyUI before 0.3.45); a node ends at the next node's start or its executed message`,
  coldRunNotCold: (promptId: string, cached: number) =>
    `prompt ${promptId}: recorded as cold, but ${cached} node(s) were cached (the server had not applied POST /free yet): do not compare its times as cold`,
  uncertainty: (promptId: string, e: UncertaintyEpisode, terminalType: string | null, worstPlusMinusMs: number) => {
    const size = e.sizeMs === null ? "" : fmt(e.sizeMs);
    const upTo = `±${fmt(worstPlusMinusMs)} at most`;
    switch (e.cause) {
      case "held-back-end":
        return `prompt ${promptId}: the run's last messages were held back ${size} (ComfyUI's periodic garbage collection after a prompt); ${nodeList(e.nodeIds)} placed from the server's ${TERMINAL_NAMES[terminalType ?? ""] ?? "end"} stamp, ${upTo}`;
      case "backlog-burst":
        return `prompt ${promptId}: burst after a ${size} backlog: ${nodeList(e.nodeIds)} cannot be separated (${upTo})`;
      case "end-held-up":
        return `prompt ${promptId}: a node's end arrived ${size} after its final progress step (a node holding Python's GIL as it started holds messages up): ${nodeList(e.nodeIds)} uncertain, ${upTo}`;
      case "ran-unseen":
        return `prompt ${promptId}: ${nodeList(e.nodeIds)} ran while the WebSocket was down (seen only finished): no time, left out of Σ and the critical path`;
      case "outage":
        return `prompt ${promptId}: WebSocket lost ${size}: ${nodeList(e.nodeIds)} uncertain (known only within the outage, ${upTo})`;
      case "stall":
        return `prompt ${promptId}: the server froze (a /system_stats poll went unanswered; silent for up to ${size}): ${nodeList(e.nodeIds)} uncertain, ${upTo}`;
      case "unfinished":
        return `prompt ${promptId}: ${nodeList(e.nodeIds)} never finished while recorded (the recording stopped or the server was lost): status unknown, no duration`;
    }
  },
  promptNotCaptured: (promptId: string) =>
    `prompt ${promptId}: the probe did not record its prompt (no prompt line); node types, the critical path and queue wait are unknown`,
  historyMissing: (promptId: string) => `prompt ${promptId}: no /history entry; outputs and queue wait from the server clock are unknown`,
};
