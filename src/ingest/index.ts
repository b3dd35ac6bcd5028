// Ingest: log lines → typed LogEvents plus diagnostics. `parseLogLine`
// (parse-line.ts) is the one dispatcher: which parser reads which line;
// `createLogParser` (log-parser.ts) is the state machine over a whole log
// (header first, strict or lenient, counting, what a cut recording looks like).
// Pure: lines in, values out; the edge (pipelines/read-log.ts) reads files and prints.

import { LogLineParser, type LogParser, type LogParserOptions } from "./log-parser.js";

export type { LogEnd, LogParser, LogParserOptions, LogParseSummary } from "./log-parser.js";

export { LogFormatError } from "./log-format-error.js";
export { checkLogVersion, parseHeader, type LogVersion, type VersionCheck } from "./header.js";
export { parseWsMessage } from "./ws-message.js";
export { isBlank, parseLogLine, type LineOutcome } from "./parse-line.js";

/** The parser of one whole log. */
export function createLogParser(options: LogParserOptions): LogParser {
  return new LogLineParser(options);
}
