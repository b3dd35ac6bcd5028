// One run's rows for the HTML report's chart templates (reports/html-specs.ts):
// plain objects, numbers from the profile, labels preformatted with the same
// formatters as the tables. Markup in titles stays: the page's JSON escaping
// and the charts' text rendering (SVG text, sanitized tooltips) keep it inert;
// bidi and invisible characters, which SVG text would obey, are made visible.

import type { NodeRun, RunProfile } from "../src/model/profile.js";
import type { ChartName } from "./html-specs.js";
import { formatBytes, formatMs } from "./format.js";
import { neutralizeText } from "../src/text/escape.js";
import { bucketEnvelope, type EnvelopePoint } from "../src/stats/envelope.js";

type Row = Record<string, string | number | null>;
/** A chart's datasets by name, and the signals it reads (the time axis' xmin and xmax). */
export interface ChartData {
  datasets: Record<string, Row[]>;
  signals: Record<string, number>;
}

/** A node's in-flight span is drawn when it exceeds its own segments by more than this (async, lazy, expanding nodes). */
const SPAN_BEYOND_SEGMENTS_MS = 0.5;
/** A memory band gets its node label only when at least this share of the plotted time wide, so labels do not pile up. */
const BAND_LABEL_MIN_SHARE = 0.04;
const MB = 2 ** 20;
/** The memory axis extends this share of the plotted range above and below the samples… */
const MB_AXIS_PAD_SHARE = 0.08;
/** …and at least this many MB, so a flat line sits mid-chart instead of on a one-tick axis. */
const MB_AXIS_MIN_PAD = 1;
/**
 * A series of more samples than this is drawn as MEMORY_BUCKETS buckets with
 * their min/max envelope: an hour at 100 ms is 36,000 samples per series, which
 * would make the page megabytes and the chart slow, and 760 px show no more.
 */
export const MEMORY_POINTS_MAX = 400;
export const MEMORY_BUCKETS = 300;

/** Each chart's datasets for this run, or null when the run has nothing to draw there (the page says why). */
export function chartData(run: RunProfile): Record<ChartName, ChartData | null> {
  return { gantt: visibleText(ganttData(run)), durations: visibleText(durationsData(run)), memory: visibleText(memoryData(run)) };
}

function visibleText(data: ChartData | null): ChartData | null {
  if (data === null) return null;
  const row = (r: Row): Row => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "string" ? neutralizeText(v) : v]));
  return { ...data, datasets: Object.fromEntries(Object.entries(data.datasets).map(([name, rows]) => [name, rows.map(row)])) };
}

export const nodeLabel = (n: { nodeId: string; classType: string | null }) => `#${n.nodeId} ${n.classType ?? ""}`.trimEnd();
const pathOf = (n: NodeRun) => (n.onCriticalPath ? "on the critical path" : "off the path");
const startOf = (n: NodeRun) => Math.min(...n.intervals.map((i) => i.startMs));

function ganttData(run: RunProfile): ChartData | null {
  const started = run.nodes.filter((n) => n.intervals.length > 0).sort((a, b) => startOf(a) - startOf(b));
  if (started.length === 0) return null;
  const gantt: Row[] = [];
  let order = 0;
  for (const n of started) {
    const row = nodeLabel(n);
    const rowOrder = order++;
    const base = { row, order: rowOrder, title: n.title, path: pathOf(n), nodeTimeText: `${formatMs(n.durationMs)} (${n.durationKind ?? "–"})` };
    const first = startOf(n);
    if (n.spanMs !== null && n.selfMs !== null && n.spanMs - n.selfMs > SPAN_BEYOND_SEGMENTS_MS) {
      gantt.push({ ...base, ...times(first, first + n.spanMs), kind: "span", status: "in flight, not on the executor", part: "in flight (first start → end)" });
    }
    n.intervals.forEach((iv, i) => {
      gantt.push({ ...base, ...times(iv.startMs, iv.endMs), kind: "segment", status: n.status, part: `segment ${i + 1} of ${n.intervals.length}` });
    });
    // Expanded children get rows of their own, right under their parent.
    for (const c of [...n.children].sort((a, b) => (a.intervals[0]?.startMs ?? 0) - (b.intervals[0]?.startMs ?? 0))) {
      const childRow = { row: `↳ ${nodeLabel(c)} (in #${n.nodeId})`, order: order++, title: null, path: pathOf(n), nodeTimeText: `${formatMs(c.selfMs)} (self)` };
      c.intervals.forEach((iv, i) => {
        gantt.push({ ...childRow, ...times(iv.startMs, iv.endMs), kind: "segment", status: "expanded child", part: `segment ${i + 1} of ${c.intervals.length}` });
      });
    }
  }
  // Windows where node boundaries are uncertain: server stalls and WebSocket outages.
  const stalls = [
    ...run.dataQuality.stalls.map((s) => ({ startMs: s.startMs, endMs: s.endMs, note: `server stalled, no reply for ${formatMs(s.roundTripMs)}: node boundaries here are uncertain` })),
    ...run.dataQuality.disconnections.map((w) => ({ startMs: w.startMs, endMs: w.endMs, note: "WebSocket down: messages lost, node boundaries here are bounds only" })),
  ];
  const markers = run.timing.executionMs === null ? [] : [{ atMs: run.timing.executionMs, label: `${run.outcome.status} at ${formatMs(run.timing.executionMs)}` }];
  const endMs = Math.max(run.timing.executionMs ?? 0, ...gantt.map((r) => r.endMs as number));
  return { datasets: { gantt, stalls, markers }, signals: { xmin: 0, xmax: endMs } };
}

function times(startMs: number, endMs: number): Row {
  return { startMs, endMs, startText: formatMs(startMs), endText: formatMs(endMs), lengthText: formatMs(endMs - startMs) };
}

/** Nodes that took time (cached and not-run nodes left out), slowest first; slack drawn after each bar. */
function durationsData(run: RunProfile): ChartData | null {
  const timed = run.nodes.filter((n) => n.durationMs !== null && n.status !== "cached" && n.status !== "not-run").sort((a, b) => b.durationMs! - a.durationMs!);
  if (timed.length === 0) return null;
  const durations: Row[] = [];
  timed.forEach((n, order) => {
    const common = { row: nodeLabel(n), order, measure: n.durationKind };
    durations.push({ ...common, part: pathOf(n), fromMs: 0, toMs: n.durationMs!, text: formatMs(n.durationMs) });
    if (n.slackMs !== null && n.slackMs > 0) {
      durations.push({ ...common, part: "slack", fromMs: n.durationMs!, toMs: n.durationMs! + n.slackMs, text: `slack ${formatMs(n.slackMs)}` });
    }
  });
  return { datasets: { durations }, signals: {} };
}

function memoryData(run: RunProfile): ChartData | null {
  const samples = run.memory.samples;
  if (run.outcome.status === "rejected" || samples.length < 2) return null;
  const memory: Row[] = [];
  if (samples.length > MEMORY_POINTS_MAX) {
    for (const [name, points] of seriesOf(samples)) for (const b of bucketEnvelope(points, MEMORY_BUCKETS)) memory.push(bucketRow(name, b));
  } else {
    for (const s of samples) {
      const point = (name: string, bytes: number | null) => {
        if (bytes === null) return;
        const mb = bytes / MB;
        memory.push({
          series: name, atMs: s.atMs, lowMs: s.atMs - s.uncertaintyMs, highMs: s.atMs + s.uncertaintyMs, mb, minMb: mb, maxMb: mb,
          valueText: formatBytes(bytes), atText: `${formatMs(s.atMs)} ± ${formatMs(s.uncertaintyMs)}`,
        });
      };
      point("RAM used", s.ramUsedBytes);
      for (const d of s.devices) {
        point(`${d.name}: used`, d.usedBytes);
        point(`${d.name}: torch reserved`, d.torchReservedBytes);
      }
    }
  }
  if (memory.length === 0) return null;
  const [first] = extent(samples.map((s) => s.atMs - s.uncertaintyMs));
  const [, last] = extent(samples.map((s) => s.atMs + s.uncertaintyMs));
  const lo = Math.min(first, 0);
  const hi = Math.max(last, run.timing.executionMs ?? 0);
  const bands: Row[] = [];
  run.nodes
    .filter((n) => n.intervals.length > 0 && n.spanMs !== null)
    .sort((a, b) => startOf(a) - startOf(b))
    .forEach((n, i) => {
      const startMs = startOf(n);
      const endMs = startMs + n.spanMs!;
      const wide = (endMs - startMs) / Math.max(hi - lo, 1) >= BAND_LABEL_MIN_SHARE;
      // Labels alternate between two lines: consecutive bands may start together (async nodes).
      const label = wide ? `#${n.nodeId}` : "";
      bands.push({ row: nodeLabel(n), startMs, endMs, stripe: i % 2, label, labelY: 2 + 12 * (i % 2), spanText: `${formatMs(startMs)} → ${formatMs(endMs)}` });
    });
  const [bottom] = extent(memory.map((r) => r.minMb as number));
  const [, top] = extent(memory.map((r) => r.maxMb as number));
  const pad = Math.max((top - bottom) * MB_AXIS_PAD_SHARE, MB_AXIS_MIN_PAD);
  return { datasets: { bands, memory }, signals: { xmin: lo, xmax: hi, ymin: Math.max(0, bottom - pad), ymax: top + pad } };
}

/** Each series' (time, bytes) points, in sample order; the names as in the chart's legend. */
function seriesOf(samples: RunProfile["memory"]["samples"]): Map<string, EnvelopePoint[]> {
  const series = new Map<string, EnvelopePoint[]>();
  const add = (name: string, bytes: number | null, atMs: number) => {
    if (bytes === null) return;
    let points = series.get(name);
    if (!points) series.set(name, (points = []));
    points.push({ x: atMs, y: bytes });
  };
  for (const s of samples) {
    add("RAM used", s.ramUsedBytes, s.atMs);
    for (const d of s.devices) {
      add(`${d.name}: used`, d.usedBytes, s.atMs);
      add(`${d.name}: torch reserved`, d.torchReservedBytes, s.atMs);
    }
  }
  return series;
}

/** A bucket of samples: drawn at its mean time and value, its min–max as a band; no ± bar (it spans many polls). */
function bucketRow(series: string, b: ReturnType<typeof bucketEnvelope>[number]): Row {
  return {
    series, atMs: b.midX, lowMs: null, highMs: null, mb: b.meanY / MB, minMb: b.minY / MB, maxMb: b.maxY / MB,
    valueText: `${formatBytes(b.minY)} – ${formatBytes(b.maxY)} (mean ${formatBytes(b.meanY)})`,
    atText: `${formatMs(b.fromX)} → ${formatMs(b.toX)}, ${b.count} samples`,
  };
}

/** [min, max] by a loop: a long recording has more samples than Math.min(...spread) takes arguments. */
function extent(values: number[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}
