// Small checks for parsed JSON, shared by the line parsers: is it an object,
// does it have these fields of these types. A failed check is a sentence
// fragment (`"plan.runs" should be an integer, not a string`) that
// messages.ts puts into a diagnostic.

export type JsonObject = Record<string, unknown>;

/** Why a line could not be used; the state machine in index.ts turns it into a diagnostic. */
export type LineProblem =
  | { code: "corrupt-line"; jsonError: string }
  | { code: "not-json-object"; got: string }
  | { code: "invalid-line-shape"; lineKind: string; detail: string }
  | { code: "unknown-format"; format: unknown }
  | { code: "unknown-major-version"; version: string };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "an array", "a string", "null": for messages. */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value === undefined) return "missing";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

/** A finite number, else null. */
export function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** A string id, or a number id made a string (some extensions send numbers); else null. */
export function idOrNull(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

/** The ids in an array (strings, or numbers made strings); anything else gives []. */
export function idList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const ids: string[] = [];
  for (const item of value) {
    const id = idOrNull(item);
    if (id !== null) ids.push(id);
  }
  return ids;
}

type JsonType = "string" | "number" | "integer" | "boolean" | "object" | "array" | "null" | "any";

/** What a field must be: one of `types`, or one of `values`; `optional` fields are checked only when present. */
export interface FieldRule {
  types: readonly JsonType[];
  values?: readonly string[];
  optional?: boolean;
}

export const required = (...types: JsonType[]): FieldRule => ({ types });
export const optional = (...types: JsonType[]): FieldRule => ({ types, optional: true });
export const oneOf = (values: readonly string[], opts: { optional?: boolean } = {}): FieldRule => ({
  types: ["string"],
  values,
  optional: opts.optional ?? false,
});

/** Field paths (dotted for nested objects: "plan.runs") to the rule each must meet. */
export type FieldRuleSpec = Readonly<Record<string, FieldRule>>;

/** A FieldRuleSpec made ready for checking many lines (paths split once). */
export type FieldRules = readonly { path: string; keys: readonly string[]; rule: FieldRule }[];

export function fieldRules(spec: FieldRuleSpec): FieldRules {
  return Object.entries(spec).map(([path, rule]) => ({ path, keys: path.split("."), rule }));
}

function hasType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case "any":
      return value !== undefined;
    case "null":
      return value === null;
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "object":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    default:
      return typeof value === type;
  }
}

/** A loop, not `types.some(…)`: this runs for every field of every line, and the closure was 4 % of what `analyze` allocated. */
function hasAnyType(value: unknown, types: readonly JsonType[]): boolean {
  for (const type of types) if (hasType(value, type)) return true;
  return false;
}

function lookUp(raw: JsonObject, keys: readonly string[]): unknown {
  let value: unknown = raw;
  for (const key of keys) {
    if (!isObject(value)) return undefined;
    value = value[key];
  }
  return value;
}

function article(type: JsonType): string {
  if (type === "null" || type === "any") return type === "null" ? "null" : "any value";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The first field that breaks its rule, as a fragment; null when all hold. */
export function findFieldProblem(raw: JsonObject, rules: FieldRules): string | null {
  for (const { path, keys, rule } of rules) {
    const value = lookUp(raw, keys);
    if (value === undefined) {
      if (rule.optional) continue;
      return `"${path}" is missing`;
    }
    if (!hasAnyType(value, rule.types)) {
      return `"${path}" should be ${rule.types.map(article).join(" or ")}, not ${describeJson(value)}`;
    }
    if (rule.values && !rule.values.includes(value as string)) {
      return `"${path}" should be one of ${rule.values.map((v) => JSON.stringify(v)).join(", ")}, not ${JSON.stringify(value)}`;
    }
  }
  return null;
}

/** Receipt times every line carries. */
export const STAMP_RULES: FieldRuleSpec = { wallMs: required("number"), monoMs: required("number") };
