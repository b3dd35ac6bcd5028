// A shortcut for ComfyUI's cumulative `progress_state`: every message repeats every node started so
// far, so these messages are ~90 % of a log's bytes, and JSON.parse of them ~80 % of its parse time.
// A message whose text carries the previous message of its prompt unchanged up to that message's
// last entry (the node that was running) needs only the rest parsed: the entries before are the
// previous message's, node for node. Anything else, or anything unexpected, goes to the full parse
// (parse-line.ts), which this must equal event for event but the message as recorded (`raw`: null
// here; test/ingest/progress-state-delta.test.ts holds it to that over every recording, generated
// logs and mutated ones). Used only when the reader asks for no raw messages (analyze, trend, compare,
// export: LogParserOptions.rawMessages); replay gets every message from the full parse.

import type { ProgressStateNode, WsEvent } from "../model/server-events.js";
import { isObject, type JsonObject } from "./shape.js";
import { parseProgressStateNodes } from "./ws-message.js";

/** A recorder's ws line holding a progress_state, up to the start of its nodes' entries (Python's json.dumps spacing). */
const HEAD = /^\{"kind":"ws","wallMs":(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?),"monoMs":(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?),"msg":\{"type": "progress_state", "data": \{"prompt_id": "([0-9A-Za-z_.:-]+)", "nodes": \{/;
/** The nodes object, data, msg and line closed. */
const TAIL = "}}}}";
/** Prompts remembered at once (a log has one in flight, a few after a reconnect). */
const PROMPTS_KEPT = 8;

interface Entry {
  key: string;
  node: ProgressStateNode;
  /**
   * Where JSON.parse puts the key among its object's keys: an array index (ComfyUI's node ids "1",
   * "12") by its value, before every other key, which keeps its place in the text (2³² + its rank).
   */
  order: number;
}

interface Previous {
  /** The entries' text up to the last entry (each followed by ", "): what the next message must begin with. */
  shared: string;
  /** The entries in `shared`, in text order, and the same in parse order. */
  entries: Entry[];
  parsed: Entry[];
  /** Entries numbered so far (ranks of non-index keys). */
  written: number;
}

/** Only flat entries (every value a string, number, boolean or null), as ComfyUI writes them: then the only `"key": {` in the text starts an entry. */
function flatEntries(nodes: unknown): nodes is Record<string, JsonObject> {
  if (!isObject(nodes)) return false;
  for (const key in nodes) {
    const entry = nodes[key];
    if (!isObject(entry)) return false;
    for (const field in entry) if (entry[field] !== null && typeof entry[field] === "object") return false;
  }
  return true;
}

const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;
const NOT_INDEX = 2 ** 32;

function orderOf(key: string, rank: number): number {
  return ARRAY_INDEX.test(key) && Number(key) < NOT_INDEX - 1 ? Number(key) : NOT_INDEX + rank;
}

/** `sorted` (by order) with `more` put in their places. */
function merged(sorted: readonly Entry[], more: readonly Entry[]): Entry[] {
  const out = sorted.slice();
  for (const e of more) {
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (out[mid]!.order < e.order) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, e);
  }
  return out;
}

/**
 * Entries of a parsed nodes object (nodes in its parse order, one per key: flat entries are all
 * objects) in the order they are written in `text`, ranked from `rank`; null where a key cannot be
 * found as written, or is written twice.
 */
function inTextOrder(text: string, from: number, object: Record<string, JsonObject>, nodes: readonly ProgressStateNode[], rank: number): { entry: Entry; at: number }[] | null {
  const keys = Object.keys(object);
  if (keys.length !== nodes.length) return null;
  const placed: { key: string; node: ProgressStateNode; at: number }[] = [];
  for (const [i, key] of keys.entries()) {
    const needle = `${JSON.stringify(key)}: {`;
    const at = text.indexOf(needle, from);
    // Not found as written, or written twice (a duplicate key: the parse kept one, in the first one's place).
    if (at < 0 || text.indexOf(needle, at + 1) >= 0) return null;
    placed.push({ key, node: nodes[i]!, at });
  }
  placed.sort((x, y) => x.at - y.at);
  return placed.map((p, i) => ({ entry: { key: p.key, node: p.node, order: orderOf(p.key, rank + i) }, at: p.at }));
}

export class ProgressStateDelta {
  private readonly byPrompt = new Map<string, Previous>();

  /** The event of a progress_state line whose beginning is the previous message's of its prompt; null: parse it whole. */
  tryParse(text: string, lineNo: number): WsEvent | null {
    if (text.charCodeAt(text.length - 1) !== 125 || !text.endsWith(TAIL)) return null;
    const head = HEAD.exec(text);
    if (head === null) return null;
    const promptId = head[3]!;
    const previous = this.byPrompt.get(promptId);
    if (previous === undefined) return null;
    const wallMs = Number(head[1]);
    const monoMs = Number(head[2]);
    // 1e999 matches the pattern but is no stamp: the full parse refuses the line.
    if (!Number.isFinite(wallMs) || !Number.isFinite(monoMs)) return null;
    const contentStart = head[0].length;
    // A slice compared with ===, not startsWith: V8 compares equal strings' bytes at once, startsWith char by char (~10× slower here).
    if (text.slice(contentStart, contentStart + previous.shared.length) !== previous.shared) return null;
    const restStart = contentStart + previous.shared.length;
    const restEnd = text.length - TAIL.length;
    if (restEnd <= restStart) return null;
    let rest: unknown;
    try {
      rest = JSON.parse(`{${text.slice(restStart, restEnd)}}`);
    } catch {
      return null;
    }
    if (!flatEntries(rest)) return null;
    const added = inTextOrder(text, restStart, rest, parseProgressStateNodes(rest), previous.written);
    // A key already among the shared entries would be a duplicate key: JSON.parse of the whole keeps it in its first place.
    if (added === null || added.length === 0 || added.some((a) => previous.entries.some((e) => e.key === a.entry.key))) return null;
    const addedEntries = added.map((a) => a.entry);
    const nodes = merged(previous.parsed, addedEntries).map((e) => e.node);
    const kept = addedEntries.slice(0, -1);
    this.keep(promptId, text, contentStart, added.at(-1)!.at, {
      shared: "",
      entries: kept.length ? previous.entries.concat(kept) : previous.entries,
      parsed: kept.length ? merged(previous.parsed, kept) : previous.parsed,
      written: previous.written + added.length,
    });
    // No `raw`: this parser is used only where nothing reads the message as recorded (LogParserOptions.rawMessages).
    // (A getter that parsed it on demand kept each line alive through its closure: GC took back all the time saved.)
    return { kind: "ws", lineNo, wallMs, monoMs, event: { type: "progress_state", promptId, nodes }, raw: null } as WsEvent;
  }

  /** After a full parse of a progress_state line: what the next message of its prompt may begin with. */
  remember(text: string, event: WsEvent): void {
    if (event.event.type !== "progress_state") return;
    const promptId = event.event.promptId;
    this.byPrompt.delete(promptId);
    const rawNodes = (event.raw as { data?: { nodes?: unknown } } | null)?.data?.nodes;
    const head = HEAD.exec(text);
    if (head === null || head[3] !== promptId || !text.endsWith(TAIL) || !flatEntries(rawNodes)) return;
    const placed = inTextOrder(text, head[0].length, rawNodes, event.event.nodes, 0);
    if (placed === null || placed.length === 0) return;
    const entries = placed.slice(0, -1).map((p) => p.entry);
    this.keep(promptId, text, head[0].length, placed.at(-1)!.at, { shared: "", entries, parsed: [...entries].sort((x, y) => x.order - y.order), written: placed.length });
  }

  /** Remembers the entries before the last, which starts at `lastAt`: the next message may change only it, or add. */
  private keep(promptId: string, text: string, contentStart: number, lastAt: number, previous: Previous): void {
    this.byPrompt.delete(promptId);
    if (!(lastAt === contentStart || (lastAt > contentStart && text.startsWith(", ", lastAt - 2)))) return;
    if (this.byPrompt.size >= PROMPTS_KEPT) this.byPrompt.delete(this.byPrompt.keys().next().value!);
    this.byPrompt.set(promptId, { ...previous, shared: text.slice(contentStart, lastAt) });
  }
}
