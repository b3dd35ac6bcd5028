import { describe, expect, it } from "vitest";
import { bucketEnvelope } from "../../src/stats/envelope.js";

describe("stats/envelope", () => {
  it("summarizes each equal span of x by its min, max and mean", () => {
    // x 0..9 in 2 buckets: [0, 4.5) holds x 0–4, [4.5, 9] holds 5–9.
    const points = [5, 1, 9, 3, 2, 8, 8, 0, 4, 6].map((y, x) => ({ x, y }));
    expect(bucketEnvelope(points, 2)).toEqual([
      { fromX: 0, toX: 4, midX: 2, minY: 1, maxY: 9, meanY: 4, count: 5 },
      { fromX: 5, toX: 9, midX: 7, minY: 0, maxY: 8, meanY: 5.2, count: 5 },
    ]);
  });

  it("keeps a one-sample spike of a long series in its bucket's max", () => {
    // An hour at 100 ms: 36,000 samples at 1 GiB, one of 3 GiB at 20 minutes.
    const points = Array.from({ length: 36_000 }, (_, i) => ({ x: i * 100, y: i === 12_000 ? 3 * 2 ** 30 : 2 ** 30 }));
    const buckets = bucketEnvelope(points, 300);
    expect(buckets).toHaveLength(300);
    expect(Math.max(...buckets.map((b) => b.maxY))).toBe(3 * 2 ** 30);
    expect(buckets.filter((b) => b.maxY > 2 ** 30)).toHaveLength(1);
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(36_000);
  });

  it("preserves the series' extremes and holds every sample inside its bucket's envelope", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const points: { x: number; y: number }[] = [];
    for (let x = 0; points.length < 5000; x += 1 + random() * 50) points.push({ x, y: Math.round(random() * 1e6) });
    const buckets = bucketEnvelope(points, 97);
    expect(Math.min(...buckets.map((b) => b.minY))).toBe(Math.min(...points.map((p) => p.y)));
    expect(Math.max(...buckets.map((b) => b.maxY))).toBe(Math.max(...points.map((p) => p.y)));
    for (const p of points) {
      const b = buckets.find((k) => p.x >= k.fromX && p.x <= k.toX)!;
      expect(p.y).toBeGreaterThanOrEqual(b.minY);
      expect(p.y).toBeLessThanOrEqual(b.maxY);
    }
  });

  it("gives one bucket when every sample has the same time, and none for no samples", () => {
    expect(bucketEnvelope([{ x: 5, y: 1 }, { x: 5, y: 3 }], 10)).toEqual([{ fromX: 5, toX: 5, midX: 5, minY: 1, maxY: 3, meanY: 2, count: 2 }]);
    expect(bucketEnvelope([], 10)).toEqual([]);
    expect(() => bucketEnvelope([], 0)).toThrow(RangeError);
  });
});
