// `comfyprof replay`: a recording served as a live ComfyUI. Each submitted
// prompt plays the next recorded run to the submitting client with the
// recorded spacing (÷ speed), prompt id and server stamps rewritten; /history
// and /system_stats answer what was recorded at that point.

import { workflowFingerprint } from "../../src/fold/workflow-fingerprint.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import { startProtocolServer, type EventContext, type PromptDecision, type ProtocolServer, type RunScript, type ServerFaults } from "./protocol-server.js";
import { fileKey, recordedImages, standInFor } from "./recorded-images.js";
import type { RecordedRun, Recording } from "./recorded-runs.js";

export interface ReplayOptions {
  port?: number;
  host?: string;
  /** Playback speed: 1 = as recorded, 10 = ten times faster, Infinity = no waiting. */
  speed: number;
  /** Start again from the first run after the last. */
  loop: boolean;
  /** Accept any workflow, not only the recorded one. */
  anyWorkflow: boolean;
  /** Answer every prompt with HTTP 400: the recorded refusal, or this body. */
  reject: { status: number; body: unknown } | null;
  faults?: ServerFaults;
}

export async function startReplayServer(recording: Recording, options: ReplayOptions): Promise<ProtocolServer & { played(): number }> {
  let next = 0;
  let played = 0;
  let idleStats: unknown = recording.stats[0] ?? { system: {}, devices: [] };
  const images = recordedImages(recording);
  const scale = (ms: number) => (Number.isFinite(options.speed) ? ms / options.speed : 0);

  const onPrompt = (body: { prompt: Record<string, unknown> }): PromptDecision => {
    if (options.reject) return { reject: options.reject };
    if (next >= recording.runs.length) {
      if (!options.loop || recording.runs.length === 0) return refusal(`all ${recording.runs.length} recorded run(s) of ${recording.file} were played; restart the replay or use --loop`);
      next = 0;
    }
    const run = recording.runs[next]!;
    if (!options.anyWorkflow && workflowFingerprint(body.prompt as ApiWorkflow) !== workflowFingerprint(run.prompt)) {
      return refusal(`this server replays ${recording.file}: the submitted workflow differs from the recorded one (${describeDifference(body.prompt as ApiWorkflow, run.prompt)}); submit the recorded workflow or start the replay with --any-workflow`);
    }
    next++;
    played++;
    if (run.rejection) return { reject: run.rejection };
    return { script: toScript(run, scale, (stats) => (idleStats = stats)) };
  };

  const server = await startProtocolServer({
    port: options.port,
    host: options.host,
    onPrompt,
    systemStats: () => idleStats,
    objectInfo: () => recording.objectInfo,
    viewFile: (ref) => {
      const image = images.get(fileKey(ref));
      return image ? standInFor(image) : null;
    },
    faults: options.faults,
  });
  return { ...server, played: () => played };
}

function toScript(run: RecordedRun, scale: (ms: number) => number, onStats: (body: unknown) => void): RunScript {
  return {
    events: run.messages.map((m) => ({ atMs: scale(Math.max(0, m.atMs)), message: (ctx: EventContext) => rewrite(m.message, run, ctx, scale) })),
    history: (ctx) => {
      const entry = rewrite(run.history, run, ctx, scale) as { prompt?: unknown[] };
      if (Array.isArray(entry?.prompt) && entry.prompt[3] && typeof entry.prompt[3] === "object") {
        entry.prompt[3] = { ...(entry.prompt[3] as object), create_time: ctx.createTimeMs };
      }
      return entry;
    },
    statsAt: (elapsedMs) => {
      let body: unknown = run.stats[0]?.body;
      for (const s of run.stats) if (scale(s.atMs) <= elapsedMs) body = s.body;
      if (body !== undefined) onStats(body);
      return body ?? {};
    },
  };
}

/**
 * The recorded message for the new prompt: its prompt id replaced, and every
 * server stamp moved so that the run's spacing is kept (÷ speed) from when it
 * started playing.
 */
function rewrite(value: unknown, run: RecordedRun, ctx: EventContext, scale: (ms: number) => number): unknown {
  if (Buffer.isBuffer(value)) return value;
  const shift = (stamp: number) => (run.stampOriginMs === null ? ctx.nowMs : ctx.runStartMs + Math.round(scale(stamp - run.stampOriginMs)));
  const walk = (v: unknown, key: string | null): unknown => {
    // A log line's `t` is the server's local time: moved like the stamps, and sent in UTC (the zone is the replay's).
    if (typeof v === "string" && key === "t" && run.stampOriginMs !== null) {
      const naive = localIsoToNaiveMs(v);
      if (naive !== null) return naiveMsToLocalIso(shift(naive + zoneMs(run.stampOriginMs, naive)));
    }
    if (typeof v === "string") return v === run.promptId ? ctx.promptId : v;
    if (typeof v === "number" && key === "timestamp") return shift(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, null));
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k === run.promptId ? ctx.promptId : k] = walk(x, k);
      return out;
    }
    return v;
  };
  return walk(value, null);
}

const QUARTER_HOUR_MS = 15 * 60_000;

/** "2026-11-25T15:35:53.949756" read as if UTC, ms; null when not that shape. */
function localIsoToNaiveMs(t: string): number | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?$/.exec(t);
  if (!m) return null;
  const whole = Date.parse(`${m[1]}Z`);
  return Number.isFinite(whole) ? whole + Number(`0.${m[2] ?? "0"}`) * 1000 : null;
}

/** The recording server's UTC offset: the quarter hour nearest to one of its stamps − a local time of the same run. */
function zoneMs(stampMs: number, naiveMs: number): number {
  return Math.round((stampMs - naiveMs) / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
}

/** Epoch ms as the server's ISO local time, here UTC, to the µs. */
function naiveMsToLocalIso(ms: number): string {
  const whole = Math.floor(ms);
  const micros = String(Math.round((ms - whole) * 1000)).padStart(3, "0");
  return `${new Date(whole).toISOString().slice(0, -1)}${micros}`;
}

function refusal(message: string): PromptDecision {
  return { reject: { status: 400, body: { error: { type: "comfyprof_replay", message, details: "", extra_info: {} }, node_errors: {} } } };
}

function describeDifference(submitted: ApiWorkflow, recorded: ApiWorkflow): string {
  const a = Object.keys(submitted);
  const b = Object.keys(recorded);
  const missing = b.filter((id) => !a.includes(id));
  const extra = a.filter((id) => !b.includes(id));
  if (missing.length || extra.length) return `nodes ${missing.length ? `missing ${missing.join(", ")}` : ""}${missing.length && extra.length ? "; " : ""}${extra.length ? `not recorded ${extra.join(", ")}` : ""}`;
  const changed = a.find((id) => workflowFingerprint({ [id]: submitted[id]! }) !== workflowFingerprint({ [id]: recorded[id]! }));
  return changed ? `node ${changed} (${recorded[changed]!.class_type}) differs` : "inputs differ";
}
