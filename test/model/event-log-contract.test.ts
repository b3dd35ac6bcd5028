// The log contract has one source, the types in src/model/events.ts: the
// published JSON Schema (written beside them by hand) and the fields ingest
// requires of each line must say the same. Checked here against a schema
// generated from the types, kind by kind: required fields, and enum values.

import { fileURLToPath } from "node:url";
import { createGenerator } from "ts-json-schema-generator";
import { describe, expect, it } from "vitest";
import { RULE_SPECS } from "../../src/ingest/log-line.js";
import { eventLogLineSchema } from "../../src/model/event-log-schema.js";
import { LOG_LINE_KINDS } from "../../src/model/events.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

interface Def {
  required?: string[];
  properties?: Record<string, { const?: string; enum?: string[]; $ref?: string }>;
}

const fromTypes = createGenerator({
  path: `${root}src/model/events.ts`,
  tsconfig: `${root}tsconfig.json`,
  type: "LogLine",
  expose: "export",
  topRef: true,
  skipTypeCheck: true,
}).createSchema("LogLine") as { definitions: Record<string, Def & { enum?: string[] }> };

/** Headers are told apart by `source` (since 1.2): the recorder's, the probe's. */
const HEADER_SOURCES = ["recorder", "probe"] as const;
const isVariant = (d: Def, kind: string, source?: string) => d.properties?.kind?.const === kind && (source === undefined || d.properties?.source?.const === source);

/** The generated definition whose `kind` is `kind` (and `source`, for headers). */
function typeDef(kind: string, source?: string): Def {
  const def = Object.values(fromTypes.definitions).find((d) => isVariant(d, kind, source));
  if (!def) throw new Error(`no type in events.ts has kind "${kind}"${source ? ` and source "${source}"` : ""}`);
  return def;
}

const handWritten = (kind: string, source?: string) => (eventLogLineSchema.oneOf as readonly Def[]).find((d) => isVariant(d, kind, source))!;
const sorted = (xs: readonly string[] | undefined) => [...(xs ?? [])].sort();
/** An enum the types give a property, by following its $ref. */
const enumOf = (def: Def, property: string): string[] | undefined => {
  const p = def.properties?.[property];
  if (p?.enum) return p.enum;
  const ref = p?.$ref?.replace("#/definitions/", "");
  return ref ? fromTypes.definitions[ref]?.enum : undefined;
};

describe("model/event-log contract", () => {
  for (const source of HEADER_SOURCES) {
    it(`the ${source}'s header: the schema requires the fields the types require`, () => {
      expect(sorted(handWritten("header", source).required)).toEqual(sorted(typeDef("header", source).required));
    });
  }

  for (const kind of LOG_LINE_KINDS.filter((k) => k !== "header")) {
    it(`"${kind}" lines: the schema requires the fields the types require`, () => {
      expect(sorted(handWritten(kind).required)).toEqual(sorted(typeDef(kind).required));
    });
    it(`"${kind}" lines: ingest requires the same fields (its stamp fields included)`, () => {
      const ingestRequired = Object.entries(RULE_SPECS[kind as Exclude<typeof kind, "header">]).filter(([, rule]) => !rule.optional).map(([field]) => field);
      expect(sorted(["kind", ...ingestRequired])).toEqual(sorted(typeDef(kind).required));
    });
  }

  it("declares each enum once: the schema's and ingest's values are the types'", () => {
    const note = handWritten("note").properties!;
    expect(note.note!.enum).toEqual(enumOf(typeDef("note"), "note"));
    expect(note.cacheState!.enum).toEqual(enumOf(typeDef("note"), "cacheState"));
    expect(handWritten("end").properties!.reason!.enum).toEqual(enumOf(typeDef("end"), "reason"));
    expect(RULE_SPECS.end.reason!.values).toEqual(enumOf(typeDef("end"), "reason"));
  });
});
