// The many-runs page's overview charts, Vega-Lite compiled to Vega in Node as
// the per-run ones are (reports/html-specs.ts): the run-time histogram per
// workflow and cache state, and a box per node type. Their rows are computed
// in src/analysis/run-overview.ts (bins, quartiles): the page carries a few
// hundred numbers whatever the number of runs.

import type { TopLevelSpec } from "vega-lite";
import type { Spec as VegaSpec } from "vega";
import { compileTemplates, tooltips, type CompileLog } from "./html-specs.js";

export type OverviewChartName = "histogram" | "boxes";

const WIDTH = 700;

function histogramSpec(): TopLevelSpec {
  return {
    data: { name: "histogram" },
    facet: { row: { field: "groupTitle", type: "nominal", title: null, sort: { field: "order", op: "min" }, header: { labelAngle: 0, labelAlign: "left", labelAnchor: "start", labelLimit: 500, labelFontSize: 12, labelPadding: 2 } } },
    spacing: 10,
    resolve: { scale: { y: "independent" } },
    spec: {
      width: WIDTH,
      height: 60,
      layer: [
        {
          name: "bins",
          mark: { type: "rect", color: "#4c78a8", stroke: "#ffffff", strokeWidth: 0.5 },
          encoding: {
            x: { field: "fromMs", type: "quantitative", title: "execution time (ms, log scale)", scale: { type: "log" }, axis: { format: ",~g", grid: true } },
            x2: { field: "toMs" },
            y: { field: "count", type: "quantitative", title: "runs", axis: { tickCount: 2 } },
            y2: { datum: 0 },
            tooltip: [{ field: "group", title: "workflow · cache state" }, { field: "rangeText", title: "execution time" }, { field: "count", title: "runs" }],
          },
        },
      ],
    },
  };
}

function boxesSpec(): TopLevelSpec {
  const y = { field: "classType", type: "nominal", sort: { field: "order", op: "min" }, axis: { title: null, labelLimit: 260, labelFontSize: 11 } } as const;
  const x = (field: string) => ({ field, type: "quantitative", title: "executed node time (ms, log scale)", scale: { type: "log" }, axis: { grid: true, format: ",~g" } }) as const;
  const tooltip = tooltips({ classType: "node type", count: "executions", minText: "min", q1Text: "q1", medianText: "median", q3Text: "q3", maxText: "max" });
  return {
    data: { name: "boxes" },
    width: WIDTH,
    height: { step: 18 },
    encoding: { y },
    layer: [
      { name: "whiskers", mark: { type: "rule", color: "#666" }, encoding: { x: x("minMs"), x2: { field: "maxMs" }, tooltip } },
      { name: "boxes", mark: { type: "bar", color: "#9ecae9", stroke: "#4c78a8", size: 12 }, encoding: { x: x("q1Ms"), x2: { field: "q3Ms" }, tooltip } },
      { name: "medians", mark: { type: "tick", color: "#1d1d1f", thickness: 2, size: 12 }, encoding: { x: x("medianMs"), tooltip } },
    ],
  };
}

const SPECS: Record<OverviewChartName, () => TopLevelSpec> = { histogram: histogramSpec, boxes: boxesSpec };

let compiled: Record<OverviewChartName, VegaSpec> | null = null;

/** The overview chart templates as Vega specs, compiled once per process (again when `log` is given). */
export function compileOverviewSpecs(log?: CompileLog): Record<OverviewChartName, VegaSpec> {
  if (compiled !== null && log === undefined) return compiled;
  compiled = compileTemplates(SPECS, log);
  return compiled;
}
