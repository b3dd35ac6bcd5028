import { describe, expect, it } from "vitest";
import { PROGRESS_AFTER_MS, ProgressLine } from "../../pipelines/progress.js";

const MB = 2 ** 20;

/** A progress line on a fake stream with a clock the test moves. */
function harness(options: { tty?: boolean; force?: boolean; total?: number | null } = {}) {
  const written: string[] = [];
  let now = 0;
  const line = new ProgressLine(options.total === undefined ? 100 * MB : options.total, {
    out: { isTTY: options.tty ?? true, write: (text: string) => written.push(text) },
    force: options.force,
    now: () => now,
  });
  return { line, written, at: (ms: number) => (now = ms) };
}

describe("pipelines/progress", () => {
  it("stays quiet during the first second, then redraws bytes read, runs and time in place", () => {
    const { line, written, at } = harness();
    line.bytesRead(10 * MB);
    at(PROGRESS_AFTER_MS - 1);
    line.bytesRead(MB);
    expect(written).toEqual([]);
    line.runFolded();
    line.runFolded();
    at(1500);
    line.bytesRead(30 * MB);
    expect(written).toEqual(["\r\x1b[Kcomfyprof: reading 41 MB of 100 MB (41 %) · 2 runs · 1.5 s"]);
    // At most one redraw per 200 ms.
    at(1600);
    line.bytesRead(MB);
    expect(written).toHaveLength(1);
    at(1700);
    line.bytesRead(MB);
    expect(written).toHaveLength(2);
    line.done();
    expect(written[2]).toBe("\r\x1b[K");
  });

  it("prints nothing when stderr is not a terminal, unless forced", () => {
    const quiet = harness({ tty: false });
    quiet.at(5000);
    quiet.line.bytesRead(MB);
    quiet.line.done();
    expect(quiet.written).toEqual([]);
    const forced = harness({ tty: false, force: true });
    forced.at(5000);
    forced.line.bytesRead(MB);
    expect(forced.written).toHaveLength(1);
  });

  it("gives no percentage when the total is unknown (stdin)", () => {
    const { line, at } = harness({ total: null });
    line.bytesRead(3 * MB);
    at(2000);
    expect(line.text()).toBe("comfyprof: reading 3 MB · 0 runs · 2.0 s");
  });
});
