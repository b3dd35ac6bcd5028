// `comfyprof analyze`: read → parse → build → analyze, one log at a time,
// streaming: each prompt becomes its profile as soon as it finishes, so memory
// is bounded by the prompts in flight, not by the file size (docs/performance.md).
// Rendering is the caller's (the CLI, or a library user).

import type { Analysis, RunProfile, RunTimeline } from "../src/model/profile.js";
import { PROFILE_SCHEMA_VERSION } from "../src/model/profile.js";
import type { Diagnostic } from "../src/model/diagnostic.js";
import type { ApiWorkflow } from "../src/model/events.js";
import { SessionBuilder } from "../src/fold/session.js";
import { analyzeRun, nodeTypeRows, type AnalyzeOptions } from "../src/analysis/index.js";
import { NodeCosts } from "../src/analysis/cache-savings.js";
import { summarizeNodeTypes, type NodeDuration } from "../src/analysis/node-types.js";
import { displayName, foldLog } from "./read-log.js";
import { isInputFailure } from "./cli-errors.js";

export interface AnalyzeFilesOptions extends AnalyzeOptions {
  /** Skip corrupt lines with a warning instead of refusing the log. */
  lenient?: boolean;
  /** Where "-" reads from (tests); process.stdin by default. */
  stdin?: NodeJS.ReadableStream;
  /**
   * When set, a log that is refused or cannot be read is passed here, left out
   * of the analysis, and the next log is read; `runsHandedOut` of its runs were
   * already given to `onRun` and are to be dropped. When not set, the first
   * such log throws.
   */
  onLogRefused?: (refusal: LogRefusal) => void;
  /** When set, gets each distinct workflow's prompt by its fingerprint (compare pairs variants by them). */
  workflows?: Map<string, ApiWorkflow>;
  /** Called when a log has been read to its end and kept (its runs all handed to `onRun`). */
  onLogRead?: (path: string) => void;
  /** Called with the size of each chunk read from a log, before any gunzip (pipelines/progress.ts). */
  onBytesRead?: (bytes: number) => void;
  /** false: no node-type statistics (`nodeTypes` empty), and no node durations kept for them (export computes its own). */
  nodeTypes?: boolean;
}

export interface LogRefusal {
  /** As the user named it ("-" for stdin). */
  path: string;
  /** A LogFormatError, or the system error that stopped reading (ENOENT, EISDIR, Z_DATA_ERROR…). */
  error: unknown;
  runsHandedOut: number;
}

/** An Analysis but its runs, which analyzeFilesStreaming hands out one by one. */
export type AnalysisRest = Omit<Analysis, "runs">;

/** Analyzes logs (paths, .gz, or "-" for stdin). Throws LogFormatError when a log is refused. */
export async function analyzeFiles(paths: readonly string[], options: AnalyzeFilesOptions = {}): Promise<Analysis> {
  const runs: RunProfile[] = [];
  const onLogRefused = options.onLogRefused;
  const dropping = onLogRefused && {
    ...options,
    onLogRefused: (refusal: LogRefusal) => {
      runs.length -= refusal.runsHandedOut;
      onLogRefused(refusal);
    },
  };
  const rest = await analyzeFilesStreaming(paths, dropping || options, (run) => runs.push(run));
  return withRuns(rest, runs);
}

/** The Analysis, its keys in analyzeTimelines' order (which the JSON report keeps). */
export function withRuns(rest: AnalysisRest, runs: RunProfile[]): Analysis {
  return { schemaVersion: rest.schemaVersion, inputs: rest.inputs, runs, nodeTypes: rest.nodeTypes, diagnostics: rest.diagnostics };
}

/**
 * analyzeFiles without holding the runs: `onRun` gets each run's profile, in
 * the order analyzeFiles lists them, as soon as its prompt has finished; the
 * rest comes when all logs are read. Kept meanwhile: the prompts in flight,
 * the previous run of the log (for the cache rule) and the node-type rows.
 * Throws LogFormatError when a log is refused (after handing out its earlier
 * runs), unless `options.onLogRefused` takes it.
 */
export async function analyzeFilesStreaming(
  paths: readonly string[],
  options: AnalyzeFilesOptions,
  onRun: (run: RunProfile) => void,
): Promise<AnalysisRest> {
  const rows: NodeDuration[] = [];
  let logRows: NodeDuration[] = [];
  let previous: RunTimeline | null = null;
  let costs = new NodeCosts();
  const read = await foldFilesStreaming(paths, options, {
    onLogStart: () => {
      previous = null;
      costs = new NodeCosts();
      logRows = [];
    },
    onTimeline: (timeline) => {
      const profile = analyzeRun(timeline, previous, options, costs);
      previous = timeline;
      if (options.nodeTypes !== false) for (const row of nodeTypeRows(profile)) logRows.push(row);
      onRun(profile);
    },
    onLogKept: () => {
      for (const row of logRows) rows.push(row);
    },
  });
  return { schemaVersion: PROFILE_SCHEMA_VERSION, inputs: read.inputs, nodeTypes: summarizeNodeTypes(rows), diagnostics: read.diagnostics };
}

/** What foldFilesStreaming calls, per log and per run. */
export interface TimelineHandlers {
  onLogStart?: (path: string) => void;
  /** Each run's timeline as soon as its prompt has finished (no analysis: compare and trend need none). */
  onTimeline: (timeline: RunTimeline) => void;
  /** The log was read to its end and kept (a refused one is not). */
  onLogKept?: (path: string) => void;
}

/** The logs folded into run timelines, one by one; their inputs and diagnostics when all are read. */
export async function foldFilesStreaming(
  paths: readonly string[],
  options: AnalyzeFilesOptions,
  handlers: TimelineHandlers,
): Promise<Pick<AnalysisRest, "inputs" | "diagnostics">> {
  const inputs = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    let runsHandedOut = 0;
    handlers.onLogStart?.(path);
    const session = new SessionBuilder(displayName(path), (timeline) => {
      if (options.workflows && !options.workflows.has(timeline.workflow.fingerprint)) options.workflows.set(timeline.workflow.fingerprint, timeline.prompt);
      runsHandedOut++;
      handlers.onTimeline(timeline);
    });
    let read;
    try {
      read = await foldLog(path, { lenient: options.lenient ?? false, stdin: options.stdin, onBytesRead: options.onBytesRead }, (event) => session.apply(event));
    } catch (error) {
      if (!options.onLogRefused || !isInputFailure(error)) throw error;
      options.onLogRefused({ path, error, runsHandedOut });
      continue;
    }
    inputs.push(session.finish().input);
    diagnostics.push(...read.diagnostics);
    handlers.onLogKept?.(path);
    options.onLogRead?.(path);
  }
  return { inputs, diagnostics };
}
