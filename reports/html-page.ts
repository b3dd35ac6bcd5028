// The HTML report's page shell: stylesheet, Content-Security-Policy, the
// inlined libraries and the small script that picks a run and embeds its
// charts. Everything is in the one file (clinic's way): it opens offline.
//
// Two rules keep log text inert:
//  * the data goes in `<script type="application/json">` with every `<`
//    written as \u003c, so no `</script>` or `<!--` can appear in it;
//  * the CSP allows only the scripts written here, by their SHA-256, so even
//    markup that slipped through escaping could not run a script.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** A library's browser build, from its package's `exports` entry (the packages export no subpaths). */
export function readBrowserBuild(pkg: "vega" | "vega-embed" | "vega-lite", file: string): string {
  const entry = createRequire(import.meta.url).resolve(pkg);
  return readFileSync(join(dirname(entry), file), "utf8");
}

/**
 * Makes JavaScript safe inside an inline <script>: `</script` would end the
 * element and `<!--` changes how the HTML parser reads up to it. `\x3C` is `<`
 * in strings, template literals and regular expressions alike. Source map
 * comments are dropped so nothing asks for a file beside the page.
 */
export function inlineScript(js: string): string {
  return js.replace(/<(\/script|!--)/gi, "\\x3C$1").replace(/^\/\/# sourceMappingURL=.*$/gm, "");
}

/** JSON for a `<script type="application/json">` block: `<` as \u003c (and the two JS line separators escaped, for any later eval-free reuse). */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

export interface PageParts {
  title: string;
  /** Body HTML, already escaped. */
  body: string;
  /** The report's data (chart specs and rows). */
  data: unknown;
  /** Library scripts, in load order. */
  libraries: string[];
  /** The page's own script: the analyze report's (runs, picker) by default; CHARTS_SCRIPT for pages of charts only. */
  script?: string;
}

export function renderPage(parts: PageParts): string {
  const scripts = [...parts.libraries.map(inlineScript), inlineScript(parts.script ?? PAGE_SCRIPT)];
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(" ")}`,
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${parts.title}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    parts.body,
    `<script type="application/json" id="comfyprof-data">${inlineJson(parts.data)}</script>`,
    ...scripts.map((s) => `<script>${s}</script>`),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

const STYLE = `
:root { color-scheme: light; --fg: #1d1d1f; --dim: #5f6368; --line: #d9dce1; --bad: #b3261e; --ok: #1e6b34; --bg-alt: #f6f7f9; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); margin: 0 auto; padding: 1.5rem 1.25rem 4rem; max-width: 1100px; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .25rem; padding-top: .75rem; border-top: 2px solid var(--line); }
h3 { font-size: 1.02rem; margin: 1.6rem 0 .4rem; }
h4 { font-size: .95rem; margin: .8rem 0 .3rem; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .86em; }
pre { background: var(--bg-alt); padding: .6rem .8rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
pre.error { border-left: 4px solid var(--bad); }
table { border-collapse: collapse; margin: .4rem 0 .8rem; font-size: .88rem; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .6rem .25rem 0; text-align: left; vertical-align: top; }
th { font-weight: 600; border-bottom-width: 2px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.meta, .dim, .caption { color: var(--dim); }
.caption { font-size: .86rem; max-width: 60rem; }
.note { background: var(--bg-alt); padding: .4rem .7rem; border-left: 3px solid var(--line); }
.status { font-size: .8rem; padding: .05rem .45rem; border-radius: 3px; border: 1px solid currentColor; white-space: nowrap; }
.status.ok { color: var(--ok); } .status.bad { color: var(--bad); }
.badge { font-size: .75rem; padding: .05rem .45rem; border-radius: 3px; background: #fff3cd; color: #6b4e00; white-space: nowrap; }
.band { font-weight: 600; } .band-high { color: var(--ok); } .band-low { color: var(--dim); }
dl.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .5rem 1.2rem; margin: .8rem 0; }
dl.summary div { border-left: 3px solid var(--line); padding-left: .55rem; }
dl.summary dt { font-size: .78rem; color: var(--dim); }
dl.summary dd { margin: 0; font-variant-numeric: tabular-nums; }
ol.path li, ul.recs li { margin: .15rem 0; }
.chart { overflow-x: auto; min-height: 2rem; }
.run-picker { display: none; margin: 1rem 0; padding: .6rem .8rem; background: var(--bg-alt); }
.run-picker select { font: inherit; padding: .15rem .3rem; max-width: 100%; }
.js .run-picker { display: block; }
.js .nojs { display: none; }
.js section.run { display: none; }
.js section.run.current { display: block; }
#vg-tooltip-element { font-size: 12px; }
`;

/** The page's own script: ES2017, no modules, no network. */
const PAGE_SCRIPT = `(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("comfyprof-data").textContent);
  document.documentElement.classList.add("js");
  var select = document.getElementById("run-select");
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.run"));
  var has = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };
  function fill(spec, data) {
    var copy = JSON.parse(JSON.stringify(spec));
    copy.data.forEach(function (d) { if (has(data.datasets, d.name)) d.values = data.datasets[d.name]; });
    (copy.signals || []).forEach(function (s) { if (has(data.signals, s.name)) s.value = data.signals[s.name]; });
    return copy;
  }
  function embed(el) {
    if (el.getAttribute("data-state")) return;
    el.setAttribute("data-state", "loading");
    var run = el.getAttribute("data-run");
    var kind = el.getAttribute("data-chart");
    // Overview charts (many runs) draw the whole log; the others one run.
    var data = run === null ? payload.overview[kind] : payload.runs[run][kind];
    var spec = fill(payload.specs[kind], data);
    var options = { mode: "vega", renderer: "svg", ast: true, downloadFileName: "comfyprof-" + kind + (run === null ? "" : "-" + (Number(run) + 1)),
      actions: { export: true, source: false, compiled: false, editor: false } };
    vegaEmbed(el, spec, options).then(function () {
      el.setAttribute("data-state", "rendered");
    }).catch(function (err) {
      el.setAttribute("data-state", "failed");
      el.textContent = "Could not draw this chart: " + err;
      console.error(err);
    });
  }
  function show(index) {
    index = String(index);
    sections.forEach(function (s) { s.classList.toggle("current", s.getAttribute("data-run") === index); });
    if (select) select.value = index;
    var current = document.getElementById("run-" + index);
    if (current) Array.prototype.forEach.call(current.querySelectorAll(".chart"), embed);
  }
  function fromHash() {
    var m = /^#run-(\\d+)$/.exec(location.hash);
    if (m && document.getElementById("run-" + m[1])) { show(m[1]); return true; }
    return false;
  }
  if (select) select.addEventListener("change", function () {
    show(select.value);
    try { history.replaceState(null, "", "#run-" + select.value); } catch (e) { /* file: URLs may refuse; the view has changed anyway */ }
  });
  window.addEventListener("hashchange", fromHash);
  Array.prototype.forEach.call(document.querySelectorAll(".chart[data-overview]"), embed);
  if (!fromHash()) show(payload.initialRun);
})();
`;

/**
 * The script of a page of charts only (compare, trend): every `.chart[data-key]`
 * gets `payload.charts[key]`, a compiled Vega spec with its values inline.
 */
export const CHARTS_SCRIPT = `(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("comfyprof-data").textContent);
  document.documentElement.classList.add("js");
  Array.prototype.forEach.call(document.querySelectorAll(".chart[data-key]"), function (el) {
    var key = el.getAttribute("data-key");
    el.setAttribute("data-state", "loading");
    vegaEmbed(el, payload.charts[key], { mode: "vega", renderer: "svg", ast: true, downloadFileName: "comfyprof-" + key,
      actions: { export: true, source: false, compiled: false, editor: false } }).then(function () {
      el.setAttribute("data-state", "rendered");
    }).catch(function (err) {
      el.setAttribute("data-state", "failed");
      el.textContent = "Could not draw this chart: " + err;
      console.error(err);
    });
  });
})();
`;
