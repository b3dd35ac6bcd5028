// The JSON report: the Analysis as is (schemas/profile.v1.schema.json).

import type { Analysis } from "../src/model/profile.js";

export function renderJsonReport(analysis: Analysis): string {
  return `${JSON.stringify(analysis, null, 2)}\n`;
}
