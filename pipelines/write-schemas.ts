// `npm run schema`: writes schemas/*.json from their sources (see schemas.ts).

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateSchemas } from "./schemas.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
mkdirSync(join(root, "schemas"), { recursive: true });
for (const [file, schema] of Object.entries(generateSchemas(root))) {
  writeFileSync(join(root, "schemas", file), `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote schemas/${file}\n`);
}
