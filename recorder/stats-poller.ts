// Polls /system_stats every `intervalMs` for the memory timeline. A poll is
// never started while the previous one is still waiting (a stalled server
// would otherwise pile requests up); the next starts one interval after the
// previous one started, or at once if that time has passed.

import type { ComfyHttp } from "./comfy-http.js";

export class StatsPoller {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly http: ComfyHttp,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.intervalMs);
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    const startedMs = performance.now();
    await this.http.pollStats();
    this.schedule(Math.max(0, this.intervalMs - (performance.now() - startedMs)));
  }
}
