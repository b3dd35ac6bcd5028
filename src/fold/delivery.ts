// When a node message was made, from when it was received: each node boundary
// gets a placed time and bounds (docs/metrics.md "Uncertainty").
//
// Node messages carry no time, so a boundary is its receipt, which is right
// within the normal delivery jitter unless the server held messages back. The
// evidence that it did, and what each piece of evidence says:
//
// * A stamped run-level message received `lag` ms later than the minimal
//   delay (server-clock.ts) was held back; the messages around it came in one
//   burst. Those received before it in the burst were made before its stamp
//   and after the last message received before the burst; those after it,
//   after its stamp. ComfyUI 0.21 (CPU): the run's last messages wait
//   250–400 ms for the periodic garbage collection that follows a prompt
//   (main.py prompt_worker, at most every 10 s), execution_success stamped
//   before it; a cold start's first nodes wait ~50 ms behind the cache checks.
//   Messages before the stamp are placed back by its lag (the burst moved back
//   whole, kept after the last message before it); the first node start after
//   a held-back start stamp is placed at the stamp.
// * A WebSocket outage: boundaries first seen in the catch-up after reconnecting
//   lie anywhere in the outage; placed at its middle (the least worst guess).
// * A /system_stats poll whose round trip was far above the log's usual one:
//   the server was frozen; boundaries received then may have been made since
//   the poll was sent.
// * A node's final progress step (value = max) is sent at its end; when its end
//   arrives well after that, a node that held the GIL as it started (or a
//   stall) held it up: that end and the boundaries in its burst may be as
//   early as the final step.

import type { UncertaintyCause } from "../model/profile.js";
import type { StampedMessage } from "./server-clock.js";
import { firstAtOrAbove } from "../stats/sorted-search.js";

/** Messages received this close one after another count as one burst (receipts of a flushed backlog are ~0.02–0.3 ms apart). */
export const BURST_GAP_MS = 1;
/** A stamped message lagging less than this (or HELD_BACK_JITTER_FACTOR × the jitter) was not held back: receipt noise. */
export const HELD_BACK_MIN_MS = 5;
export const HELD_BACK_JITTER_FACTOR = 4;
/**
 * The first node start after a stamped message that lagged at least this much, received in its
 * burst, is moved back by the lag: on ComfyUI 0.21 (CPU) execution_cached and the first node's
 * `running` arrived together up to 8 ms late (docs/accuracy.md). Below it, receipt noise.
 */
export const FIRST_START_MIN_LAG_MS = 0.5;
/** A node end arriving this much after its final progress step was held up (normal: < 1 ms; GIL at the next start: 15–21 ms). */
export const END_HELD_UP_MIN_MS = 5;

export interface DeliveryEvidence {
  /** The run's stamped messages in receipt order (server-clock.ts); empty without stamps. */
  stamps: readonly StampedMessage[];
  /** Receipts of every WebSocket message of the run, ascending. */
  receipts: readonly number[];
  /** WebSocket outages: close → first message after reconnecting; the catch-up is the first node message then (null if none came). */
  outages: readonly Outage[];
  /** Polls during which the server was frozen: sent → received. */
  stalls: readonly { fromMonoMs: number; toMonoMs: number }[];
  /** The normal delivery jitter, ms (± of an ordinary boundary). */
  jitterMs: number;
  /** The run's stamped start and end on the receipt clock (null when not stamped): nothing of the run lies outside them. */
  runStartMonoMs: number | null;
  runEndMonoMs: number | null;
  /** The times are the server's own as it sent each message (a probe's log): every boundary is its message's time, ± 0, and no evidence rule applies. */
  exact?: boolean;
}

export interface Placement {
  atMonoMs: number;
  earliestMonoMs: number;
  latestMonoMs: number;
  causes: UncertaintyCause[];
}

export interface Episode {
  cause: UncertaintyCause;
  fromMonoMs: number;
  toMonoMs: number;
  sizeMs: number | null;
  nodeIds: Set<string>;
}

export interface Outage {
  fromMonoMs: number;
  toMonoMs: number;
  catchUpMonoMs: number | null;
}

interface Burst {
  firstIdx: number;
  lastIdx: number;
  /** Receipt of the last message before the burst (−∞ when none). */
  beforeMonoMs: number;
}

interface Rule {
  /** The bounds this evidence puts on a boundary received at `r`, or null when it says nothing about it. */
  bounds(r: number): { at?: number; earliest: number; latest: number } | null;
  episode: Episode;
  /** Within the jitter: it places boundaries, but widens no bound and names no cause. */
  silent?: boolean;
}

export class BoundaryPlacer {
  private readonly rules: Rule[] = [];
  readonly heldBackThresholdMs: number;

  constructor(private readonly ev: DeliveryEvidence) {
    this.heldBackThresholdMs = Math.max(HELD_BACK_MIN_MS, HELD_BACK_JITTER_FACTOR * ev.jitterMs);
    if (ev.exact) return;
    // Log lines anchor the clock but say nothing of a burst: they are flushed in batches of their own.
    for (const s of ev.stamps) {
      if (s.kind !== "log" && s.lagMs > this.heldBackThresholdMs) this.addHeldBack(s, false);
      // Below the threshold a terminal stamp still orders what came just before it: made before the stamp.
      else if (s.kind === "terminal" && s.lagMs > 0) this.addHeldBack(s, true);
    }
    for (const o of ev.outages) this.addOutage(o);
    for (const s of ev.stalls) this.addStall(s);
  }

  /** Episodes that widened some boundary, in time order. */
  episodes(): Episode[] {
    return [...new Set(this.rules.map((r) => r.episode))].filter((e) => e.nodeIds.size > 0).sort((a, b) => a.fromMonoMs - b.fromMonoMs);
  }

  /** A node's end received at `endMonoMs`, its final progress step at `finalStepMonoMs`: register the hold-up if there was one. */
  noteFinalStep(endMonoMs: number, finalStepMonoMs: number): void {
    if (this.ev.exact) return;
    if (endMonoMs - finalStepMonoMs < END_HELD_UP_MIN_MS) return;
    const burst = this.burstAt(endMonoMs);
    if (!burst) return;
    const from = this.ev.receipts[burst.firstIdx]!;
    const to = this.ev.receipts[burst.lastIdx]!;
    const episode: Episode = { cause: "end-held-up", fromMonoMs: finalStepMonoMs, toMonoMs: to, sizeMs: endMonoMs - finalStepMonoMs, nodeIds: new Set() };
    this.rules.push({ episode, bounds: (r) => (r >= from && r <= to ? { earliest: finalStepMonoMs, latest: r } : null) });
  }

  /**
   * Where the boundary received at `receiptMonoMs` happened. `firstStartAfterHeldBack`
   * says whether it is the first node start received after the given stamped message.
   */
  place(nodeId: string, receiptMonoMs: number, firstStartAfter?: (stampReceiptMonoMs: number) => boolean): Placement {
    const j = this.ev.jitterMs;
    const r = receiptMonoMs;
    let at = r;
    let earliest = r - j;
    let latest = r + j;
    const causes: UncertaintyCause[] = [];
    for (const rule of this.rules) {
      const b = rule.bounds(r);
      if (!b) continue;
      if (rule.silent) {
        if (b.at !== undefined) at = b.at;
        continue;
      }
      rule.episode.nodeIds.add(nodeId);
      if (!causes.includes(rule.episode.cause)) causes.push(rule.episode.cause);
      earliest = Math.min(earliest, b.earliest);
      latest = Math.max(Math.min(latest, b.latest + j), earliest);
      if (b.at !== undefined) at = b.at;
    }
    // The first node start after a held-back start stamp started when the stamp was made.
    const heldStart = this.ev.stamps.filter((s) => (s.kind === "start" || s.kind === "cached") && s.receiptMonoMs <= r).at(-1);
    if (heldStart && heldStart.lagMs >= FIRST_START_MIN_LAG_MS && firstStartAfter?.(heldStart.receiptMonoMs) && this.sameBurst(heldStart.receiptMonoMs, r)) {
      at = Math.max(heldStart.madeMonoMs, r - heldStart.lagMs);
    }
    const { runStartMonoMs: lo, runEndMonoMs: hi } = this.ev;
    if (lo !== null) [at, earliest] = [Math.max(at, lo), Math.max(earliest, lo - j)];
    // Nothing ends after the run's stamped end (what was received after the stamp was made is placed before it, above).
    if (hi !== null) [at, latest] = [Math.min(at, hi), Math.min(latest, hi + j)];
    latest = Math.max(latest, at);
    earliest = Math.min(earliest, at);
    return { atMonoMs: at, earliestMonoMs: earliest, latestMonoMs: latest, causes };
  }

  /** Whether a message received at `monoMs` is part of the catch-up after an outage. */
  inOutageCatchUp(monoMs: number): boolean {
    return this.rules.some((r) => r.episode.cause === "outage" && r.bounds(monoMs) !== null);
  }

  private addHeldBack(s: StampedMessage, silent: boolean): void {
    const burst = this.burstAt(s.receiptMonoMs);
    const last = burst ? this.ev.receipts[burst.lastIdx]! : s.receiptMonoMs;
    const terminal = s.kind === "terminal";
    // Held with it: whatever was received after the stamp was made, up to it (made before it, in order).
    const xs = this.ev.receipts;
    const heldIdx = xs.findIndex((x) => x > s.madeMonoMs);
    const heldFirst = heldIdx === -1 ? s.receiptMonoMs : Math.min(xs[heldIdx]!, s.receiptMonoMs);
    const before = heldIdx > 0 ? xs[heldIdx - 1]! : -Infinity;
    // Placed: the held messages moved back by the lag; when that would take them before the message
    // received before them, squeezed in order between it and the stamp instead (spacing shrunk, never zero).
    const from = Math.max(before, heldFirst - s.lagMs);
    const scale = s.receiptMonoMs > heldFirst ? (s.madeMonoMs - from) / (s.receiptMonoMs - heldFirst) : 0;
    const cause = terminal ? "held-back-end" : "backlog-burst";
    // The window whose messages it may have held: since the last message before them (the run's end), since the stamp (a start).
    const fromMonoMs = terminal && before !== -Infinity ? Math.min(before, s.madeMonoMs) : s.madeMonoMs;
    // execution_start and execution_cached held back in one burst are one backlog: one episode, the larger lag, the earlier start.
    const shared = silent ? undefined : this.rules.find((r) => !r.silent && r.episode.cause === cause && r.episode.toMonoMs === last)?.episode;
    if (shared) {
      shared.sizeMs = Math.max(shared.sizeMs ?? 0, s.lagMs);
      shared.fromMonoMs = Math.min(shared.fromMonoMs, fromMonoMs);
    }
    const episode: Episode = shared ?? { cause, fromMonoMs, toMonoMs: last, sizeMs: s.lagMs, nodeIds: new Set() };
    this.rules.push({
      episode,
      silent,
      bounds: (r) => {
        if (r < heldFirst || r > last) return null;
        // (A tie in receipt time: a node message beside the terminal one was made before it; beside a start stamp, after it.)
        if (r < s.receiptMonoMs || (terminal && r === s.receiptMonoMs)) {
          return { at: from + (r - heldFirst) * scale, earliest: before === -Infinity ? r - s.lagMs : before, latest: s.madeMonoMs };
        }
        // Made after the stamp, in its burst.
        return { earliest: s.madeMonoMs, latest: r };
      },
    });
  }

  private addOutage(o: Outage): void {
    const catchUp = o.catchUpMonoMs ?? o.toMonoMs;
    const burst = this.burstAt(catchUp);
    const last = burst ? this.ev.receipts[burst.lastIdx]! : catchUp;
    const episode: Episode = { cause: "outage", fromMonoMs: o.fromMonoMs, toMonoMs: o.toMonoMs, sizeMs: o.toMonoMs - o.fromMonoMs, nodeIds: new Set() };
    this.rules.push({
      episode,
      bounds: (r) => (r >= o.toMonoMs && r <= last ? { at: (o.fromMonoMs + r) / 2, earliest: o.fromMonoMs, latest: r } : null),
    });
  }

  private addStall(s: { fromMonoMs: number; toMonoMs: number }): void {
    const burst = this.burstAt(s.toMonoMs, true);
    const last = burst ? Math.max(s.toMonoMs, this.ev.receipts[burst.lastIdx]!) : s.toMonoMs;
    const episode: Episode = { cause: "stall", fromMonoMs: s.fromMonoMs, toMonoMs: s.toMonoMs, sizeMs: s.toMonoMs - s.fromMonoMs, nodeIds: new Set() };
    this.rules.push({ episode, bounds: (r) => (r > s.fromMonoMs && r <= last ? { earliest: s.fromMonoMs, latest: r } : null) });
  }

  private sameBurst(a: number, b: number): boolean {
    const burst = this.burstAt(a);
    return burst !== null && b <= this.ev.receipts[burst.lastIdx]!;
  }

  /**
   * The burst of receipts around `monoMs`: neighbours closer than BURST_GAP_MS.
   * `near`: also when no receipt equals `monoMs` (an HTTP reply), the burst starting within BURST_GAP_MS after it.
   */
  private burstAt(monoMs: number, near = false): Burst | null {
    const xs = this.ev.receipts;
    const lo = firstAtOrAbove(xs, monoMs);
    if (lo >= xs.length || (xs[lo]! !== monoMs && !(near && xs[lo]! - monoMs <= BURST_GAP_MS))) return null;
    let first = lo;
    let last = lo;
    while (first > 0 && xs[first]! - xs[first - 1]! <= BURST_GAP_MS) first--;
    while (last + 1 < xs.length && xs[last + 1]! - xs[last]! <= BURST_GAP_MS) last++;
    return { firstIdx: first, lastIdx: last, beforeMonoMs: first > 0 ? xs[first - 1]! : -Infinity };
  }
}
