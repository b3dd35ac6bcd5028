// Placing server-stamped moments on the recorder's monotonic clock.
//
// The server stamps only run-level messages (its wall clock, epoch ms). Each
// one's receipt − stamp is the clock offset plus that message's delivery
// delay. The smallest of them is the best estimate of offset + minimal delay
// (the NTP "minimum filter"); a message received later than that was held
// back in the server's send queue, by exactly its excess.
//
// Node messages carry no stamp. The node that started right after a held-back
// stamped message (its start received within BURST_MS after it, with no other
// stamped message in between) started when that message was made, not when
// the backlog was flushed: on ComfyUI 0.21 (CPU) execution_cached and the
// first node's `running` arrived together up to 8 ms late. Only that start is
// moved: later messages of the same burst were made later (the backlog often
// flushes when the node that held Python's GIL ends), and nothing tells how
// much later. (When only execution_start was late, the worker's cache checks
// held the GIL after making it; execution_cached came on time, and so did the
// node.) See docs/accuracy.md.

import type { ClockSample } from "./run-builder.js";

/** Messages received within this time after a stamped one count as its backlog. */
export const BURST_MS = 1;
/** Excess delays below this are receipt noise, not a backlog. */
export const MIN_EXCESS_MS = 0.5;

export interface ServerClock {
  /** A server wall-clock stamp as a receipt monotonic time (at minimal delay). */
  toMonoMs(serverWallMs: number): number;
  /**
   * The start time of the node whose start message was received at
   * `receiptMonoMs`, if it is the first node start after a held-back stamped
   * message (`isFirstStartAfter` tells); else the receipt itself.
   */
  placeStart(receiptMonoMs: number, isFirstStartAfter: (stampedReceiptMonoMs: number) => boolean): number;
  /** Offsets (receipt wall − server stamp), sorted. */
  offsets: number[];
}

export function estimateServerClock(samples: readonly ClockSample[]): ServerClock | null {
  if (samples.length === 0) return null;
  const withOffset = samples.map((s) => ({ ...s, offsetMs: s.receiptWallMs - s.serverWallMs }));
  const best = withOffset.reduce((a, b) => (b.offsetMs < a.offsetMs ? b : a));
  const wallMinusMono = best.receiptWallMs - best.receiptMonoMs;
  const toMonoMs = (serverWallMs: number) => serverWallMs + best.offsetMs - wallMinusMono;
  const stamped = withOffset
    .map((s) => ({ receiptMonoMs: s.receiptMonoMs, excessMs: s.offsetMs - best.offsetMs, floorMonoMs: toMonoMs(s.serverWallMs) }))
    .sort((a, b) => a.receiptMonoMs - b.receiptMonoMs);
  return {
    toMonoMs,
    placeStart(receiptMonoMs, isFirstStartAfter) {
      let latest: (typeof stamped)[number] | undefined;
      for (const m of stamped) {
        if (m.receiptMonoMs > receiptMonoMs) break;
        latest = m;
      }
      if (!latest || receiptMonoMs - latest.receiptMonoMs > BURST_MS || latest.excessMs < MIN_EXCESS_MS) return receiptMonoMs;
      if (!isFirstStartAfter(latest.receiptMonoMs)) return receiptMonoMs;
      return Math.max(latest.floorMonoMs, receiptMonoMs - latest.excessMs);
    },
    offsets: withOffset.map((s) => s.offsetMs).sort((a, b) => a - b),
  };
}
