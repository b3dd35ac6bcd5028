// Diagnostics: what a layer noticed about the data, as values. The pure core
// returns them; only pipelines/ prints them. Every code is listed once, here,
// with what it means; the sentences live in each layer's messages.ts.
//
// To add a code: add one entry to DIAGNOSTIC_CODES under its layer's heading.

/** Every diagnostic code, with what it means. Keys are the codes. */
export const DIAGNOSTIC_CODES = {
  // ingest: reading the event log (src/ingest/)
  "truncated-last-line": "The last line is incomplete JSON without a newline: the recording was cut mid-write. The line is ignored.",
  "corrupt-line": "A line that is not valid JSON, before the last line. An error, or skipped with --lenient.",
  "not-json-object": "A line that is valid JSON but not an object. An error, or skipped with --lenient.",
  "missing-header": "The first record is not a header line. An error, or read as the current version with --lenient.",
  "header-not-first": "A header line after other records (e.g. two logs concatenated). An error, or skipped with --lenient.",
  "unknown-format": "The header names a format other than comfyprof-events: not our log. Always refused.",
  "unknown-major-version": "The header's major version is not one this reader knows. Always refused.",
  "newer-minor-version": "The header's minor version is newer than this reader's: read as ours, unknown parts skipped.",
  "unknown-line-kind": "Lines of a kind this reader does not know (from a newer minor). Skipped; one diagnostic per kind, counted.",
  "unknown-note-kind": "Note lines of a note kind this reader does not know. Skipped; one diagnostic per note kind, counted.",
  "invalid-line-shape": "A line of a known kind with a required field missing or of the wrong type. An error, or skipped with --lenient.",
  "unknown-ws-message-type": "WebSocket messages of a type this reader does not interpret. Passed on as `unknown`; one diagnostic per type, counted.",
  "invalid-ws-message": "WebSocket messages of a known type lacking what we need (e.g. prompt_id). Skipped; one diagnostic per type, counted.",
  "no-end-record": "The log has no `end` line: the recording was cut. The last run may be incomplete.",
  "empty-log": "The log holds no complete record: an empty file, one cut inside its first line, or (--lenient) one whose every line was skipped. Always refused.",
  "not-an-event-log": "The first line shows another kind of file: a JSON document (a workflow, a profile, an array) or binary data. Always refused.",
  // fold: folding a prompt's events into a profile (src/fold/)
  "missing-execution-start": "A prompt without execution_start: run times are measured from its first message instead.",
  "run-incomplete": "A prompt without a terminal event (the log was cut or the run lost): nodes still running end at the last message.",
  "queue-wait-from-receipt": "No create_time in the history: queue wait is measured from the POST /prompt to the receipt of execution_start.",
  "execution-from-receipt": "No server timestamps on the run's start or end: execution time is from receipt times.",
  "unknown-node": "Messages about a node that is neither in the prompt nor attributable to one of its nodes. Ignored.",
  "execution-blocked": "ExecutionBlocked errors (no timestamp): not terminal, the run went on.",
  "reconnect-during-run": "The WebSocket was reconnected during the run: messages sent while it was down are missing.",
  "server-stall": "The server's event loop stalled (a poll round trip far above its median): node boundaries in that window are uncertain.",
  "no-memory-samples": "No /system_stats sample fell inside the run: no memory figures.",
  "clock-jump": "The recorder's wall clock jumped against its monotonic clock; durations use the monotonic clock.",
  "no-progress-state": "The server sends no progress_state (before v0.3.45): nodes end at the next node's start or their executed message.",
  "cold-run-not-cold": "A run recorded as cold had cached nodes: the server had not applied POST /free yet. Its times are not cold times.",
  "history-missing": "No /history entry for the prompt: its outputs and create_time are unknown.",
  "prompt-not-captured": "A probe's log has no prompt line for the run (the probe could not read the server's queue): its workflow, outputs and create_time are unknown.",
  "run-end-held-back": "The run's terminal message was held back (ComfyUI's periodic garbage collection after a prompt): the last nodes' ends are placed from the server's stamp, within stated bounds.",
  "backlog-burst": "Node messages held back behind a late stamped message arrived in one burst: the nodes in it cannot be told apart; their bounds say by how much.",
  "node-end-held-up": "A node's end arrived well after its final progress step (the next node held Python's GIL as it started, or the server stalled): that end and the start after it are only bounded.",
  "outage-nodes-uncertain": "Node boundaries lost in a WebSocket outage: known only within the outage; nodes that ran wholly in it have no duration.",
  "stall-nodes-uncertain": "Node boundaries received while the server was frozen (a /system_stats poll far slower than usual) may have happened since the poll was sent.",
  "node-unfinished": "Nodes still running when the run's messages stopped (recording stopped, server lost or restarted): status unknown, no duration, left out of statistics.",
  // analysis: the workflow graph (src/analysis/workflow-graph.ts)
  "workflow-link-missing-source": "A node input links to a node that is not in the prompt: the link is ignored (the server would have refused such a prompt).",
  "workflow-cycle-edge-dropped": "A dependency closes a cycle in the prompt (a valid prompt has none): that edge is dropped to analyse the rest.",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** `error`: the data is wrong or unusable; `warning`: the result may be incomplete; `info`: worth knowing. */
export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** The file concerned, as the user named it ("<stdin>" for -); absent when not about one file. */
  file?: string;
  /** 1-based line in `file`; for a counted diagnostic, the first line concerned. */
  line?: number;
  /** How many occurrences a counted diagnostic stands for (unknown kinds and message types); absent means one. */
  count?: number;
  nodeId?: string;
  promptId?: string;
  /** A sentence for a person: where, what, and what was done. */
  message: string;
}
