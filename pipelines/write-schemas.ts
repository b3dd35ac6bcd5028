// Writes the published JSON Schemas from their sources in src/model/.
// `npm run schema`; a test fails when the committed files are out of date.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PUBLISHED_SCHEMAS } from "../src/model/schemas.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
for (const [file, schema] of Object.entries(PUBLISHED_SCHEMAS)) {
  const path = join(root, "schemas", file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote ${path}\n`);
}
