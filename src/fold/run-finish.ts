// The finish step of a RunBuilder: run times, nodes, memory, data quality and
// diagnostics from what the builder gathered (docs/metrics.md "Clocks", "Run times").

import type { Diagnostic, DiagnosticCode, Severity } from "../model/diagnostic.js";
import type { EnvironmentInfo, MemoryProfile, MemorySample, NodeCounts, NodeInterval, RunOutcome, RunTiming, RunTimeline } from "../model/profile.js";
import { fingerprint } from "../text/hash.js";
import { extremes, findStalls } from "./memory-samples.js";
import { medianOfSorted, medianOrNull } from "../stats/descriptive.js";
import { BoundaryPlacer } from "./delivery.js";
import type { LogDelivery } from "./log-delivery.js";
import { EPISODE_CODES, uncertaintyEpisodes } from "./uncertainty-episodes.js";
import { buildNodeRuns } from "./node-runs.js";
import { say } from "./messages.js";
import { estimateServerClock, type ServerClock } from "./server-clock.js";
import type { RunState } from "./run-state.js";
import { workflowFingerprint } from "./workflow-fingerprint.js";

/**
 * The clocks, in order (docs/metrics.md "Clocks", "Uncertainty"):
 * 1. the server clock: the run's smallest receipt − stamp offset maps a stamp to the receipt clock;
 * 2. the run's origin, baseMonoMs: execution_start's stamp on that clock (its receipt when later), else
 *    the first message; every run-relative time is receipt monotonic − baseMonoMs;
 * 3. node boundaries: receipts placed by the evidence (delivery.ts), each with bounds;
 * 4. the run's end: the terminal stamp, or the last node end if that came later (the stamp is whole
 *    ms and placed at minimal delay), or, without a terminal event, the last message.
 * Run times (queue wait, execution) are the server's own differences when it stamped both ends.
 * A probe's log (timeSource "probe") skips 1 and 3: its times are the server's own as it sent each
 * message, so a boundary is its message's time, exactly, and no delivery evidence applies.
 */
export function finishRun(s: RunState, delivery: LogDelivery): RunTimeline {
  const { ctx } = s;
  const diagnostics: Diagnostic[] = [];
  const warn = (code: DiagnosticCode, message: string, severity: Severity = "warning") =>
    diagnostics.push({ code, severity, file: ctx.file, promptId: ctx.promptId, message });

  const start = s.executionStart;
  if (!start && !s.rejection) warn("missing-execution-start", say.missingExecutionStart(ctx.promptId));
  const exact = ctx.timeSource === "probe";
  const clock = exact ? null : estimateServerClock(s.clockSamples);
  // Log lines are flushed in batches of their own: their lags say nothing of the message jitter.
  for (const stamp of clock?.stamps ?? []) if (stamp.kind !== "log") delivery.addStampLag(stamp.lagMs);
  const jitterMs = exact ? 0 : delivery.jitterMs();
  const baseMonoMs = start ? placeStamped(start.monoMs, start.event.serverWallMs, clock) : (s.firstMonoMs ?? 0);
  const lastMonoMs = s.lastMonoMs ?? baseMonoMs;
  if (!s.terminal && !s.rejection) warn("run-incomplete", say.runIncomplete(ctx.promptId));
  const terminalStampMonoMs = s.terminal ? placeStamped(s.terminal.monoMs, s.terminal.event.serverWallMs, clock) : null;

  // Time is run-relative from here on.
  const rel = (monoMs: number) => monoMs - baseMonoMs;
  const samples: MemorySample[] = s.samples.map(({ atMonoMs, ...rest }) => ({ atMs: rel(atMonoMs), ...rest }));
  // A probe samples in the server's own process: a slow sample says nothing of message delivery.
  const stallsMono = exact ? [] : findStalls(s.polls.map((p) => ({ sentMs: p.sentMonoMs, receivedMs: p.receivedMonoMs })), delivery.pollBaselineMs(), s.receipts);
  const stalls = stallsMono.map((x) => ({ ...x, startMs: rel(x.startMs), endMs: rel(x.endMs), silentSinceMs: rel(x.silentSinceMs) }));
  const outages = s.blindWindows.map((w) => ({ fromMonoMs: w.fromMonoMs, toMonoMs: w.toMonoMs ?? lastMonoMs, catchUpMonoMs: w.catchUpMonoMs }));
  const disconnections = outages.map((w) => ({ startMs: rel(w.fromMonoMs), endMs: rel(w.toMonoMs) }));
  const placer = new BoundaryPlacer({
    stamps: clock?.stamps ?? [],
    receipts: s.receipts,
    outages,
    stalls: stallsMono.map((x) => ({ fromMonoMs: x.silentSinceMs, toMonoMs: x.endMs })),
    jitterMs,
    runStartMonoMs: start && (clock || exact) ? baseMonoMs : null,
    runEndMonoMs: terminalStampMonoMs !== null && (exact || s.terminal?.event.serverWallMs != null) ? terminalStampMonoMs : null,
    exact,
  });

  const cachedList = new Set(s.cachedNodeIds ?? []);
  const needed = neededNodes(ctx.prompt, s.history?.outputsToExecute ?? null);
  const cachedNeeded = new Set([...cachedList].filter((id) => needed === null || needed.has(id)));
  const terminalEvent = s.terminal?.event;
  const resolved = s.nodes.resolve({ terminalMonoMs: terminalStampMonoMs, lastMonoMs, placer, cached: cachedList });
  // Receipts of the last node messages can trail a terminal stamp placed at minimal delay by the jitter: the run ends after its nodes.
  const lastNodeEnd = resolved.reduce((m, r) => Math.max(m, r.endMonoMs), -Infinity);
  const terminalMonoMs = terminalStampMonoMs === null ? null : Math.max(terminalStampMonoMs, lastNodeEnd);
  const endMs = rel(terminalMonoMs ?? lastMonoMs);
  const built = buildNodeRuns({
    prompt: ctx.prompt,
    resolved,
    baseMonoMs,
    cachedNeeded,
    failedNodeId: terminalEvent?.type === "execution_error" ? terminalEvent.nodeId : null,
    failure:
      terminalEvent?.type === "execution_error"
        ? { exceptionType: terminalEvent.exceptionType, message: terminalEvent.exceptionMessage, traceback: terminalEvent.traceback.length ? terminalEvent.traceback : null }
        : null,
    interruptedNodeId: terminalEvent?.type === "execution_interrupted" ? terminalEvent.nodeId : null,
    samples,
  });
  const episodes = uncertaintyEpisodes(placer, resolved, built.nodes, rel, lastMonoMs);
  for (const e of episodes) {
    const worst = Math.max(0, ...built.nodes.filter((n) => e.nodeIds.includes(n.nodeId)).map((n) => Math.max(n.uncertainty?.startPlusMinusMs ?? 0, n.uncertainty?.endPlusMinusMs ?? 0)));
    warn(EPISODE_CODES[e.cause], say.uncertainty(ctx.promptId, e, terminalEvent?.type ?? null, worst));
  }
  if (ctx.cacheState === "cold" && cachedList.size > 0) warn("cold-run-not-cold", say.coldRunNotCold(ctx.promptId, cachedList.size));
  for (const id of built.unknownNodeIds) warn("unknown-node", say.unknownNode(ctx.promptId, id));

  const timing = runTiming(s, clock, baseMonoMs, endMs, built.spans, built.nodes.map((n) => n.durationMs ?? 0));
  if (timing.queueWaitSource === "receipt") warn("queue-wait-from-receipt", say.queueWaitFromReceipt(ctx.promptId), "info");
  if (timing.executionSource === "receipt") warn("execution-from-receipt", say.executionFromReceipt(ctx.promptId), "info");
  if (!s.history && s.terminal) {
    if (exact) warn("prompt-not-captured", say.promptNotCaptured(ctx.promptId));
    else warn("history-missing", say.historyMissing(ctx.promptId), "info");
  }
  if (s.blockedErrors > 0) warn("execution-blocked", say.executionBlocked(ctx.promptId, s.blockedErrors), "info");
  if (s.reconnects > 0) warn("reconnect-during-run", say.reconnectDuringRun(ctx.promptId, s.reconnects));
  // Stalls that made node boundaries uncertain are told by their episode; the others only say the server was busy.
  if (stalls.length > 0 && !episodes.some((e) => e.cause === "stall" || e.cause === "held-back-end" || e.cause === "backlog-burst")) {
    warn("server-stall", say.serverStall(ctx.promptId, stalls.length, Math.max(...stalls.map((x) => x.roundTripMs))), "info");
  }
  if (s.clockJumps > 0) warn("clock-jump", say.clockJump(ctx.promptId, s.clockJumps), "info");
  if (!s.nodes.hasProgressState && built.nodes.some((n) => n.intervals.length > 0)) warn("no-progress-state", say.noProgressState(ctx.promptId), "info");

  const memory = memoryProfile(samples, endMs, ctx.pollMs);
  if (!samples.some((x) => x.atMs >= 0 && x.atMs <= endMs) && s.terminal) warn("no-memory-samples", say.noMemorySamples(ctx.promptId), "info");

  const counts: NodeCounts = { total: built.nodes.length, executed: 0, cached: 0, failed: 0, interrupted: 0, notRun: 0 };
  for (const n of built.nodes) {
    if (n.status === "executed") counts.executed++;
    else if (n.status === "cached") counts.cached++;
    else if (n.status === "failed") counts.failed++;
    else if (n.status === "interrupted") counts.interrupted++;
    else counts.notRun++;
  }

  return {
    source: { file: ctx.file, run: ctx.run, warmup: ctx.warmup, cacheState: ctx.cacheState, nonceMethod: ctx.nonceMethod },
    promptId: ctx.promptId,
    workflow: { name: ctx.workflowName, fingerprint: workflowFingerprint(ctx.prompt), nodeCount: Object.keys(ctx.prompt).length },
    label: ctx.label,
    serverUrl: ctx.serverUrl,
    environment: environment(s),
    startedAtMs: start?.event.serverWallMs ?? null,
    outcome: outcome(s),
    timing,
    counts,
    nodes: built.nodes,
    memory,
    dataQuality: {
      timeSource: ctx.timeSource,
      receiptResolutionMs: s.minReceiptStepMs,
      pollMs: ctx.pollMs,
      missingServerTimestamps: s.missingServerTimestamps,
      reconnects: s.reconnects,
      clockJumps: s.clockJumps,
      medianPollRoundTripMs: delivery.medianPollMs(),
      stalls,
      disconnections,
      hasProgressState: s.nodes.hasProgressState,
      deliveryJitterMs: jitterMs,
      uncertainties: episodes,
    },
    diagnostics,
    prompt: ctx.prompt,
    // A line is placed at its own stamp (a line held back with the run's last messages was written before them).
    subgraphNames: ctx.subgraphNames,
    serverLog: s.serverLog.map((l) => ({ atMs: rel(l.serverWallMs !== null && clock ? clock.placeLogLine(l.serverWallMs, l.monoMs) : l.monoMs), serverMs: l.serverWallMs, text: l.text })),
  };
}

/** A stamped message's moment: its receipt, or earlier when it was held back in the server's send queue. */
function placeStamped(receiptMonoMs: number, serverWallMs: number | null, clock: ServerClock | null): number {
  if (serverWallMs === null || clock === null) return receiptMonoMs;
  return Math.min(receiptMonoMs, clock.toMonoMs(serverWallMs));
}

function runTiming(s: RunState, clock: ServerClock | null, baseMonoMs: number, endMs: number, spans: NodeInterval[], durations: number[]): RunTiming {
  const start = s.executionStart;
  const startServer = start?.event.serverWallMs ?? null;
  const endServer = s.terminal?.event.serverWallMs ?? null;
  const createTime = s.history?.createTimeMs ?? null;
  const serverExec = startServer !== null && endServer !== null ? endServer - startServer : null;
  // Without execution_start, run times count from the prompt's first message (endMs is relative to it).
  const executionMs = serverExec ?? (s.terminal ? endMs : null);
  const queueWaitMs =
    startServer !== null && createTime !== null ? startServer - createTime : start && s.submit ? start.monoMs - s.submit.sentMonoMs : null;
  const busy = union(spans, 0, executionMs ?? endMs);
  const offsets = clock?.offsets ?? [];
  return {
    submitMs: s.submit ? s.submit.receivedMonoMs - s.submit.sentMonoMs : null,
    queueWaitMs,
    queueWaitSource: queueWaitMs === null ? null : startServer !== null && createTime !== null ? "server" : "receipt",
    executionMs,
    executionSource: executionMs === null ? null : serverExec !== null ? "server" : "receipt",
    totalMs: s.submit && s.terminal ? s.terminal.monoMs - s.submit.sentMonoMs : null,
    nodeBusyMs: busy.coveredMs,
    gapMs: executionMs === null ? null : Math.max(0, executionMs - busy.coveredMs),
    largestGapMs: executionMs === null ? null : busy.largestHoleMs,
    executionStartMonoMs: start ? baseMonoMs : null,
    clockOffset: offsets.length
      ? { medianMs: medianOfSorted(offsets), spreadMs: offsets.at(-1)! - offsets[0]!, samples: offsets.length }
      : null,
    workMs: durations.reduce((a, b) => a + b, 0),
  };
}

/** Covered length of the intervals within [from, to], and the largest stretch not covered. */
export function union(intervals: readonly NodeInterval[], from: number, to: number): { coveredMs: number; largestHoleMs: number } {
  const sorted = intervals
    .map((i) => ({ startMs: Math.max(from, i.startMs), endMs: Math.min(to, i.endMs) }))
    .filter((i) => i.endMs > i.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  let covered = 0;
  let largestHole = 0;
  let cursor = from;
  for (const i of sorted) {
    if (i.startMs > cursor) largestHole = Math.max(largestHole, i.startMs - cursor);
    if (i.endMs > cursor) {
      covered += i.endMs - Math.max(cursor, i.startMs);
      cursor = i.endMs;
    }
  }
  largestHole = Math.max(largestHole, to - cursor);
  return { coveredMs: covered, largestHoleMs: Math.max(0, largestHole) };
}

/** The nodes the run's outputs need (outputs and everything upstream); null when the outputs are unknown. */
function neededNodes(prompt: RunState["ctx"]["prompt"], outputs: string[] | null): Set<string> | null {
  if (!outputs) return null;
  const needed = new Set<string>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (needed.has(id) || !prompt[id]) continue;
    needed.add(id);
    for (const v of Object.values(prompt[id]!.inputs)) {
      if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && Number.isInteger(v[1])) stack.push(v[0]);
    }
  }
  return needed;
}

function outcome(s: RunState): RunOutcome {
  const e = s.terminal?.event;
  const none = { nodeId: null, nodeType: null, exceptionType: null, message: null, traceback: null, validationErrors: null };
  const r = s.rejection;
  if (r) {
    const first = r.validationErrors[0];
    return { status: "rejected", nodeId: first?.nodeId ?? null, nodeType: first?.classType ?? null, exceptionType: r.errorType, message: r.message, traceback: null, validationErrors: r.validationErrors };
  }
  if (!e) return { status: "incomplete", ...none };
  if (e.type === "execution_success") return { status: "success", ...none };
  if (e.type === "execution_interrupted") return { status: "interrupted", ...none, nodeId: e.nodeId, nodeType: e.nodeType };
  return {
    status: "error",
    nodeId: e.nodeId,
    nodeType: e.nodeType,
    exceptionType: e.exceptionType,
    message: e.exceptionMessage,
    traceback: e.traceback.length ? e.traceback : null,
    validationErrors: null,
  };
}

function environment(s: RunState): EnvironmentInfo | null {
  const r = s.latestStats;
  if (!r) return null;
  const classes = [...new Set(Object.values(s.ctx.prompt).map((n) => n.class_type))].sort();
  const info = { ...r.system };
  return {
    comfyuiVersion: info.comfyuiVersion,
    pythonVersion: info.pythonVersion,
    pytorchVersion: info.pytorchVersion,
    os: info.os,
    argv: info.argv,
    devices: r.devices,
    fingerprint: fingerprint({ ...info, ramTotalBytes: null, devices: r.devices.map((d) => [d.name, d.type]), classes }),
  };
}

function memoryProfile(samples: MemorySample[], endMs: number, pollMs: number | null): MemoryProfile {
  const inRun = samples.filter((x) => x.atMs >= 0 && x.atMs <= endMs);
  const gaps = inRun.slice(1).map((x, i) => x.atMs - inRun[i]!.atMs).sort((a, b) => a - b);
  const names = [...new Set(samples.flatMap((x) => x.devices.map((d) => d.name)))];
  return {
    sampleIntervalMs: medianOrNull(gaps),
    pollMs,
    samples,
    ram: samples.some((x) => x.ramUsedBytes !== null)
      ? extremes(samples, 0, endMs, (x) => ({ used: x.ramUsedBytes, free: x.ramFreeBytes }))
      : null,
    devices: names.map((name) => {
      const pick = (x: MemorySample) => {
        const d = x.devices.find((dd) => dd.name === name);
        return d ? { used: d.usedBytes, free: d.freeBytes } : null;
      };
      const withTotal = samples.flatMap((x) => x.devices.filter((d) => d.name === name && d.usedBytes !== null && d.freeBytes !== null));
      const last = withTotal.at(-1);
      return { name, totalBytes: last ? last.usedBytes! + last.freeBytes! : null, ...extremes(samples, 0, endMs, pick) };
    }),
  };
}
