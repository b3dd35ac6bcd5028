// The HTML report's charts, as Vega-Lite specs compiled to Vega here in Node,
// so the page needs only vega + vega-embed (no vega-lite in the browser).
// Each spec is a template over named datasets (`gantt`, `stalls`, `markers`;
// `durations`; `bands`, `memory`) with no values, and signals for its axes'
// ranges: the page fills in one run's rows and signals (reports/html-data.ts)
// before embedding, so 11 runs cost one spec, not 11.

import { compile, type TopLevelSpec } from "vega-lite";
import type { Spec as VegaSpec } from "vega";

export type ChartName = "gantt" | "durations" | "memory";

/** Fixed colours so a status looks the same in every run and chart. */
const STATUS_COLORS: [string, string][] = [
  ["executed", "#4c78a8"],
  ["expanded child", "#72b7b2"],
  ["in flight, not on the executor", "#cfd8e3"],
  ["failed", "#e45756"],
  ["interrupted", "#f58518"],
];
const PATH_COLORS: [string, string][] = [
  ["on the critical path", "#d6604d"],
  ["off the path", "#4c78a8"],
  ["slack", "#e6e6e6"],
];
/** Plot width in CSS pixels; the page scrolls sideways below it. */
const WIDTH = 760;

const rowAxis = { title: null, labelLimit: 280, labelFontSize: 11 } as const;
const msAxis = { title: "ms from execution start", grid: true } as const;
/**
 * The time axis runs over [xmin, xmax], signals the page sets per run
 * (reports/html-data.ts), not over the data's extent: a layer with no rows
 * (no stalls, no node in flight) then costs no "infinite extent" warning.
 */
const timeParams = [{ name: "xmin", value: 0 }, { name: "xmax", value: 1 }];
const timeScale = { domain: { expr: "[xmin, xmax]" }, nice: false, zero: false } as const;
const timeX = (field: string) => ({ field, type: "quantitative", axis: msAxis, scale: timeScale }) as const;

/** A tooltip's rows, field → title, in order. */
export const tooltips = (rows: Record<string, string>) => Object.entries(rows).map(([field, title]) => ({ field, title }));

function ganttSpec(): TopLevelSpec {
  const y = { field: "row", type: "nominal", sort: { field: "order", op: "min" }, axis: rowAxis, scale: { paddingInner: 0.25 } } as const;
  const color = { field: "status", type: "nominal", title: "status", scale: { domain: STATUS_COLORS.map((c) => c[0]), range: STATUS_COLORS.map((c) => c[1]) } } as const;
  const ganttTooltip = tooltips({ row: "node", title: "title", status: "status", part: "bar", startText: "start", endText: "end", lengthText: "length", nodeTimeText: "node time" });
  return {
    params: timeParams,
    width: WIDTH,
    height: { step: 22 },
    layer: [
      {
        name: "stalls",
        data: { name: "stalls" },
        mark: { type: "rect", color: "#fbe3a1", opacity: 0.6 },
        encoding: {
          x: timeX("startMs"),
          x2: { field: "endMs" },
          tooltip: [{ field: "note", title: "uncertain window" }],
        },
      },
      {
        // A node's whole span where it exceeds its segments: async awaits, lazy waits, expanded children.
        name: "inflight",
        data: { name: "gantt" },
        transform: [{ filter: "datum.kind === 'span'" }],
        mark: { type: "rect", cornerRadius: 1 },
        encoding: { y, x: timeX("startMs"), x2: { field: "endMs" }, color, tooltip: ganttTooltip },
      },
      {
        name: "segments",
        data: { name: "gantt" },
        transform: [{ filter: "datum.kind === 'segment'" }],
        mark: { type: "rect", strokeWidth: 2, cornerRadius: 1 },
        encoding: {
          y,
          x: timeX("startMs"),
          x2: { field: "endMs" },
          color,
          stroke: {
            field: "path", type: "nominal", title: null,
            scale: { domain: ["on the critical path", "off the path"], range: ["#222222", "transparent"] },
            legend: { values: ["on the critical path"], symbolFillColor: "#ffffff", symbolStrokeWidth: 2 },
          },
          tooltip: ganttTooltip,
        },
      },
      {
        name: "markers",
        data: { name: "markers" },
        layer: [
          { mark: { type: "rule", strokeDash: [4, 3], color: "#555" }, encoding: { x: timeX("atMs") } },
          {
            mark: { type: "text", align: "right", baseline: "top", dx: -4, dy: 2, color: "#333", fontSize: 11 },
            encoding: { x: timeX("atMs"), y: { value: 0 }, text: { field: "label" } },
          },
        ],
      },
    ],
  };
}

function durationsSpec(): TopLevelSpec {
  return {
    width: WIDTH,
    height: { step: 20 },
    data: { name: "durations" },
    encoding: { y: { field: "row", type: "nominal", sort: { field: "order", op: "min" }, axis: rowAxis } },
    layer: [
      {
        name: "bars",
        mark: { type: "bar" },
        encoding: {
          x: { field: "fromMs", type: "quantitative", title: "reported node time (ms), then slack" },
          x2: { field: "toMs" },
          color: { field: "part", type: "nominal", title: null, scale: { domain: PATH_COLORS.map((c) => c[0]), range: PATH_COLORS.map((c) => c[1]) } },
          tooltip: [
            { field: "row", title: "node" },
            { field: "part", title: "bar" },
            { field: "text", title: "ms" },
            { field: "measure", title: "measured as" },
          ],
        },
      },
      {
        transform: [{ filter: "datum.part !== 'slack'" }],
        mark: { type: "text", align: "left", dx: 4, fontSize: 11, color: "#333" },
        encoding: { x: { field: "toMs", type: "quantitative" }, text: { field: "text" } },
      },
    ],
  };
}

function memorySpec(): TopLevelSpec {
  // The MB axis runs over [ymin, ymax], padded in html-data.ts so a flat series still gets a readable axis.
  const mb = { field: "mb", type: "quantitative", title: "MB used (1 MB = 2^20 bytes)", scale: { domain: { expr: "[ymin, ymax]" }, zero: false }, axis: { format: ",.1~f" } } as const;
  const series = { field: "series", type: "nominal", title: null } as const;
  return {
    params: [...timeParams, { name: "ymin", value: 0 }, { name: "ymax", value: 1 }],
    width: WIDTH,
    height: 240,
    layer: [
      {
        name: "bands",
        data: { name: "bands" },
        layer: [
          {
            mark: { type: "rect", opacity: 0.8 },
            encoding: {
              x: timeX("startMs"),
              x2: { field: "endMs" },
              // fill, not color: the samples' series own the colour scale.
              fill: { field: "stripe", type: "nominal", legend: null, scale: { domain: [0, 1], range: ["#e4ebf5", "#f1f1e0"] } },
              tooltip: [{ field: "row", title: "node" }, { field: "spanText", title: "in flight" }],
            },
          },
          {
            mark: { type: "text", align: "left", baseline: "top", dx: 2, fontSize: 10, color: "#555" },
            encoding: { x: timeX("startMs"), y: { field: "labelY", type: "quantitative", scale: null }, text: { field: "label" } },
          },
        ],
      },
      {
        name: "samples",
        data: { name: "memory" },
        layer: [
          // A long series comes in buckets (reports/html-data.ts): their min–max envelope as a band; a raw sample's band has no height.
          { name: "envelope", mark: { type: "area", opacity: 0.25 }, encoding: { x: timeX("atMs"), y: { ...mb, field: "minMb" }, y2: { field: "maxMb" }, color: series } },
          {
            name: "uncertainty",
            transform: [{ filter: "datum.lowMs !== null" }],
            mark: { type: "rule", opacity: 0.5 },
            encoding: { x: timeX("lowMs"), x2: { field: "highMs" }, y: mb, color: series },
          },
          { mark: { type: "line", strokeWidth: 1.5 }, encoding: { x: timeX("atMs"), y: mb, color: series } },
          {
            name: "points",
            mark: { type: "point", filled: true, size: 30 },
            encoding: {
              x: timeX("atMs"),
              y: mb,
              color: series,
              tooltip: [{ field: "series", title: "series" }, { field: "valueText", title: "used" }, { field: "atText", title: "at" }],
            },
          },
        ],
      },
    ],
  };
}

const SPECS: Record<ChartName, () => TopLevelSpec> = { gantt: ganttSpec, durations: durationsSpec, memory: memorySpec };

export const CONFIG = {
  font: "system-ui, -apple-system, 'Segoe UI', sans-serif",
  view: { stroke: "#ccc" },
  legend: { orient: "top", labelFontSize: 11 },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: "normal" },
} as const;

/** Vega-Lite's warnings about a spec (a warning here is our bug: the specs do not depend on the data). */
export interface CompileLog {
  warnings: string[];
}

let compiled: Record<ChartName, VegaSpec> | null = null;

/** The three chart templates as Vega specs, compiled once per process (again when `log` is given, to collect warnings). */
export function compileChartSpecs(log?: CompileLog): Record<ChartName, VegaSpec> {
  if (compiled !== null && log === undefined) return compiled;
  compiled = compileTemplates(SPECS, log);
  return compiled;
}

/** Vega-Lite templates compiled to Vega with the reports' config; warnings go to `log`. */
export function compileTemplates<N extends string>(specs: Record<N, () => TopLevelSpec>, log?: CompileLog): Record<N, VegaSpec> {
  const logger = makeLogger(log ?? { warnings: [] });
  const out = {} as Record<N, VegaSpec>;
  for (const name of Object.keys(specs) as N[]) {
    const spec = compile({ ...specs[name](), config: CONFIG }, { logger }).spec;
    // A schema URL is not a fetch, but the page should name no network address at all.
    delete spec.$schema;
    out[name] = spec;
  }
  return out;
}

type Logger = NonNullable<NonNullable<Parameters<typeof compile>[1]>["logger"]>;

/** Collects warnings; an error in a static spec is our bug, so it throws. */
export function makeLogger(log: CompileLog): Logger {
  let level = 2;
  const logger: Logger = {
    level: ((value?: number) => {
      if (value === undefined) return level;
      level = value;
      return logger;
    }) as Logger["level"],
    warn(...args: readonly unknown[]) {
      log.warnings.push(args.map(String).join(" "));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
    error(...args: readonly unknown[]) {
      throw new Error(args.map(String).join(" "));
    },
  };
  return logger;
}
