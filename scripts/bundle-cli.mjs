// Bundles the command line (dist/pipelines/cli.js, compiled by tsc) into dist/cli/ and makes its code cache:
//   comfyprof.cjs        the command line, every command, one CommonJS file (ASCII, no comments)
//   comfyprof.cjs.cache  V8's bytecode for it after a run of `analyze` (bin/load-cli.cjs reads it)
//   vega-lite.cjs        Vega-Lite's compiler, loaded only by the HTML reports
// Why one CommonJS file: Node 20 reads an ES module file by file (resolve, read, compile; unbundled,
// yargs alone took 60–100 ms) and has no compile cache; a script compiled with vm.Script can take
// V8's code cache. One-run analyze 0.18 → 0.12 s (docs/performance.md "Start-up", docs/decisions.md).
// The library (dist/api.js) is not bundled.

import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const asciiWidth = fileURLToPath(new URL("./string-width-ascii.mjs", import.meta.url));
const bundle = `${root}dist/cli/comfyprof.cjs`;
// Any real recording: its run compiles what every analyze needs (the fold, analysis, text report, arquero).
const WARM_UP = ["analyze", `${root}samples/recordings/benchmark/run.ndjson`];

/** `string-width` → scripts/string-width-ascii.mjs, for every importer but that module itself (its fallback). */
const narrowStringWidth = {
  name: "string-width-ascii",
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) => (args.importer === asciiWidth ? undefined : { path: asciiWidth }));
  },
};

/** vega-canvas's Node build awaits the optional `canvas` package at top level, which CommonJS cannot; nothing draws in Node, and without `canvas` both builds give no canvas. */
const browserCanvas = {
  name: "vega-canvas-browser",
  setup(b) {
    b.onResolve({ filter: /^vega-canvas$/ }, () => ({ path: fileURLToPath(new URL("../node_modules/vega-canvas/build/vega-canvas.browser.js", import.meta.url)) }));
  },
};

/** Vega-Lite (1.3 MB) in its own file, required when an HTML report is made: the other commands do not read it. */
const vegaLiteApart = {
  name: "vega-lite-apart",
  setup(b) {
    b.onResolve({ filter: /^vega-lite$/ }, () => ({ path: "./vega-lite.cjs", external: true }));
  },
};

/**
 * DuckDB's binding is CommonJS and loaded with import() when a Parquet command runs; a script compiled by
 * vm.Script cannot import() on Node 20 ("A dynamic import callback was not specified"): require it instead.
 */
const requireDuckDb = {
  name: "duckdb-by-require",
  setup(b) {
    b.onResolve({ filter: /^@duckdb\// }, (args) =>
      args.namespace === "duckdb-by-require" ? { path: args.path, external: true } : { path: args.path, namespace: "duckdb-by-require" },
    );
    b.onLoad({ filter: /.*/, namespace: "duckdb-by-require" }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: "js" }));
  },
};

const common = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // No comments and ASCII only: the loader reads the file as latin1, one byte a character, in a few ms.
  minifyWhitespace: true,
  charset: "ascii",
  logLevel: "warning",
};

rmSync(`${root}dist/cli`, { recursive: true, force: true });

await build({
  ...common,
  stdin: { contents: 'export { compile } from "vega-lite";', resolveDir: root, loader: "js" },
  outfile: `${root}dist/cli/vega-lite.cjs`,
  plugins: [browserCanvas],
});

await build({
  ...common,
  entryPoints: [`${root}dist/pipelines/cli.js`],
  outfile: bundle,
  // ws loads optional native add-ons by name (record and replay only); DuckDB is a native add-on per
  // platform (export, query and --parquet only, required when they run: requireDuckDb).
  external: ["ws"],
  // The bundle finds package.json and the vega browser builds from its own place, dist/cli/, as dist/<dir>/ did.
  define: { "import.meta.url": "__comfyprofModuleUrl" },
  banner: { js: 'const __comfyprofModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [narrowStringWidth, browserCanvas, vegaLiteApart, requireDuckDb],
});

const nonAscii = readFileSync(bundle).findIndex((byte) => byte > 0x7f);
if (nonAscii >= 0) throw new Error(`dist/cli/comfyprof.cjs has a non-ASCII byte at ${nonAscii}: escape it in the source (bin/load-cli.cjs reads latin1)`);

// The cache is made in a child with a clean NODE_OPTIONS: V8 rejects a cache made under other flags.
const warm = spawnSync(
  process.execPath,
  [
    "-e",
    `const { compileCli } = require(${JSON.stringify(`${root}bin/load-cli.cjs`)});
     const cli = compileCli({ useCache: false });
     cli.run().main(${JSON.stringify(WARM_UP)}).then((code) => {
       if (code !== 0) process.exit(10 + code);
       require("node:fs").writeFileSync(${JSON.stringify(`${bundle}.cache`)}, cli.cacheData());
     });`,
  ],
  { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_OPTIONS: "" } },
);
if (warm.status !== 0) throw new Error(`making the code cache: \`comfyprof ${WARM_UP.join(" ")}\` exited with ${warm.status}`);
