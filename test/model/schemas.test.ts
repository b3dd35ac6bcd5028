import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PUBLISHED_SCHEMAS } from "../../src/model/schemas.js";

describe("model/schemas", () => {
  for (const [file, schema] of Object.entries(PUBLISHED_SCHEMAS)) {
    it(`schemas/${file} is the one generated from src/model (run npm run schema after a change)`, () => {
      const committed = JSON.parse(readFileSync(new URL(`../../schemas/${file}`, import.meta.url), "utf8"));
      expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
    });
  }
});
