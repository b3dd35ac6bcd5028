// A probe's log, line by line, as probe/ writes it (docs/event-log.md, v1.2), for ground-truth
// tests of ingest and the fold. Time `t` is the server's monotonic ms since the probe started; its
// wall clock is PROBE_EPOCH_MS + t, and the server's `timestamp` fields are that wall clock cut to
// whole ms, as ComfyUI stamps them (int(time.time() * 1000)). The probe stamps each line as the
// server sends the message, so a run's figures are plain differences of these times.

import { createLogParser } from "../../src/ingest/index.js";
import type { ApiWorkflow } from "../../src/model/events.js";
import type { LogEvent } from "../../src/model/server-events.js";

/** The server's wall clock at probe time 0: 2026-01-01T00:00:00.000Z + 0.25 ms (so stamps are cut). */
export const PROBE_EPOCH_MS = 1_767_225_600_000.25;
export const probeWallAt = (t: number): number => PROBE_EPOCH_MS + t;
export const probeStampAt = (t: number): number => Math.floor(probeWallAt(t));

export function probeHeader(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: "header",
    wallMs: probeWallAt(0),
    monoMs: 0,
    format: "comfyprof-events",
    version: "1.2",
    source: "probe",
    recorder: { name: "comfyprof-probe", version: "0.1.0" },
    server: { hostname: "gpu-7", pid: 4242, address: "0.0.0.0", port: 8188, comfyuiVersion: "0.21.0", python: "3.11.7", argv: ["main.py"] },
    host: { timeZone: "UTC", utcOffsetMin: 0, platform: "linux" },
    clocks: { wallMs: "time.time_ns() / 1e6", monoMs: "time.monotonic_ns(), ms since the probe started" },
    probe: { pollMs: 500, idlePollMs: 10_000, maxBytes: 268_435_456, queueSize: 10_000 },
    file: { index: 1, reason: "start", previous: null },
    label: null,
    ...changes,
  };
}

export class ProbeLog {
  private readonly lines: Record<string, unknown>[] = [probeHeader()];
  /** progress_state's memory per prompt: every node started so far. */
  private readonly states = new Map<string, Record<string, { value: number; max: number; state: string; node_id: string; prompt_id: string; display_node_id: string; parent_node_id: null; real_node_id: string }>>();

  constructor(private readonly sid: string | null = "gateway-1") {}

  private line(t: number, fields: Record<string, unknown>): this {
    this.lines.push({ ...fields, wallMs: probeWallAt(t), monoMs: t });
    return this;
  }

  sent(t: number, type: string, data: Record<string, unknown>, sid: string | null = this.sid): this {
    return this.line(t, { kind: "sent", sid, msg: { type, data } });
  }

  prompt(t: number, promptId: string, prompt: ApiWorkflow, createdAt: number, outputs: string[] | null = null): this {
    return this.line(t, { kind: "prompt", promptId, number: 0, clientId: this.sid, prompt, outputsToExecute: outputs, createTimeMs: probeStampAt(createdAt) });
  }

  start(t: number, promptId: string): this {
    return this.sent(t, "execution_start", { prompt_id: promptId, timestamp: probeStampAt(t) }).sent(t, "execution_cached", { nodes: [], prompt_id: promptId, timestamp: probeStampAt(t) });
  }

  /** A node starts: progress_state running, then executing. */
  running(t: number, promptId: string, node: string): this {
    this.setState(promptId, node, "running", 0, 1);
    return this.progressState(t, promptId).sent(t, "executing", { node, display_node: node, prompt_id: promptId });
  }

  progress(t: number, promptId: string, node: string, value: number, max: number): this {
    this.setState(promptId, node, "running", value, max);
    return this.sent(t, "progress", { value, max, prompt_id: promptId, node }).progressState(t, promptId);
  }

  finished(t: number, promptId: string, node: string): this {
    this.setState(promptId, node, "finished", 1, 1);
    return this.progressState(t, promptId);
  }

  success(t: number, promptId: string): this {
    return this.sent(t, "execution_success", { prompt_id: promptId, timestamp: probeStampAt(t) });
  }

  /** `executing {node: null}`: the run's last message, after the history write. */
  done(t: number, promptId: string): this {
    return this.sent(t, "executing", { node: null, prompt_id: promptId });
  }

  stats(t: number, ramUsedBytes: number, tookMs = 0.2): this {
    const total = 32_000_000_000;
    const system = { os: "linux", ram_total: total, ram_free: total - ramUsedBytes, comfyui_version: "0.21.0", python_version: "3.11.7", pytorch_version: "2.5.0", argv: ["main.py"] };
    return this.line(t, { kind: "stats", sentMonoMs: t - tookMs, status: 200, response: { system, devices: [] }, error: null });
  }

  /** The server's output flushed at `t`: entries written at `at` (their `t`: the server's local time, here UTC, to the ms). */
  serverLog(t: number, entries: { at: number; text: string }[]): this {
    const local = (at: number) => new Date(probeWallAt(at)).toISOString().replace("Z", "");
    return this.line(t, { kind: "server-log", entries: entries.map((e) => ({ t: local(e.at), m: e.text })) });
  }

  end(t: number): this {
    return this.line(t, { kind: "end", reason: "done", message: "the server stopped", runsCompleted: 0 });
  }

  text(): string {
    return this.lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
  }

  /** The log through ingest: its events (a test of the fold reads what analyze would). */
  events(): LogEvent[] {
    const parser = createLogParser({ fileName: "probe.ndjson", lenient: false });
    const events: LogEvent[] = [];
    this.text().split("\n").forEach((line, i) => {
      const e = line === "" ? null : parser.push(line, i + 1);
      if (e) events.push(e);
    });
    parser.finish({ lastLineHadNewline: true });
    return events;
  }

  private setState(promptId: string, node: string, state: string, value: number, max: number): void {
    const nodes = this.states.get(promptId) ?? {};
    nodes[node] = { value, max, state, node_id: node, prompt_id: promptId, display_node_id: node, parent_node_id: null, real_node_id: node };
    this.states.set(promptId, nodes);
  }

  private progressState(t: number, promptId: string): this {
    return this.sent(t, "progress_state", { prompt_id: promptId, nodes: structuredClone(this.states.get(promptId) ?? {}) });
  }
}
