// What a person sees on stderr while recording: run i/N, the node running
// (title and type), its step x/y, elapsed time. On a terminal one status line
// is redrawn at most every REDRAW_MS; elsewhere a line is printed per node.

import { escapeTerminal } from "../src/text/escape.js";

/** Redraw limit for the status line: often enough to look live, rare enough to cost nothing. */
const REDRAW_MS = 100;
/** Without events, the status line is redrawn this often (elapsed time). */
const TICK_MS = 1000;

export interface ProgressOutput {
  write(text: string): void;
  isTTY: boolean;
}

export class ProgressDisplay {
  private run = "";
  private node = "";
  private step = "";
  private runStartMs = 0;
  private lastDrawMs = -Infinity;
  private lineShown = false;
  /** Redraws the line while nothing arrives, so the elapsed time keeps moving during a long node. */
  private ticker: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: ProgressOutput | null,
    private readonly nowMs: () => number,
  ) {}

  /** Stops the live line's clock (the recording is over). */
  stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  /** A finished line (never overwritten), escaped here whatever the caller did (server text reaches it: node ids, error pages). */
  say(text: string): void {
    if (!this.out) return;
    this.clearLine();
    this.out.write(`${escapeTerminal(text, true)}\n`);
  }

  runStarted(index: number, total: number, warmup: boolean): void {
    this.run = warmup ? `warm-up ${index + 1}` : `run ${index + 1}/${total}`;
    this.node = "submitting";
    this.step = "";
    this.runStartMs = this.nowMs();
    this.draw(true);
    if (this.out?.isTTY && this.ticker === null) {
      this.ticker = setInterval(() => this.draw(true), TICK_MS);
      this.ticker.unref();
    }
  }

  nodeStarted(nodeId: string, title: string | undefined, classType: string | undefined): void {
    const type = classType ?? "?";
    const label = title && title !== classType ? `${title} (${type})` : type;
    this.node = `#${nodeId} ${label}`;
    this.step = "";
    if (this.out && !this.out.isTTY) this.say(`  ${escapeTerminal(this.run)}: ${escapeTerminal(this.node)}`);
    else this.draw(true);
  }

  stepped(value: number, max: number): void {
    this.step = `step ${value}/${max}`;
    this.draw(false);
  }

  runEnded(summary: string): void {
    this.stopTicker();
    const secs = ((this.nowMs() - this.runStartMs) / 1000).toFixed(2);
    this.say(`${escapeTerminal(this.run)}: ${escapeTerminal(summary)} in ${secs} s`);
  }

  private draw(force: boolean): void {
    if (!this.out?.isTTY) return;
    const now = this.nowMs();
    if (!force && now - this.lastDrawMs < REDRAW_MS) return;
    this.lastDrawMs = now;
    const secs = ((now - this.runStartMs) / 1000).toFixed(1);
    const parts = [this.run, this.node, this.step, `${secs} s`].filter(Boolean).map((p) => escapeTerminal(p));
    this.out.write(`\r\x1b[2K${parts.join("  ")}`);
    this.lineShown = true;
  }

  private clearLine(): void {
    if (this.lineShown && this.out?.isTTY) this.out.write("\r\x1b[2K");
    this.lineShown = false;
  }
}
