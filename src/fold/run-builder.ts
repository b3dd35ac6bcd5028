// One builder per prompt: `apply…` the prompt's events in log order, then
// `finish()` gives its RunTimeline. State is private; the output is plain data.
// src/fold/session.ts decides which events reach which builder.

import type { HistoryEvent, PromptReplyEvent, StatsReading } from "../model/exchanges.js";
import type { PromptLine } from "../model/events.js";
import type { CrystoolsMonitorEvent, ServerEvent } from "../model/server-events.js";
import type { RunTimeline } from "../model/profile.js";
import { NodeIntervals } from "./node-intervals.js";
import { sampleFromCrystools } from "./memory-samples.js";
import { finishRun } from "./run-finish.js";
import { LogDelivery } from "./log-delivery.js";
import type { ClockSample, RunContext, RunState, Terminal } from "./run-state.js";

export type { ClockSample, RunContext, RunState } from "./run-state.js";

/** Time zones differ from UTC by whole quarter hours; a log line's delivery lag is far below half of one. */
const QUARTER_HOUR_MS = 15 * 60_000;

/**
 * A `logs` entry's `t` (the server's local time, ISO without a zone) as epoch ms: its zone is
 * the quarter hour nearest to receipt − t. Null when absent or unreadable.
 */
export function logEntryWallMs(localTime: string | null, receiptWallMs: number): number | null {
  if (localTime === null || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/.test(localTime)) return null;
  const [whole, fraction = ""] = localTime.split(".");
  const asUtc = Date.parse(`${whole}Z`);
  if (!Number.isFinite(asUtc)) return null;
  const naive = asUtc + Number(`0.${fraction || "0"}`) * 1000;
  const zone = Math.round((receiptWallMs - naive) / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  return naive + zone;
}

/** After a reconnect, the first message that says where the run's nodes are: the cumulative progress_state, or an `executing` naming a node. */
function isCatchUp(event: ServerEvent): boolean {
  return event.type === "progress_state" || (event.type === "executing" && event.nodeId !== null);
}

/** Wall and monotonic clocks disagreeing by more than this between two lines is a wall-clock jump (NTP step, suspend). */
export const CLOCK_JUMP_MS = 1_000;

export class RunBuilder {
  private readonly state: RunState;
  private prevStamp: { wallMs: number; monoMs: number } | null = null;

  constructor(
    ctx: RunContext,
    lastStats: StatsReading | null,
    private readonly delivery: LogDelivery = new LogDelivery(),
  ) {
    this.state = {
      ctx, submit: null, rejection: null, executionStart: null, cachedNodeIds: null, terminal: null, blockedErrors: 0,
      clockSamples: [], missingServerTimestamps: 0, nodes: new NodeIntervals(), history: null,
      samples: lastStats ? [lastStats.sample] : [], polls: [], latestStats: lastStats, serverLog: [],
      reconnects: 0, blindWindows: [], receipts: [], firstMonoMs: null, lastMonoMs: null, minReceiptStepMs: null, clockJumps: 0,
    };
  }

  get promptId(): string {
    return this.state.ctx.promptId;
  }

  /** Between execution_start and the terminal event. */
  get isExecuting(): boolean {
    return this.state.executionStart !== null && this.state.terminal === null;
  }

  applyServerEvent(event: ServerEvent, monoMs: number, wallMs: number): void {
    this.stamp(monoMs, wallMs);
    const s = this.state;
    // The first message after an outage carries what was lost (cumulative progress_state): its time is only a bound.
    s.receipts.push(monoMs);
    const blind = s.blindWindows.at(-1);
    if (blind && blind.toMonoMs === null && event.type !== "status") blind.toMonoMs = monoMs;
    if (blind && blind.catchUpMonoMs === null && isCatchUp(event)) blind.catchUpMonoMs = monoMs;
    switch (event.type) {
      case "execution_start":
        s.executionStart = { event, monoMs, wallMs };
        this.clockSample("start", event.serverWallMs, monoMs, wallMs);
        break;
      case "execution_cached":
        s.cachedNodeIds = event.nodeIds;
        this.clockSample("cached", event.serverWallMs, monoMs, wallMs);
        break;
      case "progress_state":
      case "executing":
      case "progress":
      case "executed":
        s.nodes.apply(event, monoMs);
        break;
      case "execution_error":
        // ExecutionBlocked errors carry no timestamp and do not end the run.
        if (event.serverWallMs === null && event.exceptionType === "ExecutionBlocked") {
          s.blockedErrors++;
          break;
        }
        this.setTerminal({ event, monoMs, wallMs });
        break;
      case "execution_success":
      case "execution_interrupted":
        this.setTerminal({ event, monoMs, wallMs });
        break;
      case "logs":
        for (const entry of event.entries) {
          const serverWallMs = logEntryWallMs(entry.localTime, wallMs);
          // A probe's line has the server's own clocks: an entry's time goes straight onto its monotonic one.
          const at = s.ctx.timeSource === "probe" && serverWallMs !== null ? serverWallMs - (wallMs - monoMs) : monoMs;
          s.serverLog.push({ monoMs: at, serverWallMs, text: entry.text });
          if (serverWallMs !== null) s.clockSamples.push({ kind: "log", receiptMonoMs: monoMs, receiptWallMs: wallMs, serverWallMs });
        }
        break;
      default:
        break;
    }
  }

  applyCrystools(event: CrystoolsMonitorEvent, monoMs: number): void {
    this.state.samples.push(sampleFromCrystools(event, monoMs));
  }

  applyStats(reading: StatsReading): void {
    this.state.samples.push(reading.sample);
    this.state.polls.push({ sentMonoMs: reading.sentMonoMs, receivedMonoMs: reading.receivedMonoMs });
    this.state.latestStats = reading;
  }

  applySubmit(reply: PromptReplyEvent): void {
    this.state.submit = { sentMonoMs: reply.sentMonoMs, receivedMonoMs: reply.monoMs };
    this.state.rejection = reply.rejection;
  }

  /** A probe's `prompt` line: the queue item's create time and outputs, the two facts a recorder reads from /history. */
  applyQueuedPrompt(queued: Pick<PromptLine, "createTimeMs" | "outputsToExecute">): void {
    this.state.history = { createTimeMs: queued.createTimeMs, outputsToExecute: queued.outputsToExecute };
  }

  applyHistory(history: HistoryEvent): void {
    this.state.history = { createTimeMs: history.createTimeMs, outputsToExecute: history.outputsToExecute };
  }

  noteDisconnect(monoMs: number): void {
    this.state.blindWindows.push({ fromMonoMs: monoMs, toMonoMs: null, catchUpMonoMs: null });
  }

  noteReconnect(): void {
    this.state.reconnects++;
  }

  finish(): RunTimeline {
    return finishRun(this.state, this.delivery);
  }

  private setTerminal(terminal: Terminal): void {
    if (this.state.terminal) return;
    this.state.terminal = terminal;
    this.clockSample("terminal", terminal.event.serverWallMs, terminal.monoMs, terminal.wallMs);
  }

  private clockSample(kind: ClockSample["kind"], serverWallMs: number | null, receiptMonoMs: number, receiptWallMs: number): void {
    if (serverWallMs === null) this.state.missingServerTimestamps++;
    else this.state.clockSamples.push({ kind, receiptMonoMs, receiptWallMs, serverWallMs });
  }

  private stamp(monoMs: number, wallMs: number): void {
    const s = this.state;
    if (s.firstMonoMs === null) s.firstMonoMs = monoMs;
    s.lastMonoMs = monoMs;
    const prev = this.prevStamp;
    if (prev) {
      const step = monoMs - prev.monoMs;
      if (step > 0 && (s.minReceiptStepMs === null || step < s.minReceiptStepMs)) s.minReceiptStepMs = step;
      if (Math.abs(wallMs - prev.wallMs - step) > CLOCK_JUMP_MS) s.clockJumps++;
    }
    this.prevStamp = { monoMs, wallMs };
  }
}
