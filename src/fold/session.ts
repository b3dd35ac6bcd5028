// Folds one log's events, in order, into one RunTimeline per prompt. Decides
// which events reach which prompt's builder: messages carrying a prompt id go
// to that prompt's; those without one (executing after a reconnect, old
// servers' progress, server logs, crystools samples) to the prompt executing
// then; /system_stats polls to every prompt whose run is open.
//
// A probe's log (header source "probe") has every prompt of every client and
// no recorder notes: a run opens at its execution_start, takes its prompt from
// the probe's `prompt` line, and closes at its `executing {node: null}`. Its
// times are the server's own (RunContext.timeSource).

import type { ApiWorkflow, HeaderLine, PromptLine } from "../model/events.js";
import type { StatsReading } from "../model/exchanges.js";
import type { HeaderEvent, LogEvent } from "../model/server-events.js";
import type { InputSummary, RunTimeline } from "../model/profile.js";
import { RunBuilder, type RunContext } from "./run-builder.js";
import { LogDelivery } from "./log-delivery.js";

export interface SessionResult {
  input: InputSummary;
  runs: RunTimeline[];
}

export class SessionBuilder {
  private header: HeaderEvent | null = null;
  /** The probe's `prompt` lines of runs not started yet, by prompt id. */
  private readonly probePrompts = new Map<string, PromptLine>();
  private readonly builders = new Map<string, RunBuilder>();
  /** Prompts already finished: later messages about them are ignored. */
  private readonly closed = new Set<string>();
  /** Builders whose run is open (polls go to them), in start order. */
  private open: RunBuilder[] = [];
  private readonly finished: RunTimeline[] = [];
  private lastStats: StatsReading | null = null;
  /** What is normal for delivery in this log (poll round trips, stamp jitter), over all runs so far. */
  private readonly delivery = new LogDelivery();
  private endReason: string | null = null;
  private lines = 0;
  /** run-start notes by prompt id; `prompt` only until the prompt's builder takes it. */
  private runMeta = new Map<string, Pick<RunContext, "run" | "warmup" | "cacheState" | "nonceMethod"> & { prompt?: ApiWorkflow }>();

  /**
   * `onRun`, when given, gets each prompt's timeline as soon as the prompt
   * finishes, and finish() then returns none: a long log's runs need not all
   * be held at once (pipelines/analyze.ts streams them into profiles).
   */
  constructor(
    private readonly file: string,
    private readonly onRun?: (run: RunTimeline) => void,
  ) {}

  apply(ev: LogEvent): void {
    this.lines = Math.max(this.lines, ev.lineNo);
    switch (ev.kind) {
      case "header":
        this.header = ev;
        break;
      case "ws":
        this.applyServerEvent(ev);
        break;
      case "stats":
        if (!ev.reading) break;
        for (const b of this.open) b.applyStats(ev.reading);
        this.delivery.addPoll(ev.reading.receivedMonoMs - ev.reading.sentMonoMs);
        this.lastStats = ev.reading;
        break;
      case "prompt":
        this.probePrompts.set(ev.promptId, ev);
        break;
      case "server-log":
        // As a `logs` message would be: to the prompt executing then.
        this.current()?.applyServerEvent({ type: "logs", entries: ev.entries, size: null }, ev.monoMs, ev.wallMs);
        break;
      case "prompt-reply":
        if (ev.promptId) this.builderFor(ev.promptId, false)?.applySubmit(ev);
        break;
      case "history":
        this.builders.get(ev.promptId)?.applyHistory(ev);
        break;
      case "note":
        if (ev.note === "run-start" && ev.promptId) {
          this.runMeta.set(ev.promptId, {
            run: ev.run ?? null,
            warmup: ev.warmup ?? false,
            cacheState: ev.cacheState ?? null,
            nonceMethod: ev.nonceMethod ?? null,
            prompt: ev.prompt ?? this.recorderHeader?.workflow.prompt ?? {},
          });
          this.builderFor(ev.promptId, true);
        } else if (ev.note === "run-end" && ev.promptId) {
          this.close(ev.promptId);
        } else if (ev.note === "ws-close") {
          this.current()?.noteDisconnect(ev.monoMs);
        } else if (ev.note === "reconnect" && ev.ok === true) {
          this.current()?.noteReconnect();
        }
        break;
      case "end":
        this.endReason = ev.reason;
        break;
      default:
        break;
    }
  }

  /** Every prompt's timeline, in the order the prompts finished (none when they went to `onRun`). */
  finish(): SessionResult {
    for (const b of [...this.open]) this.close(b.promptId);
    return {
      input: {
        file: this.file,
        lines: this.lines,
        label: this.header?.label ?? null,
        endReason: this.endReason,
        recorderVersion: this.header?.recorder.version ?? null,
        formatVersion: this.header?.version ?? null,
        source: this.header === null ? null : this.isProbeLog ? "probe" : "recorder",
      },
      runs: this.finished,
    };
  }

  private applyServerEvent(ev: Extract<LogEvent, { kind: "ws" }>): void {
    const e = ev.event;
    if (e.type === "crystools.monitor") {
      this.current()?.applyCrystools(e, ev.monoMs);
      return;
    }
    const promptId = "promptId" in e ? e.promptId : null;
    // Logs by our recorder say which prompts are theirs (run-start notes); others' messages are kept but not profiled.
    const create = this.runMeta.size === 0 && e.type === "execution_start";
    // Without the recorder's run-start/run-end notes (other recorders), a run closes when the next prompt starts.
    if (create && promptId !== null && !this.builders.has(promptId)) for (const b of [...this.open]) this.close(b.promptId);
    const target = promptId !== null ? this.builderFor(promptId, create) : this.current();
    if (!target) return;
    target.applyServerEvent(e, ev.monoMs, ev.wallMs);
    // The probe's runs end at their `executing {node: null}`, sent after the history write: nothing of the run follows.
    if (this.isProbeLog && e.type === "executing" && e.nodeId === null && promptId !== null) this.close(promptId);
  }

  private get isProbeLog(): boolean {
    return this.header?.source === "probe";
  }

  private get recorderHeader(): HeaderLine | null {
    const h = this.header;
    return h && h.source !== "probe" ? h : null;
  }

  /** The prompt executing now, else the most recently opened one. */
  private current(): RunBuilder | undefined {
    return this.open.find((b) => b.isExecuting) ?? this.open.at(-1);
  }

  private builderFor(promptId: string, create: boolean): RunBuilder | undefined {
    let b = this.builders.get(promptId);
    if (!b && create && !this.closed.has(promptId)) {
      const meta = this.runMeta.get(promptId);
      const h = this.header;
      const recorder = this.recorderHeader;
      const queued = this.probePrompts.get(promptId);
      const prompt: ApiWorkflow = meta?.prompt ?? queued?.prompt ?? recorder?.workflow.prompt ?? {};
      b = new RunBuilder(
        {
          file: this.file,
          promptId,
          run: meta?.run ?? null,
          warmup: meta?.warmup ?? false,
          cacheState: meta?.cacheState ?? recorder?.plan.cacheState ?? null,
          nonceMethod: meta?.nonceMethod ?? null,
          prompt,
          workflowName: recorder?.workflow.sourceName ?? null,
          subgraphNames: h?.subgraphNames ?? {},
          label: h?.label ?? null,
          serverUrl: recorder?.serverUrl ?? null,
          pollMs: h === null ? null : h.source === "probe" ? h.probe.pollMs : h.plan.pollMs,
          timeSource: this.isProbeLog ? "probe" : "receipt",
        },
        this.lastStats,
        this.delivery,
      );
      if (queued) {
        b.applyQueuedPrompt(queued);
        this.probePrompts.delete(promptId);
      }
      this.builders.set(promptId, b);
      this.open.push(b);
      // The entry stays (it says the prompt is our recorder's); its workflow need not, over thousands of runs.
      if (meta) delete meta.prompt;
    }
    return b;
  }

  private close(promptId: string): void {
    const b = this.builders.get(promptId);
    if (!b || !this.open.includes(b)) return;
    this.open = this.open.filter((x) => x !== b);
    this.builders.delete(promptId);
    this.closed.add(promptId);
    const run = b.finish();
    if (this.onRun) this.onRun(run);
    else this.finished.push(run);
  }
}
