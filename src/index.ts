// The pure core of comfyprof: parse event-log lines, fold them into run
// timelines, analyze them into profiles. No file system, network, clock or
// console here; api.ts adds the edges (files, recording, replay, reports).

export * from "./model/events.js";
export * from "./model/server-events.js";
export * from "./model/profile.js";
export * from "./model/diagnostic.js";
export { eventLogLineSchema } from "./model/event-log-schema.js";
export { createLogParser, parseLogLine, checkLogVersion, parseHeader, parseWsMessage, LogFormatError } from "./ingest/index.js";
export { SessionBuilder, buildRunTimelines, type SessionResult } from "./fold/index.js";
export { analyzeRun, analyzeTimelines, type AnalyzeOptions } from "./analysis/index.js";
export { findCriticalPath, classifyParallelizability } from "./analysis/critical-path.js";
export { buildWorkflowGraph } from "./analysis/workflow-graph.js";
export { findBottlenecks } from "./analysis/bottlenecks.js";
export { RULES as RECOMMENDATION_RULES, recommend, type RecommendationRule } from "./analysis/recommendations.js";
export { summarizeNodeTypes } from "./analysis/node-types.js";
export { escapeTerminal, escapeHtml } from "./text/escape.js";
export * from "./convert/index.js";
