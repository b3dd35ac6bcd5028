// Bundles the command line (dist/pipelines/cli.js, compiled by tsc) into dist/cli/: one small entry
// with yargs and the commands' options, and a chunk per command's work, loaded when it runs.
// Node 20 reads an ES module file by file (resolve, read, compile): unbundled, yargs alone took
// 60–100 ms and arquero 85–110 ms before a byte of the log was read; bundled, 32 and 16 ms
// (docs/performance.md "Start-up", docs/decisions.md). The library (dist/api.js) is not bundled.

import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const asciiWidth = fileURLToPath(new URL("./string-width-ascii.mjs", import.meta.url));

/** `string-width` → scripts/string-width-ascii.mjs, for every importer but that module itself (its fallback). */
const narrowStringWidth = {
  name: "string-width-ascii",
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) => (args.importer === asciiWidth ? undefined : { path: asciiWidth }));
  },
};

// Chunk names carry a hash: without this, every build's chunks would pile up beside the new ones.
rmSync("dist/cli", { recursive: true, force: true });

await build({
  entryPoints: { comfyprof: "dist/pipelines/cli.js" },
  outdir: "dist/cli",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // ws loads optional native add-ons by name (record and replay only); DuckDB is a native add-on per
  // platform (export, query and --parquet only, imported when they run).
  external: ["ws", "@duckdb/*"],
  // Bundled CommonJS packages (yargs' helpers, vega's) call require(): give them one.
  banner: { js: 'import { createRequire as __comfyprofRequire } from "node:module"; const require = __comfyprofRequire(import.meta.url);' },
  plugins: [narrowStringWidth],
  logLevel: "warning",
});
