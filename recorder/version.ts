import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function findVersion(): string {
  // Compiled code lives one level deeper (dist/recorder) than the source (recorder/).
  for (const path of ["../package.json", "../../package.json"]) {
    try {
      const pkg = require(path) as { name?: string; version?: string };
      if (pkg.name === "comfyprof" && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return "0.0.0";
}

export const RECORDER_VERSION = findVersion();
