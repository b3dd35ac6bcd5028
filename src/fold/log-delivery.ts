// What is normal for delivery in a log, learnt over all its runs so far:
// the /system_stats round trip (a stall is judged against it) and the delivery
// jitter of stamped messages (the ± of an ordinary node boundary). A run's own
// one to three polls are too few: the slow poll of a backlog would be their
// median. Kept as fixed-size histograms, so memory does not grow with the log.

/** Histogram resolution and range: 0.05 ms steps up to 200 ms; longer values count in the last bucket. */
const BUCKET_MS = 0.05;
const BUCKETS = 4_000;
/** Stamped-message lags above this are held-back messages, not jitter (see delivery.ts HELD_BACK_MIN_MS). */
const JITTER_LAG_CAP_MS = 5;
/**
 * The jitter is JITTER_FACTOR × the median lag, and at least MIN_JITTER_MS: stamps are whole
 * milliseconds, so a lag is only known to ±1 ms. Measured on ComfyUI 0.21 (CPU, loopback):
 * lags of on-time stamps 0–2.4 ms, node start errors |median| 0.9 ms, max 1.8 ms
 * (docs/accuracy.md). The median, not a high quantile: a run has only 2–3 stamps, and one
 * held back a few ms behind the cache checks would set a high quantile.
 */
const JITTER_FACTOR = 2;
export const MIN_JITTER_MS = 2;

class Histogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;

  add(ms: number): void {
    if (!(ms >= 0)) return;
    this.counts[Math.min(BUCKETS - 1, Math.floor(ms / BUCKET_MS))]!++;
    this.count++;
  }

  /** The q-quantile (lower edge of its bucket, so within BUCKET_MS below the value); null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.round(i * BUCKET_MS * 1000) / 1000;
    }
    return (BUCKETS - 1) * BUCKET_MS;
  }
}

export class LogDelivery {
  private readonly roundTrips = new Histogram();
  private readonly lags = new Histogram();

  addPoll(roundTripMs: number): void {
    this.roundTrips.add(roundTripMs);
  }

  addStampLag(lagMs: number): void {
    if (lagMs <= JITTER_LAG_CAP_MS) this.lags.add(lagMs);
  }

  /** The usual poll round trip: the lower quartile of every poll so far (robust to a run of slow ones). */
  pollBaselineMs(): number | null {
    return this.roundTrips.quantile(0.25);
  }

  medianPollMs(): number | null {
    return this.roundTrips.quantile(0.5);
  }

  jitterMs(): number {
    return Math.max(MIN_JITTER_MS, JITTER_FACTOR * (this.lags.quantile(0.5) ?? 0));
  }
}
