#!/usr/bin/env node
import { installCrashHandlers, main } from "../dist/pipelines/cli.js";

const argv = process.argv.slice(2);
installCrashHandlers(argv);
main(argv).then((code) => {
  process.exitCode = code;
});
