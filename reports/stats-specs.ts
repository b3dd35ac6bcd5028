// Vega-Lite specs of the compare and trend pages, compiled to Vega here in
// Node with their values inline (a page has a few charts, not thousands).
//   distributions: every run of each side as a tick, per metric, medians marked
//   ratios:        each metric's change with its interval, the noise band drawn
//   trend:         median per recording with its interval, change points marked
//   contributions: each node type's median time per recording, stacked

import { compile, type TopLevelSpec } from "vega-lite";
import type { Spec as VegaSpec } from "vega";
import type { GroupComparison, TrendSeries } from "../src/model/comparison.js";

const WIDTH = 640;
const SIDE_COLORS = { domain: ["baseline", "candidate"], range: ["#4c78a8", "#e45756"] };
const config = { axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: "normal" }, legend: { orient: "top", labelFontSize: 11 } } as const;

const vega = (spec: TopLevelSpec): VegaSpec => compile({ ...spec, config } as TopLevelSpec).spec;

/** Both sides' samples of every metric of a group: one tick per run, a thick tick at each side's median; one row per metric. */
export function distributionsChart(g: GroupComparison): VegaSpec {
  const metrics = [g.execution, ...g.nodes];
  const values = metrics.flatMap((m) => [
    ...m.baselineMs.map((ms) => ({ metric: m.metric, side: "baseline", kind: "run", ms })),
    ...m.candidateMs.map((ms) => ({ metric: m.metric, side: "candidate", kind: "run", ms })),
    ...(m.baseline.medianMs === null ? [] : [{ metric: m.metric, side: "baseline", kind: "median", ms: m.baseline.medianMs }]),
    ...(m.candidate.medianMs === null ? [] : [{ metric: m.metric, side: "candidate", kind: "median", ms: m.candidate.medianMs }]),
  ]);
  return vega({
    data: { values },
    facet: { row: { field: "metric", type: "nominal", header: { labelAngle: 0, labelAlign: "left", title: null }, sort: metrics.map((m) => m.metric) } },
    spec: {
      width: WIDTH,
      layer: [
        { transform: [{ filter: "datum.kind === 'run'" }], mark: { type: "tick", thickness: 1.5, opacity: 0.7 }, encoding: tickEncoding("a run") },
        { transform: [{ filter: "datum.kind === 'median'" }], mark: { type: "tick", thickness: 4, size: 22 }, encoding: tickEncoding("the median") },
      ],
    },
    resolve: { scale: { x: "independent" } },
  } as unknown as TopLevelSpec);
}

function tickEncoding(what: string) {
  return {
    x: { field: "ms", type: "quantitative", title: "ms", scale: { zero: false } },
    y: { field: "side", type: "nominal", title: null },
    color: { field: "side", type: "nominal", scale: SIDE_COLORS, title: null },
    tooltip: [{ field: "side", title: "side" }, { field: "ms", title: `ms (${what})`, format: ",.2f" }],
  };
}

/** Each metric's change (candidate ÷ baseline) with its bootstrap interval; the noise band shaded, 1 ruled. */
export function ratiosChart(g: GroupComparison, noiseThreshold: number): VegaSpec {
  const values = [g.execution, ...g.nodes]
    .filter((m) => m.ratio !== null)
    .map((m) => ({ metric: m.metric, point: m.ratio!.point, lower: m.ratio!.lower, upper: m.ratio!.upper, verdict: m.verdict }));
  // A ratio scale is logarithmic (½× and 2× equally far from 1); an interval beyond ¼×–4× (a ~0 ms node) is cut at the edge.
  const lo = Math.max(RATIO_MIN, Math.min(1 - 2 * noiseThreshold, ...values.map((v) => v.lower)));
  const hi = Math.min(RATIO_MAX, Math.max(1 + 2 * noiseThreshold, ...values.map((v) => v.upper)));
  const x = { type: "quantitative", title: "candidate ÷ baseline (median), with its interval", scale: { type: "log", domain: [lo, hi], clamp: true } } as const;
  return vega({
    width: WIDTH,
    height: { step: 22 },
    layer: [
      { data: { values: [{ lo: 1 - noiseThreshold, hi: 1 + noiseThreshold }] }, mark: { type: "rect", color: "#eeeeee" }, encoding: { x: { field: "lo", ...x }, x2: { field: "hi" } } },
      { data: { values: [{ one: 1 }] }, mark: { type: "rule", color: "#888", strokeDash: [4, 3] }, encoding: { x: { field: "one", ...x } } },
      { data: { values }, mark: { type: "rule", strokeWidth: 2 }, encoding: { y: { field: "metric", type: "nominal", title: null, sort: null }, x: { field: "lower", ...x }, x2: { field: "upper" }, color: verdictColor } },
      {
        name: "ratio_points",
        data: { values },
        mark: { type: "point", filled: true, size: 50 },
        encoding: {
          y: { field: "metric", type: "nominal", title: null, sort: null }, x: { field: "point", ...x }, color: verdictColor,
          tooltip: [{ field: "metric" }, { field: "point", title: "ratio", format: ".3f" }, { field: "lower", format: ".3f" }, { field: "upper", format: ".3f" }, { field: "verdict" }],
        },
      },
    ],
  } as unknown as TopLevelSpec);
}

const RATIO_MIN = 0.25;
const RATIO_MAX = 4;

const verdictColor = {
  field: "verdict", type: "nominal", title: "verdict",
  scale: { domain: ["slower", "faster", "within-noise", "insufficient-data"], range: ["#b3261e", "#1e6b34", "#4c78a8", "#9aa0a6"] },
} as const;

/** The series' median per recording with its bootstrap interval; change points ruled and labelled. */
export function trendChart(s: TrendSeries): VegaSpec {
  const values = s.points.map((p, i) => ({
    order: i, recording: p.name, median: p.execution.medianMs, lower: p.medianMs?.lower ?? null, upper: p.medianMs?.upper ?? null,
    verdict: p.change?.verdict ?? "first", n: p.execution.n,
  }));
  const changes = s.changePoints.map((c) => ({
    recording: s.points[c.index]!.name,
    label: `${c.ratio >= 1 ? "+" : "−"}${(Math.abs(c.ratio - 1) * 100).toFixed(1)} %${c.environmentChanges.length ? ` · ${c.environmentChanges.map((e) => `${e.field} ${e.candidate ?? "–"}`).join(", ")}` : ""}`,
  }));
  const x = { field: "recording", type: "ordinal", title: "recording (time order)", sort: values.map((v) => v.recording) } as const;
  return vega({
    width: WIDTH,
    height: 220,
    layer: [
      { data: { values }, mark: { type: "area", opacity: 0.2, color: "#4c78a8" }, encoding: { x, y: { field: "lower", type: "quantitative", title: "median execution (ms)", scale: { zero: false } }, y2: { field: "upper" } } },
      { data: { values }, mark: { type: "line", color: "#4c78a8" }, encoding: { x, y: { field: "median", type: "quantitative" } } },
      { name: "medians", data: { values }, mark: { type: "point", filled: true, color: "#4c78a8" }, encoding: { x, y: { field: "median", type: "quantitative" }, tooltip: [{ field: "recording" }, { field: "median", format: ",.1f" }, { field: "lower", format: ",.1f" }, { field: "upper", format: ",.1f" }, { field: "n" }, { field: "verdict" }] } },
      { name: "change_points", data: { values: changes }, mark: { type: "rule", color: "#b3261e", strokeDash: [5, 3] }, encoding: { x } },
      { data: { values: changes }, mark: { type: "text", align: "left", dx: 4, dy: -4, baseline: "bottom", color: "#b3261e", fontSize: 11 }, encoding: { x, y: { value: 0 }, text: { field: "label" } } },
    ],
  } as unknown as TopLevelSpec);
}

/** Each node type's share of a recording's time: its median time per recording, stacked. */
export function contributionsChart(s: TrendSeries): VegaSpec {
  const values = s.points.flatMap((p) => p.nodeTypeMedians.map((t) => ({ recording: p.name, classType: t.classType, ms: t.medianMs })));
  return vega({
    name: "contributions",
    width: WIDTH,
    height: 200,
    data: { values },
    mark: "bar",
    encoding: {
      x: { field: "recording", type: "ordinal", title: "recording (time order)", sort: s.points.map((p) => p.name) },
      y: { field: "ms", type: "quantitative", stack: "zero", title: "median time per run (ms)" },
      color: { field: "classType", type: "nominal", title: "node type" },
      tooltip: [{ field: "recording" }, { field: "classType", title: "node type" }, { field: "ms", format: ",.1f" }],
    },
  } as unknown as TopLevelSpec);
}
