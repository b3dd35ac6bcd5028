#!/usr/bin/env node
// The command line, bundled into one file (scripts/bundle-cli.mjs) and compiled from its code cache
// (load-cli.cjs). CommonJS (bin/package.json says so; the name stays .js so that npm's bin links and
// npx's cached installs keep finding it): an ES module entry would start Node's module loader, ~5 ms of every run.
"use strict";
const { compileCli } = require("./load-cli.cjs");

const { installCrashHandlers, main } = compileCli().run();
const argv = process.argv.slice(2);
installCrashHandlers(argv);
main(argv).then((code) => {
  process.exitCode = code;
});
