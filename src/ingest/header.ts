// The header line: format, version, then the fields every v1 header has.
// Readers accept any minor of their major (newer minors with a warning, since
// lines or fields they add are skipped) and refuse any other major.

import { LOG_FORMAT, LOG_VERSION } from "../model/events.js";
import { subgraphInstanceNames } from "../convert/subgraph-names.js";
import type { HeaderEvent } from "../model/server-events.js";
import { CACHE_STATES, PROBE_FILE_REASONS } from "../model/events.js";
import { fieldRules, findFieldProblem, oneOf, required, STAMP_RULES, type JsonObject, type LineProblem } from "./shape.js";

export interface LogVersion {
  major: number;
  minor: number;
}

export type VersionCheck =
  /** Our major, our minor or an older one: read silently. */
  | { status: "ok"; version: LogVersion }
  /** Our major, a newer minor: read, with a warning. */
  | { status: "newer-minor"; version: LogVersion }
  /** Another major: refused. */
  | { status: "unknown-major"; version: LogVersion }
  /** Not a "major.minor" string. */
  | { status: "bad"; detail: string };

const VERSION_PATTERN = /^(\d{1,6})\.(\d{1,6})$/;

export function checkLogVersion(version: unknown): VersionCheck {
  if (typeof version !== "string") return { status: "bad", detail: `"version" should be a string, not ${JSON.stringify(version) ?? "missing"}` };
  const match = VERSION_PATTERN.exec(version);
  if (!match) return { status: "bad", detail: `"version" should be "major.minor", not ${JSON.stringify(version)}` };
  const parsed = { major: Number(match[1]), minor: Number(match[2]) };
  if (parsed.major !== LOG_VERSION.major) return { status: "unknown-major", version: parsed };
  if (parsed.minor > LOG_VERSION.minor) return { status: "newer-minor", version: parsed };
  return { status: "ok", version: parsed };
}

const HEADER_RULES = fieldRules({
  ...STAMP_RULES,
  "recorder.name": required("string"),
  "recorder.version": required("string"),
  "recorder.node": required("string"),
  serverUrl: required("string"),
  clientId: required("string"),
  "workflow.sourceName": required("string", "null"),
  "workflow.prompt": required("object"),
  "plan.runs": required("integer"),
  "plan.warmup": required("integer"),
  "plan.cacheState": oneOf(CACHE_STATES),
  "plan.pollMs": required("number"),
  "plan.keepPreviews": required("boolean"),
  "plan.timeoutMs": required("number", "null"),
  "plan.interruptOnExit": required("boolean"),
  "host.timeZone": required("string"),
  "host.utcOffsetMin": required("number"),
  "host.platform": required("string"),
  label: required("string", "null"),
});

/** A probe's header (since v1.2): the server it runs in, its clocks and settings, which file of its series this is. */
const PROBE_HEADER_RULES = fieldRules({
  ...STAMP_RULES,
  "recorder.name": required("string"),
  "recorder.version": required("string"),
  "server.hostname": required("string"),
  "server.pid": required("integer"),
  "server.address": required("string", "null"),
  "server.port": required("integer", "null"),
  "server.comfyuiVersion": required("string", "null"),
  "server.python": required("string"),
  "server.argv": required("array"),
  "host.timeZone": required("string"),
  "host.utcOffsetMin": required("number"),
  "host.platform": required("string"),
  "clocks.wallMs": required("string"),
  "clocks.monoMs": required("string"),
  "probe.pollMs": required("integer"),
  "probe.idlePollMs": required("integer"),
  "probe.maxBytes": required("integer"),
  "probe.queueSize": required("integer"),
  "file.index": required("integer"),
  "file.reason": oneOf(PROBE_FILE_REASONS),
  "file.previous": required("string", "null"),
  label: required("string", "null"),
});

export type HeaderOutcome =
  | { ok: true; header: HeaderEvent; version: LogVersion; newerMinor: boolean }
  | { ok: false; problem: LineProblem };

/**
 * Checks a line whose `kind` is "header": the format first, then the version
 * (so a future major is refused even if its header looks different), then the
 * v1 fields.
 */
export function parseHeader(raw: JsonObject, lineNo: number): HeaderOutcome {
  if (raw.format !== LOG_FORMAT) return { ok: false, problem: { code: "unknown-format", format: raw.format } };
  const check = checkLogVersion(raw.version);
  if (check.status === "bad") {
    return { ok: false, problem: { code: "invalid-line-shape", lineKind: "header", detail: check.detail } };
  }
  if (check.status === "unknown-major") {
    return { ok: false, problem: { code: "unknown-major-version", version: raw.version as string } };
  }
  const probe = raw.source === "probe";
  if (!probe && raw.source !== undefined && raw.source !== "recorder") {
    return { ok: false, problem: { code: "invalid-line-shape", lineKind: "header", detail: `"source" should be "recorder" or "probe", not ${JSON.stringify(raw.source)}` } };
  }
  const detail = findFieldProblem(raw, probe ? PROBE_HEADER_RULES : HEADER_RULES);
  if (detail !== null) return { ok: false, problem: { code: "invalid-line-shape", lineKind: "header", detail } };
  raw.lineNo = lineNo;
  const editor = (raw.workflow as { editor?: { workflow?: unknown } } | undefined)?.editor?.workflow;
  raw.subgraphNames = Object.fromEntries(subgraphInstanceNames(editor));
  return {
    ok: true,
    header: raw as unknown as HeaderEvent,
    version: check.version,
    newerMinor: check.status === "newer-minor",
  };
}
