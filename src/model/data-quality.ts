// How far a run's figures can be trusted: the bounds on each node's times and
// what widened them, and the run's data quality (docs/metrics.md "Uncertainty",
// "Data quality"). Data only; part of the profile (profile.ts re-exports it).

/** Where a true moment can lie, run-relative ms (docs/metrics.md "Uncertainty"). */
export interface TimeBounds {
  earliestMs: number;
  /** Null when unbounded: the node was still running when the recording stopped. */
  latestMs: number | null;
}

/**
 * What made a boundary uncertain beyond the normal delivery jitter:
 * `held-back-end`: the run's terminal message was held back (ComfyUI's periodic garbage collection after a prompt);
 * `backlog-burst`: messages held back behind a late stamped message arrived in one burst;
 * `end-held-up`: a node's end arrived well after its final progress step (a node holding the GIL as it starts holds up the previous node's end);
 * `outage`: the WebSocket was down; `stall`: a /system_stats poll showed the server frozen;
 * `unfinished`: the node never finished while recorded; `ran-unseen`: it started and finished during an outage.
 */
export type UncertaintyCause = "held-back-end" | "backlog-burst" | "end-held-up" | "outage" | "stall" | "unfinished" | "ran-unseen";

export interface NodeUncertainty {
  /** The true start lies within these bounds (the reported start is inside them). */
  start: TimeBounds;
  end: TimeBounds;
  /** ± of the reported start: its largest distance to a bound. */
  startPlusMinusMs: number;
  /** ± of the reported end; null when the end is unbounded. */
  endPlusMinusMs: number | null;
  /** ± of durationMs: its largest distance to the shortest or longest duration the bounds allow (self and rolled-up times: the larger boundary ±); null without a duration or with an unbounded end. */
  durationPlusMinusMs: number | null;
  /** Empty when only the normal delivery jitter applies. */
  causes: UncertaintyCause[];
}

export interface ServerStall {
  /** Run-relative window during which the server did not answer (a poll's round trip). */
  startMs: number;
  endMs: number;
  roundTripMs: number;
  /**
   * The last sign of the server before the poll was sent (a message received, or a poll's reply),
   * run-relative: the freeze began after it, and may have begun before the poll was sent.
   */
  silentSinceMs: number;
}

/**
 * Whose clock a run's times are on. `receipt`: the recorder's receipt of each message, placed
 * from the delivery evidence, each boundary with bounds. `probe`: the server's own clock as it
 * sent each message (a probe's log, since v1.2): no delivery lag to estimate.
 */
export type TimeSource = "receipt" | "probe";

export interface DataQuality {
  /** Whose clock the node and run times are on. */
  timeSource: TimeSource;
  /** Smallest positive difference between receipt times: how finely events were told apart. */
  receiptResolutionMs: number | null;
  pollMs: number | null;
  /** Run-level messages that should carry a server timestamp and did not. */
  missingServerTimestamps: number;
  reconnects: number;
  /** Wall-clock jumps: wall and monotonic deltas differing by more than CLOCK_JUMP_MS. */
  clockJumps: number;
  /** Median /system_stats round trip. */
  medianPollRoundTripMs: number | null;
  stalls: ServerStall[];
  /** WebSocket outages during the run, from the close to the first message after reconnecting: node starts and ends in them are only bounds. */
  disconnections: { startMs: number; endMs: number }[];
  /** True when the run has progress_state messages (servers ≥ 0.3.45). */
  hasProgressState: boolean;
  /** Normal delivery jitter of stamped messages over the log so far (receipt − stamp above its minimum), ms: the ± of an ordinary node boundary. */
  deliveryJitterMs: number;
  /** Each episode that made node times uncertain beyond the jitter, with its size (also a diagnostic, printed with the run). */
  uncertainties: UncertaintyEpisode[];
}

export interface UncertaintyEpisode {
  cause: UncertaintyCause;
  /** How much it delayed messages or how long the blind window lasted, ms (null when unbounded). */
  sizeMs: number | null;
  /** Run-relative window concerned. */
  startMs: number;
  endMs: number;
  /** Nodes whose boundaries it widened. */
  nodeIds: string[];
}
