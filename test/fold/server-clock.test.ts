import { describe, expect, it } from "vitest";
import { logEntryWallMs, type ClockSample } from "../../src/fold/run-builder.js";
import { estimateServerClock } from "../../src/fold/server-clock.js";

const sample = (kind: ClockSample["kind"], receiptMonoMs: number, offsetMs: number): ClockSample => ({
  kind,
  receiptMonoMs,
  receiptWallMs: 1_000_000 + receiptMonoMs,
  serverWallMs: 1_000_000 + receiptMonoMs - offsetMs,
});

describe("fold/server-clock", () => {
  it("reads a log line's local time in the server's zone, told from the receipt to the quarter hour", () => {
    const received = Date.UTC(2026, 0, 1, 0, 0, 0, 251);
    // UTC+02:00 (the line says 02:00 local), UTC−05:30 and UTC: the same instant, 250.5 ms past midnight UTC.
    expect(logEntryWallMs("2026-01-01T02:00:00.250500", received)).toBeCloseTo(received - 0.5, 6);
    expect(logEntryWallMs("2025-12-31T18:30:00.250500", received)).toBeCloseTo(received - 0.5, 6);
    expect(logEntryWallMs("2026-01-01T00:00:00.250500", received)).toBeCloseTo(received - 0.5, 6);
    expect(logEntryWallMs("yesterday", received)).toBeNull();
    expect(logEntryWallMs(null, received)).toBeNull();
  });

  it("takes the smallest offset of the stamps, refined by a log line at most the stamps' 1 ms resolution below it", () => {
    // Stamps at offsets 5 and 7 (whole ms, cut down); a log line at 4.3 refines the minimum; its lag is 0.
    const clock = estimateServerClock([sample("start", 0, 5), sample("terminal", 100, 7), sample("log", 101, 4.3)])!;
    expect(clock.stamps.map((s) => [s.kind, Number(s.lagMs.toFixed(6))])).toEqual([["start", 0.7], ["terminal", 2.7], ["log", 0]]);
  });

  it("drops a log line on another clock (a replayed log, a server with its own time): it anchors nothing, and is placed at its receipt", () => {
    for (const offset of [-60_000, 368_000]) {
      const clock = estimateServerClock([sample("start", 0, 5), sample("terminal", 100, 7), sample("log", 101, offset)])!;
      expect(clock.stamps.map((s) => s.kind)).toEqual(["start", "terminal"]);
      expect(clock.stamps[0]!.lagMs).toBe(0);
      // Its `t` says 368 s before (or 60 s after) its receipt: placed at the receipt instead.
      expect(clock.placeLogLine(1_000_000 + 101 - offset, 101)).toBe(101);
    }
    // On the server's clock, a line is placed at its own time (here 2 ms before its receipt).
    const clock = estimateServerClock([sample("start", 0, 5), sample("log", 50, 7)])!;
    expect(clock.placeLogLine(1_000_000 + 50 - 7, 50)).toBe(48);
  });

  it("needs a stamped message: log lines alone do not make a clock", () => {
    expect(estimateServerClock([sample("log", 0, 3)])).toBeNull();
  });
});
