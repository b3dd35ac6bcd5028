import { eventLogLineSchema } from "./event-log-schema.js";

/** Every JSON Schema the project publishes under schemas/, by file name. */
export const PUBLISHED_SCHEMAS: Record<string, unknown> = {
  "event-log.v1.schema.json": eventLogLineSchema,
};
