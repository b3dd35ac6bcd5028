// Follows one submitted prompt through the messages, to know when it is over.
// It decides nothing about timing: that is the analyzer's job on the log.
// Messages of other prompts are ignored here (they are still in the log).

export type RunOutcome = "success" | "error" | "interrupted" | "unknown";

export interface RunEnd {
  /** How the run ended, from its terminal event (or from /history after a reconnect). */
  outcome: RunOutcome;
  /** How we know: the WebSocket's `executing {node: null}`, /history after a reconnect, or the run was lost. */
  via: "ws" | "history" | "lost";
  /** The node named by execution_error / execution_interrupted. */
  nodeId: string | null;
  message: string | null;
}

export interface TrackerCallbacks {
  nodeStarted(nodeId: string, displayNodeId: string | null): void;
  stepped(value: number, max: number): void;
}

export class RunTracker {
  /** `execution_cached.nodes` for this prompt; null until it came. */
  cachedNodes: string[] | null = null;
  private outcome: RunOutcome = "unknown";
  private nodeId: string | null = null;
  private message: string | null = null;
  private settle!: (end: RunEnd) => void;
  private settled = false;
  readonly ended: Promise<RunEnd>;

  constructor(
    readonly promptId: string,
    private readonly callbacks: TrackerCallbacks,
  ) {
    this.ended = new Promise((resolve) => (this.settle = resolve));
  }

  get isSettled(): boolean {
    return this.settled;
  }

  handle(msg: unknown): void {
    if (msg === null || typeof msg !== "object") return;
    const { type, data } = msg as { type?: unknown; data?: Record<string, unknown> };
    if (!data || typeof data !== "object" || data.prompt_id !== this.promptId) return;
    switch (type) {
      case "execution_cached":
        this.cachedNodes = Array.isArray(data.nodes) ? data.nodes.map(String) : [];
        break;
      case "executing":
        if (data.node === null || data.node === undefined) {
          this.finish({ outcome: this.outcome, via: "ws", nodeId: this.nodeId, message: this.message });
        } else {
          const display = typeof data.display_node === "string" ? data.display_node : null;
          this.callbacks.nodeStarted(String(data.node), display);
        }
        break;
      case "progress":
        if (typeof data.value === "number" && typeof data.max === "number") this.callbacks.stepped(data.value, data.max);
        break;
      case "execution_success":
        this.outcome = "success";
        break;
      case "execution_error":
        // An error without a timestamp (ExecutionBlocked) does not end the run.
        if (data.timestamp === undefined || data.timestamp === null) break;
        this.outcome = "error";
        this.nodeId = data.node_id === undefined ? null : String(data.node_id);
        this.message = `${String(data.exception_type ?? "error")}: ${String(data.exception_message ?? "")}`.trim();
        break;
      case "execution_interrupted":
        this.outcome = "interrupted";
        this.nodeId = data.node_id === undefined || data.node_id === null ? null : String(data.node_id);
        break;
    }
  }

  /** Settles the run from a /history entry (after a reconnect lost the end of the stream). */
  finishFromHistory(entry: unknown): void {
    const status = (entry as { status?: { status_str?: unknown; messages?: unknown } })?.status;
    let outcome: RunOutcome = status?.status_str === "success" ? "success" : status?.status_str === "error" ? "error" : "unknown";
    if (Array.isArray(status?.messages) && status.messages.some((m) => Array.isArray(m) && m[0] === "execution_interrupted")) {
      outcome = "interrupted";
    }
    this.finish({ outcome, via: "history", nodeId: this.nodeId, message: this.message });
  }

  finishLost(message: string): void {
    this.finish({ outcome: "unknown", via: "lost", nodeId: null, message });
  }

  private finish(end: RunEnd): void {
    if (this.settled) return;
    this.settled = true;
    this.settle(end);
  }
}
