// When each node ran, from the messages of one prompt, on the recorder's
// receipt clock (docs/metrics.md "Nodes"):
//   start: its progress_state `running` or its `executing`, whichever came first;
//   end:   its progress_state `finished`, else its `executed`, else the terminal
//          event (a failed node stays `running`); on servers without
//          progress_state, the end of its last segment;
//   self segments: from each `executing X` to the next `executing` of any
//          node, X's end, or the terminal event.
// Node ids are as the server sent them (expanded children included); the
// run builder attributes children to their prompt node.

import type { ExecutedEvent, ExecutingEvent, ProgressEvent, ProgressStateEvent } from "../model/server-events.js";

export interface ProgressSample {
  monoMs: number;
  value: number;
  max: number;
}

export interface NodeTrack {
  nodeId: string;
  /** First `running` or `executing`, receipt mono ms. */
  startMonoMs: number | null;
  finishedMonoMs: number | null;
  executedMonoMs: number | null;
  /** Self segments; `endMonoMs` null while open. */
  segments: { startMonoMs: number; endMonoMs: number | null }[];
  executions: number;
  progress: ProgressSample[];
  /** From progress_state: the expanding node and the top-level prompt node. */
  parentNodeId: string | null;
  realNodeId: string | null;
  displayNodeId: string | null;
  output: unknown;
}

/** A started node with its end decided (NodeIntervals.resolve). */
export interface ResolvedNode
  extends Pick<NodeTrack, "nodeId" | "executions" | "progress" | "parentNodeId" | "realNodeId" | "displayNodeId" | "output"> {
  startMonoMs: number;
  endMonoMs: number;
  endSource: "finished" | "executed" | "terminal" | "last-segment";
  segments: { startMonoMs: number; endMonoMs: number }[];
}

/** Where a node start received at `receiptMonoMs` is placed (see server-clock.ts). */
export type PlaceStart = (receiptMonoMs: number, isFirstStartAfter: (sinceMonoMs: number) => boolean) => number;

export class NodeIntervals {
  private readonly tracks = new Map<string, NodeTrack>();
  private openNodeId: string | null = null;
  private sawProgressState = false;
  /** Receipt of the last node message (progress_state, executing, progress, executed). */
  lastNodeMessageMonoMs: number | null = null;

  get hasProgressState(): boolean {
    return this.sawProgressState;
  }

  onProgressState(event: ProgressStateEvent, monoMs: number): void {
    this.sawProgressState = true;
    this.lastNodeMessageMonoMs = monoMs;
    for (const n of event.nodes) {
      const track = this.track(n.nodeId);
      if (n.parentNodeId !== null) track.parentNodeId = n.parentNodeId;
      if (n.realNodeId !== null) track.realNodeId = n.realNodeId;
      if (n.displayNodeId !== null) track.displayNodeId = n.displayNodeId;
      // Only `running` starts a node: a cached output node is replayed as `finished` without running.
      if (track.startMonoMs === null && n.state === "running") track.startMonoMs = monoMs;
      if (n.state === "running" && n.value !== null && n.max !== null && n.value > 0) this.addProgress(track, monoMs, n.value, n.max);
      if (n.state === "finished" && track.finishedMonoMs === null) {
        track.finishedMonoMs = monoMs;
        this.closeSegmentOf(n.nodeId, monoMs);
      }
    }
  }

  onExecuting(event: ExecutingEvent, monoMs: number): void {
    if (event.nodeId === null) return;
    this.lastNodeMessageMonoMs = monoMs;
    if (this.openNodeId !== null) this.closeSegmentOf(this.openNodeId, monoMs);
    const track = this.track(event.nodeId);
    if (event.displayNodeId !== null) track.displayNodeId = event.displayNodeId;
    if (track.startMonoMs === null) track.startMonoMs = monoMs;
    track.segments.push({ startMonoMs: monoMs, endMonoMs: null });
    track.executions++;
    this.openNodeId = event.nodeId;
  }

  onProgress(event: ProgressEvent, monoMs: number): void {
    if (event.nodeId === null) return;
    this.lastNodeMessageMonoMs = monoMs;
    this.addProgress(this.track(event.nodeId), monoMs, event.value, event.max);
  }

  onExecuted(event: ExecutedEvent, monoMs: number): void {
    this.lastNodeMessageMonoMs = monoMs;
    const track = this.track(event.nodeId);
    if (track.executedMonoMs === null) track.executedMonoMs = monoMs;
    track.output = event.output;
    // A cached output node is replayed with `executed` but never ran: no start. With
    // progress_state the node's end is its `finished`, which ComfyUI sends after `executed`
    // (it caches the outputs in between): the segment runs on to it (resolve caps it at the end).
    if (track.segments.length > 0 && track.finishedMonoMs === null && !this.sawProgressState) this.closeSegmentOf(event.nodeId, monoMs);
  }

  /** Ids the server named, in first-seen order. */
  nodeIds(): string[] {
    return [...this.tracks.keys()];
  }

  /**
   * Every node that started, with its end decided. `terminalMonoMs` is when
   * the run ended (null when the log stops before that: then open nodes end
   * at `lastMonoMs`, the last receipt of the run).
   */
  resolve(terminalMonoMs: number | null, lastMonoMs: number, placeStart?: PlaceStart): ResolvedNode[] {
    const stop = terminalMonoMs ?? lastMonoMs;
    const starts = [...this.tracks.values()].flatMap((t) => (t.startMonoMs === null ? [] : [t.startMonoMs])).sort((a, b) => a - b);
    // Is `receipt` the first node start received after `since`?
    const firstStartAfter = (receipt: number) => (since: number) => starts.find((x) => x >= since) === receipt;
    const resolved: ResolvedNode[] = [];
    for (const t of this.tracks.values()) {
      if (t.startMonoMs === null) continue;
      const segments = t.segments.map((s) => ({ startMonoMs: s.startMonoMs, endMonoMs: s.endMonoMs ?? stop }));
      let endMonoMs: number;
      let endSource: ResolvedNode["endSource"];
      if (t.finishedMonoMs !== null) [endMonoMs, endSource] = [t.finishedMonoMs, "finished"];
      else if (t.executedMonoMs !== null && t.segments.length > 0) [endMonoMs, endSource] = [t.executedMonoMs, "executed"];
      else if (!this.sawProgressState && segments.length > 0) [endMonoMs, endSource] = [segments.at(-1)!.endMonoMs, "last-segment"];
      else [endMonoMs, endSource] = [stop, "terminal"];
      for (const seg of segments) seg.endMonoMs = Math.min(seg.endMonoMs, Math.max(endMonoMs, seg.startMonoMs));
      const receipt = t.startMonoMs;
      const startMonoMs = placeStart ? placeStart(receipt, firstStartAfter(receipt)) : receipt;
      resolved.push({
        nodeId: t.nodeId,
        startMonoMs,
        endMonoMs: Math.max(endMonoMs, startMonoMs),
        endSource,
        segments,
        executions: t.executions,
        progress: t.progress,
        parentNodeId: t.parentNodeId,
        realNodeId: t.realNodeId,
        displayNodeId: t.displayNodeId,
        output: t.output,
      });
    }
    return resolved;
  }

  private track(nodeId: string): NodeTrack {
    let t = this.tracks.get(nodeId);
    if (!t) {
      t = {
        nodeId, startMonoMs: null, finishedMonoMs: null, executedMonoMs: null, segments: [], executions: 0,
        progress: [], parentNodeId: null, realNodeId: null, displayNodeId: null, output: null,
      };
      this.tracks.set(nodeId, t);
    }
    return t;
  }

  private closeSegmentOf(nodeId: string, monoMs: number): void {
    const open = this.tracks.get(nodeId)?.segments.at(-1);
    if (open && open.endMonoMs === null) open.endMonoMs = monoMs;
    if (this.openNodeId === nodeId) this.openNodeId = null;
  }

  /** One sample per new value: `progress` and `progress_state` repeat each other. */
  private addProgress(track: NodeTrack, monoMs: number, value: number, max: number): void {
    const last = track.progress.at(-1);
    if (last && last.value === value && last.max === max) return;
    track.progress.push({ monoMs, value, max });
  }
}
