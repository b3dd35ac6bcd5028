// The progress_state shortcut (src/ingest/progress-state-delta.ts, taken when the reader asks for no
// raw messages) gives, line for line, the very events of the full parse but the message as recorded:
// over every committed recording, generated logs of 5 to 60 nodes, and real lines mutated in the ways
// that must send it back to the full parse.

import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createLogParser } from "../../src/ingest/index.js";
import type { LogEvent } from "../../src/model/server-events.js";
import { generateLog } from "../../bench/generate-log.js";

const samples = new URL("../../samples/recordings/", import.meta.url).pathname;
const recordings = readdirSync(samples, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `${samples}${d.name}/run.ndjson`);

function parseAll(lines: readonly string[], rawMessages: boolean): { events: (LogEvent | null)[]; shortcuts: number } {
  const parser = createLogParser({ fileName: "x.ndjson", lenient: true, rawMessages });
  let shortcuts = 0;
  const events = lines.map((text, i) => {
    const event = parser.push(text, i + 1);
    if (event?.kind === "ws" && event.raw === null) shortcuts++;
    return event;
  });
  return { events, shortcuts };
}

/** The events but the messages as recorded, which only the full parse keeps. */
const withoutRaw = (events: (LogEvent | null)[]) => events.map((e) => (e?.kind === "ws" ? { ...e, raw: null } : e));

/** Both ways, the same events (but `raw`); returns how many lines took the shortcut. */
function sameEvents(lines: readonly string[]): number {
  const full = parseAll(lines, true);
  const delta = parseAll(lines, false);
  expect(full.shortcuts).toBe(0);
  expect(withoutRaw(delta.events)).toEqual(withoutRaw(full.events));
  return delta.shortcuts;
}

const linesOf = (path: string) => readFileSync(path, "utf8").split("\n").filter((l) => l.length > 0);

describe("ingest/progress-state-delta", () => {
  const generated: string[][] = [];
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "comfyprof-delta-"));
    for (const nodes of [5, 20, 60]) {
      const path = join(dir, `g${nodes}.ndjson`);
      await generateLog({ path, targetBytes: 0, runs: 4, nodes: [nodes, nodes], workflows: 1 });
      generated.push(linesOf(path));
    }
  });

  it("gives the full parse's events on every committed recording, taking the shortcut where a message repeats the one before", () => {
    let shortcuts = 0;
    let progressStates = 0;
    for (const path of recordings) {
      const lines = linesOf(path);
      progressStates += lines.filter((l) => l.includes('"type": "progress_state"')).length;
      shortcuts += sameEvents(lines);
    }
    expect(progressStates).toBeGreaterThan(300);
    // Most follow the message before them; the first of each prompt and a probe's `sent` lines do not.
    expect(shortcuts).toBeGreaterThan(progressStates / 2);
  });

  it("gives the full parse's events on generated logs of 5, 20 and 60 nodes", () => {
    for (const lines of generated) expect(sameEvents(lines)).toBeGreaterThan(50);
  });

  it("falls back to the full parse for any change to a real message, and still gives its events", () => {
    const lines = linesOf(`${samples}benchmark/run.ndjson`);
    const progress = lines.map((l, i) => [l, i] as const).filter(([l]) => l.includes('"type": "progress_state"')).map(([, i]) => i);
    const edits: ((line: string, r: number) => string)[] = [
      // A shared entry changed (its value): the beginning no longer matches.
      (l) => l.replace('"value": 1.0', '"value": 0.5'),
      // A key repeated: JSON.parse of the whole keeps the first place.
      (l) => l.replace(/\}\}\}\}\}$/, '}, "1": {"value": 9.0, "max": 9.0, "state": "running", "node_id": "1", "prompt_id": "p", "display_node_id": "1", "parent_node_id": null, "real_node_id": "1"}}}}}'),
      // An entry that is not flat.
      (l) => l.replace(/"real_node_id": ("[^"]*")\}\}\}\}\}$/, '"real_node_id": $1, "extra": {"a": 1}}}}}}'),
      // Keys written with escapes, or other characters.
      (l) => l.replace(/"(\d+)": \{/g, (_, id) => `"n\\u00e9${id}": {`),
      (l) => l.replace(/"(\d+)": \{/g, (_, id) => `"a, \\"${id}": {`),
      // A stamp that is no finite number (the full parse refuses the line).
      (l) => l.replace(/"wallMs":[-\d.eE+]+/, '"wallMs":1e999'),
      (l) => l.replace(/"monoMs":[-\d.eE+]+/, '"monoMs":-1e400'),
      // Another prompt id, other spacing, a cut line, another message type.
      (l) => l.replace(/"prompt_id": "[^"]+", "nodes"/, '"prompt_id": "other", "nodes"'),
      (l) => l.replace('"nodes": {', '"nodes":{'),
      (l, r) => l.slice(0, Math.max(1, l.length - 1 - (r % 40))),
      (l) => l.replace('"type": "progress_state"', '"type": "progress_statf"'),
      // Entries reordered.
      (l) => {
        const m = /"nodes": \{(.*)\}\}\}\}$/.exec(l);
        if (!m) return l;
        const parts = m[1]!.split(/, (?="[^"]+": \{)/);
        return l.replace(m[1]!, [...parts].reverse().join(", "));
      },
    ];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...progress), fc.integer({ min: 0, max: edits.length - 1 }), fc.nat()), { minLength: 1, maxLength: 6 }), (picks) => {
        const mutated = [...lines];
        for (const [at, edit, r] of picks) mutated[at] = edits[edit]!(mutated[at]!, r);
        sameEvents(mutated);
      }),
      { numRuns: 120, seed: 20261130 },
    );
  });
});
