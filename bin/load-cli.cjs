// Compiles the bundled command line (dist/cli/comfyprof.cjs, scripts/bundle-cli.mjs) with the V8 code
// cache the build made beside it. Node 20 has no compile cache of its own (module.enableCompileCache
// is Node 22): without one, V8 parses ~1 MB of JavaScript and then compiles each function it calls,
// ~50 ms of a one-run analyze (docs/performance.md "Start-up"). The cache holds the bytecode of every
// function a run of `analyze` compiled.
//
// V8 checks the cache's version and flags, but only the length of the source: the cache file starts
// with the SHA-1 of the source it was made from, so a cache from another build is never used. A
// missing, stale or rejected cache only costs time: the source is compiled as usual.

"use strict";
const { hash } = require("node:crypto");
const { readFileSync } = require("node:fs");
const { createRequire, wrap } = require("node:module");
const { dirname, join } = require("node:path");
const vm = require("node:vm");

const HASH_BYTES = 20;
const DEFAULT_BUNDLE = join(__dirname, "..", "dist", "cli", "comfyprof.cjs");

/**
 * @param {{ bundle?: string, useCache?: boolean }} [options]
 * @returns {{ script: vm.Script, cache: "accepted" | "rejected" | "stale" | "missing" | "unused", cacheData: () => Buffer, run: () => any }}
 */
function compileCli(options = {}) {
  const bundle = options.bundle ?? DEFAULT_BUNDLE;
  const bytes = readFileSync(bundle);
  const sourceHash = hash("sha1", bytes, "buffer");
  let cache = "unused";
  let cachedData;
  if (options.useCache !== false) {
    try {
      const file = readFileSync(`${bundle}.cache`);
      if (file.length > HASH_BYTES && sourceHash.equals(file.subarray(0, HASH_BYTES))) cachedData = file.subarray(HASH_BYTES);
      else cache = "stale";
    } catch {
      cache = "missing";
    }
  }
  // The build keeps the bundle ASCII (escaped, comments dropped): latin1 is then exact, and V8 keeps one byte a character.
  const script = new vm.Script(wrap(bytes.toString("latin1")), {
    filename: bundle,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData) cache = script.cachedDataRejected ? "rejected" : "accepted";
  return {
    script,
    cache,
    /** The cache file's content for this source, with the bytecode of every function compiled so far. */
    cacheData: () => Buffer.concat([sourceHash, script.createCachedData()]),
    run() {
      const module = { exports: {} };
      script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
      return module.exports;
    },
  };
}

module.exports = { compileCli, DEFAULT_BUNDLE };
