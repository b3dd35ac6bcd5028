// fast-check arbitraries that damage real recordings the ways files get
// damaged: cut (a full disk, kill -9), bytes corrupted, lines shuffled or
// duplicated (a bad merge, an editor), two logs spliced (cat a b), and bytes
// that were never a log at all.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";

const lines = (bytes: Uint8Array): string[] => Buffer.from(bytes).toString("utf8").split("\n");
const joined = (parts: string[]): Uint8Array => Buffer.from(parts.join("\n"), "utf8");
const at = (share: number, length: number): number => Math.min(length, Math.floor(share * length));
const share = fc.double({ min: 0, max: 1, noNaN: true });

export function mangledLog(recordings: readonly Buffer[]): fc.Arbitrary<Uint8Array> {
  const recording = fc.integer({ min: 0, max: recordings.length - 1 }).map((i) => recordings[i]!);
  const cut = fc.tuple(recording, share).map(([r, s]) => r.subarray(0, at(s, r.length)));
  const corrupted = fc.tuple(recording, fc.array(fc.tuple(share, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 })).map(([r, flips]) => {
    const copy = Buffer.from(r);
    for (const [s, byte] of flips) copy[at(s, copy.length - 1)] = byte;
    return copy;
  });
  const shuffled = fc.tuple(recording, fc.array(fc.tuple(share, share), { minLength: 1, maxLength: 5 })).map(([r, swaps]) => {
    const ls = lines(r);
    for (const [a, b] of swaps) {
      const i = at(a, ls.length - 1);
      const j = at(b, ls.length - 1);
      [ls[i], ls[j]] = [ls[j]!, ls[i]!];
    }
    return joined(ls);
  });
  const duplicated = fc.tuple(recording, share, fc.integer({ min: 1, max: 20 })).map(([r, s, count]) => {
    const ls = lines(r);
    const from = at(s, ls.length - 1);
    return joined([...ls.slice(0, from + count), ...ls.slice(from)]);
  });
  const spliced = fc.tuple(recording, share, recording, share).map(([a, sa, b, sb]) => Buffer.concat([a.subarray(0, at(sa, a.length)), b.subarray(at(sb, b.length))]));
  const random = fc.uint8Array({ maxLength: 3000 });
  return fc.oneof(cut, corrupted, shuffled, duplicated, spliced, random);
}

/**
 * fc.assert parameters that report a failure in two lines, the damaged log
 * written to a file to try by hand, instead of printing its bytes.
 */
export function reportAsFile(seed: number, numRuns: number): fc.Parameters<unknown[]> {
  return {
    seed,
    numRuns,
    asyncReporter: async (details) => {
      if (!details.failed) return;
      const dir = mkdtempSync(join(tmpdir(), "comfyprof-counterexample-"));
      const files = (details.counterexample ?? []).flatMap((value, i) => {
        const logs = Array.isArray(value) ? value : [value];
        return logs.filter((v): v is Uint8Array => v instanceof Uint8Array).map((bytes, j) => {
          const path = join(dir, `case-${i}-${j}.ndjson`);
          writeFileSync(path, bytes);
          return path;
        });
      });
      throw new Error(`property failed (seed ${seed}, path "${details.counterexamplePath}") on ${files.join(", ")} (other arguments: ${JSON.stringify((details.counterexample ?? []).filter((v) => !(v instanceof Uint8Array) && !Array.isArray(v)))}): ${String(details.errorInstance)}`);
    },
  };
}
