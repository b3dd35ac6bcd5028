import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generateSchemas } from "../../pipelines/schemas.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("pipelines/schemas", () => {
  for (const [file, schema] of Object.entries(generateSchemas(root))) {
    it(`schemas/${file} is the one generated from src/model (run npm run schema after a change)`, () => {
      const committed = JSON.parse(readFileSync(`${root}/schemas/${file}`, "utf8"));
      expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
    });
  }
});
