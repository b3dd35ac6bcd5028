// The fold: a log's typed events, in order → one RunTimeline per prompt.

import type { LogEvent } from "../model/server-events.js";
import { SessionBuilder, type SessionResult } from "./session.js";

export { SessionBuilder, type SessionResult } from "./session.js";

/** Folds a whole log held in memory (the streaming form is SessionBuilder.apply). */
export function buildRunTimelines(events: Iterable<LogEvent>, file: string): SessionResult {
  const session = new SessionBuilder(file);
  for (const e of events) session.apply(e);
  return session.finish();
}
