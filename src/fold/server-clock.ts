// Placing server-stamped moments on the recorder's monotonic clock.
//
// The server stamps only run-level messages (its wall clock, epoch ms). Each
// one's receipt − stamp is the clock offset plus that message's delivery
// delay. The smallest of them is the best estimate of offset + minimal delay
// (the NTP "minimum filter"); a message received later than that was held
// back in the server's send queue, by exactly its excess (its lag). What a
// held-back stamp says about the node messages around it is decided in
// delivery.ts. See docs/accuracy.md.

import type { ClockSample } from "./run-state.js";

export interface StampedMessage {
  receiptMonoMs: number;
  /** The stamp on the receipt clock, at minimal delay: when the message was made. */
  madeMonoMs: number;
  /** Receipt − made: how long the server held it back beyond the minimal delay (≥ 0). */
  lagMs: number;
  kind: ClockSample["kind"];
}

export interface ServerClock {
  /** A server wall-clock stamp as a receipt monotonic time (at minimal delay). */
  toMonoMs(serverWallMs: number): number;
  /** A log line's time on the receipt clock: its own `t`, or its receipt when `t` is on another clock (LOG_MAX_LAG_MS) or after it. */
  placeLogLine(serverWallMs: number, receiptMonoMs: number): number;
  /** The run's stamped messages in receipt order, with their lags. */
  stamps: StampedMessage[];
  /** Offsets (receipt wall − server stamp), sorted. */
  offsets: number[];
}

/**
 * Stamps are whole milliseconds, cut down (Python's int(time.time() * 1000)): the true offset lies
 * within this below the smallest stamped one. A log line's `t` (to the µs) may refine it that far,
 * no further: a line further off is on another clock (a replayed log, a server in a container
 * with its own time) and anchors nothing.
 */
export const STAMP_RESOLUTION_MS = 1;
/**
 * A log line received this much later than the stamps' minimum offset allows is on another clock
 * (a replayed log, a server whose zone changed): it anchors nothing and is placed at its receipt.
 * Log lines do wait for their batch and for the garbage collection (≤ ~0.4 s seen): far below this.
 */
export const LOG_MAX_LAG_MS = 10_000;

export function estimateServerClock(samples: readonly ClockSample[]): ServerClock | null {
  const all = samples.map((s) => ({ ...s, offsetMs: s.receiptWallMs - s.serverWallMs }));
  const stamped = all.filter((s) => s.kind !== "log");
  if (stamped.length === 0) return null;
  const floor = Math.min(...stamped.map((s) => s.offsetMs)) - STAMP_RESOLUTION_MS;
  const withOffset = all.filter((s) => s.kind !== "log" || (s.offsetMs >= floor && s.offsetMs <= floor + STAMP_RESOLUTION_MS + LOG_MAX_LAG_MS));
  const best = withOffset.reduce((a, b) => (b.offsetMs < a.offsetMs ? b : a));
  const wallMinusMono = best.receiptWallMs - best.receiptMonoMs;
  const toMonoMs = (serverWallMs: number) => serverWallMs + best.offsetMs - wallMinusMono;
  const stamps = withOffset
    .map((s) => ({ receiptMonoMs: s.receiptMonoMs, madeMonoMs: toMonoMs(s.serverWallMs), lagMs: s.offsetMs - best.offsetMs, kind: s.kind }))
    .sort((a, b) => a.receiptMonoMs - b.receiptMonoMs);
  const placeLogLine = (serverWallMs: number, receiptMonoMs: number) => {
    const at = toMonoMs(serverWallMs);
    return at <= receiptMonoMs && receiptMonoMs - at <= LOG_MAX_LAG_MS ? at : receiptMonoMs;
  };
  return { toMonoMs, placeLogLine, stamps, offsets: withOffset.map((s) => s.offsetMs).sort((a, b) => a - b) };
}
