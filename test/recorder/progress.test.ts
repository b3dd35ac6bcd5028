import { afterEach, describe, expect, it, vi } from "vitest";
import { ProgressDisplay } from "../../recorder/progress.js";

afterEach(() => {
  vi.useRealTimers();
});

function display(isTTY: boolean) {
  let now = 0;
  let text = "";
  const d = new ProgressDisplay({ write: (t) => void (text += t), isTTY }, () => now);
  return { d, advance: (ms: number) => (now += ms), text: () => text };
}

describe("recorder/progress", () => {
  it("redraws one status line on a terminal: run, node, step, elapsed, and keeps the clock moving", () => {
    vi.useFakeTimers();
    const { d, advance, text } = display(true);
    d.runStarted(1, 3, false);
    d.nodeStarted("5", "Sampler \u001b[2J", "KSampler");
    advance(250);
    d.stepped(3, 20);
    expect(text()).toContain("\r\x1b[2Krun 2/3  #5 Sampler \\x1b[2J (KSampler)  step 3/20  0.3 s");
    advance(1000);
    vi.advanceTimersByTime(1000);
    expect(text().endsWith("step 3/20  1.3 s")).toBe(true);
    d.runEnded("success");
    expect(text().endsWith("run 2/3: success in 1.25 s\n")).toBe(true);
  });

  it("prints a line per node, and no control sequences, when stderr is not a terminal", () => {
    const { d, advance, text } = display(false);
    d.runStarted(0, 1, true);
    d.nodeStarted("1", undefined, "EmptyImage");
    d.stepped(1, 2);
    advance(2000);
    d.runEnded("success");
    expect(text()).toBe("  warm-up 1: #1 EmptyImage\nwarm-up 1: success in 2.00 s\n");
  });
});
