// The scripted server's queue, shaped like ComfyUI's PromptQueue: prompts
// numbered in the order they came, one running, the rest pending; GET /queue
// and GET /prompt read it, POST /queue clears or deletes pending ones.

import type { RunScript } from "./protocol-types.js";

export interface QueueItem {
  number: number;
  promptId: string;
  clientId: string | null;
  prompt: Record<string, unknown>;
  extraData: Record<string, unknown>;
  script: RunScript;
}

export class PromptQueue {
  readonly pending: QueueItem[] = [];
  running: QueueItem | null = null;
  private nextNumber = 0;

  add(item: Omit<QueueItem, "number">): QueueItem {
    const queued = { ...item, number: this.nextNumber++ };
    this.pending.push(queued);
    return queued;
  }

  /** The next pending prompt, now running; undefined when none is left. */
  start(): QueueItem | undefined {
    this.running = this.pending.shift() ?? null;
    return this.running ?? undefined;
  }

  remaining(): number {
    return this.pending.length + (this.running ? 1 : 0);
  }

  /** POST /queue {clear, delete}: pending prompts only; the running one is stopped by /interrupt. */
  remove(clear: boolean, promptIds: readonly string[]): void {
    const keep = this.pending.filter((q) => !clear && !promptIds.includes(q.promptId));
    this.pending.splice(0, this.pending.length, ...keep);
  }

  /** GET /queue: [number, prompt id, prompt, extra data, outputs to execute] per prompt. */
  body(): unknown {
    const entry = (q: QueueItem) => [q.number, q.promptId, q.prompt, q.extraData, []];
    return { queue_running: this.running ? [entry(this.running)] : [], queue_pending: this.pending.map(entry) };
  }
}
