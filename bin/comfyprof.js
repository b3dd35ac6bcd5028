#!/usr/bin/env node
// The command line is bundled (scripts/bundle-cli.mjs): one file to read at start-up, each command's work loaded when it runs.
import { installCrashHandlers, main } from "../dist/cli/comfyprof.js";

const argv = process.argv.slice(2);
installCrashHandlers(argv);
main(argv).then((code) => {
  process.exitCode = code;
});
