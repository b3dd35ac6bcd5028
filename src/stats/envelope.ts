// A long series drawn in a fixed number of buckets: per bucket the smallest,
// largest and mean value, so a chart of an hour of 100 ms polls stays a few
// hundred points and still shows every spike (the envelope keeps the extremes,
// which a plain stride or an average would drop). Pure: no I/O, no clock.

export interface EnvelopePoint {
  x: number;
  y: number;
}

export interface EnvelopeBucket {
  /** The first and last x of the points that fell in this bucket. */
  fromX: number;
  toX: number;
  /** Mean x of its points: where the bucket is drawn. */
  midX: number;
  minY: number;
  maxY: number;
  meanY: number;
  count: number;
}

/**
 * Splits [first x, last x] into `buckets` equal spans and summarizes the points
 * in each (empty spans are left out). `points` must be in ascending x. The
 * smallest and largest y of the series are each the minY / maxY of a bucket.
 */
export function bucketEnvelope(points: readonly EnvelopePoint[], buckets: number): EnvelopeBucket[] {
  if (!(Number.isInteger(buckets) && buckets > 0)) throw new RangeError(`bucketEnvelope: buckets must be a positive whole number, got ${buckets}`);
  if (points.length === 0) return [];
  const first = points[0]!.x;
  const span = points[points.length - 1]!.x - first;
  const out: EnvelopeBucket[] = [];
  let current: (EnvelopeBucket & { key: number; sumX: number; sumY: number }) | null = null;
  for (const p of points) {
    // The last point's x lands at index `buckets`: folded into the last bucket.
    const key = span > 0 ? Math.min(buckets - 1, Math.floor(((p.x - first) / span) * buckets)) : 0;
    if (current === null || key !== current.key) {
      if (current !== null) out.push(close(current));
      current = { key, fromX: p.x, toX: p.x, midX: p.x, minY: p.y, maxY: p.y, meanY: p.y, count: 0, sumX: 0, sumY: 0 };
    }
    current.toX = p.x;
    if (p.y < current.minY) current.minY = p.y;
    if (p.y > current.maxY) current.maxY = p.y;
    current.sumX += p.x;
    current.sumY += p.y;
    current.count++;
  }
  out.push(close(current!));
  return out;
}

function close(b: EnvelopeBucket & { sumX: number; sumY: number }): EnvelopeBucket {
  return { fromX: b.fromX, toX: b.toX, midX: b.sumX / b.count, minY: b.minY, maxY: b.maxY, meanY: b.sumY / b.count, count: b.count };
}
