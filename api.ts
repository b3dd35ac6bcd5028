// What `import { … } from "comfyprof"` gives: the pure core (src/index.ts)
// plus the edges: reading log files, recording, the protocol (replay) server
// and the report renderers.

export * from "./src/index.js";
export { analyzeFiles, type AnalyzeFilesOptions, type LogRefusal } from "./pipelines/analyze.js";
export { readLog, readLogLines, collectLog } from "./pipelines/read-log.js";
export { record, DEFAULT_RECORD_OPTIONS, EXIT_CODES, type RecordOptions, type RecordIO, type RecordResult } from "./recorder/record.js";
export { openSink, type LogSink } from "./recorder/log-writer.js";
export { parseWorkflow, prepareRun, WorkflowError } from "./recorder/workflow.js";
export { startProtocolServer, type ProtocolServer, type ProtocolServerOptions, type RunScript } from "./pipelines/replay/protocol-server.js";
export { renderTerminalReport, type TerminalOptions } from "./reports/terminal.js";
export { renderJsonReport } from "./reports/json.js";
