// The JSON Schemas the project publishes under schemas/ (a development tool:
// `npm run schema` writes them, a test checks the committed ones are current).
// The event-log schema is written by hand beside its types; the profile
// schema is generated from the types in src/model/profile.ts, comments included.

import { createGenerator } from "ts-json-schema-generator";
import { join } from "node:path";
import { eventLogLineSchema } from "../src/model/event-log-schema.js";

export function generateSchemas(root: string): Record<string, unknown> {
  const profile = createGenerator({
    path: join(root, "src/model/profile.ts"),
    tsconfig: join(root, "tsconfig.json"),
    type: "Analysis",
    expose: "export",
    topRef: true,
    jsDoc: "extended",
    skipTypeCheck: true,
  }).createSchema("Analysis");
  return {
    "event-log.v1.schema.json": eventLogLineSchema,
    "profile.v1.schema.json": {
      ...profile,
      $id: "https://comfyprof.dev/schemas/profile.v1.schema.json",
      title: "comfyprof analyze --json output, schemaVersion 1.x",
    },
  };
}
