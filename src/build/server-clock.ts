// Placing server-stamped moments on the recorder's monotonic clock.
//
// The server stamps only run-level messages (its wall clock, epoch ms). Each
// one's receipt − stamp is the clock offset plus that message's delivery
// delay. The smallest of them is the best estimate of offset + minimal delay
// (the NTP "minimum filter"); a message received later than that was held
// back in the server's send queue, by exactly its excess.
//
// Node messages carry no stamp, but one received within BURST_MS after a
// stamped message, with no other stamped message in between, left the server
// in the same backlog and was held back by the same excess: on ComfyUI 0.21
// (CPU) execution_cached and the first node's `running` arrived together up to
// 8 ms late, which the first node's start would otherwise lose. (When only
// execution_start was late, it was the worker's cache checks holding the GIL
// after creating it; execution_cached then came on time, and so did the node.)
// See docs/accuracy.md.

import type { ClockSample } from "./run-builder.js";

/** Messages received within this time after a stamped one count as its backlog. */
export const BURST_MS = 1;
/** Excess delays below this are receipt noise, not a backlog. */
export const MIN_EXCESS_MS = 0.5;

export interface ServerClock {
  /** A server wall-clock stamp as a receipt monotonic time (at minimal delay). */
  toMonoMs(serverWallMs: number): number;
  /** A node message's receipt, moved earlier by the backlog it was in, if any. */
  correctReceipt(receiptMonoMs: number): number;
  /** Offsets (receipt wall − server stamp): median and max − min. */
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
    correctReceipt(receiptMonoMs) {
      // The stamped message received last before this one is the backlog it would share.
      let latest: (typeof stamped)[number] | undefined;
      for (const m of stamped) {
        if (m.receiptMonoMs > receiptMonoMs) break;
        latest = m;
      }
      if (!latest || receiptMonoMs - latest.receiptMonoMs > BURST_MS || latest.excessMs < MIN_EXCESS_MS) return receiptMonoMs;
      return Math.max(latest.floorMonoMs, receiptMonoMs - latest.excessMs);
    },
    offsets: withOffset.map((s) => s.offsetMs).sort((a, b) => a - b),
  };
}
