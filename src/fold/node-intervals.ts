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
import type { UncertaintyCause } from "../model/profile.js";
import type { BoundaryPlacer } from "./delivery.js";

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

/** A started node with its end decided (NodeIntervals.resolve); times placed by the BoundaryPlacer when there is one. */
export interface ResolvedNode
  extends Pick<NodeTrack, "nodeId" | "executions" | "progress" | "parentNodeId" | "realNodeId" | "displayNodeId" | "output"> {
  startMonoMs: number;
  endMonoMs: number;
  endSource: "finished" | "executed" | "terminal" | "last-segment";
  segments: { startMonoMs: number; endMonoMs: number }[];
  start: { earliestMonoMs: number; latestMonoMs: number };
  /** `latestMonoMs` null: the end was never seen. */
  end: { earliestMonoMs: number; latestMonoMs: number | null };
  causes: UncertaintyCause[];
  /** It started and ended while the WebSocket was down: only the outage bounds it. */
  ranUnseen: boolean;
  /** It was still running when the run's messages stopped, with no terminal event: its end is unknown. */
  unfinished: boolean;
}

export interface ResolveOptions {
  /** When the run ended (its terminal event, placed); null when the log stops before that. */
  terminalMonoMs: number | null;
  /** The last receipt of the run: open nodes are seen running until here. */
  lastMonoMs: number;
  placer?: BoundaryPlacer;
  /** Nodes in execution_cached: their `finished` replay is no run. */
  cached?: ReadonlySet<string>;
}

export class NodeIntervals {
  private readonly tracks = new Map<string, NodeTrack>();
  private openNodeId: string | null = null;
  private sawProgressState = false;
  /** Receipt of the last node message (progress_state, executing, progress, executed). */
  lastNodeMessageMonoMs: number | null = null;

  get hasProgressState(): boolean {
    return this.sawProgressState;
  }

  /** A node message, received at `monoMs`. */
  apply(event: ProgressStateEvent | ExecutingEvent | ProgressEvent | ExecutedEvent, monoMs: number): void {
    if (event.type === "progress_state") this.onProgressState(event, monoMs);
    else if (event.type === "executing") this.onExecuting(event, monoMs);
    else if (event.type === "progress") this.onProgress(event, monoMs);
    else this.onExecuted(event, monoMs);
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

  /**
   * Every node that started, with its end decided. Nodes still open end at the
   * terminal event, or, without one, are `unfinished` (seen running until the
   * run's last receipt). A node whose `finished` came in the catch-up after an
   * outage, never seen starting, ran unseen.
   */
  resolve(opts: ResolveOptions): ResolvedNode[] {
    const { terminalMonoMs, lastMonoMs, placer } = opts;
    const stop = terminalMonoMs ?? lastMonoMs;
    const starts = [...this.tracks.values()].flatMap((t) => (t.startMonoMs === null ? [] : [t.startMonoMs])).sort((a, b) => a - b);
    // Is `receipt` the first node start received after `since`?
    const firstStartAfter = (receipt: number) => (since: number) => starts.find((x) => x >= since) === receipt;
    const ends = new Map<NodeTrack, { monoMs: number; source: ResolvedNode["endSource"] }>();
    for (const t of this.tracks.values()) {
      const unseen = t.startMonoMs === null && t.finishedMonoMs !== null && !opts.cached?.has(t.nodeId) && placer?.inOutageCatchUp(t.finishedMonoMs);
      if (t.startMonoMs === null && !unseen) continue;
      let end: { monoMs: number; source: ResolvedNode["endSource"] };
      if (t.finishedMonoMs !== null) end = { monoMs: t.finishedMonoMs, source: "finished" };
      else if (t.executedMonoMs !== null && t.segments.length > 0) end = { monoMs: t.executedMonoMs, source: "executed" };
      else if (!this.sawProgressState && t.segments.length > 0) end = { monoMs: t.segments.at(-1)!.endMonoMs ?? stop, source: "last-segment" };
      else end = { monoMs: stop, source: "terminal" };
      ends.set(t, end);
      const finalStep = t.progress.find((p) => p.value >= p.max && p.max > 0);
      if (placer && finalStep && end.source !== "terminal") placer.noteFinalStep(end.monoMs, finalStep.monoMs);
    }
    const resolved: ResolvedNode[] = [];
    for (const [t, end] of ends) {
      const unfinished = terminalMonoMs === null && end.source === "terminal";
      const ranUnseen = t.startMonoMs === null;
      const startReceipt = t.startMonoMs ?? end.monoMs;
      const place = (r: number, first?: (since: number) => boolean) =>
        placer ? placer.place(t.nodeId, r, first) : { atMonoMs: r, earliestMonoMs: r, latestMonoMs: r, causes: [] as UncertaintyCause[] };
      const startAt = place(startReceipt, ranUnseen ? undefined : firstStartAfter(startReceipt));
      const endAt = unfinished ? null : place(end.monoMs);
      const startMonoMs = ranUnseen ? startAt.earliestMonoMs : startAt.atMonoMs;
      const endMonoMs = Math.max(ranUnseen ? endAt!.latestMonoMs : (endAt?.atMonoMs ?? stop), startMonoMs);
      const segments = t.segments.map((seg) => ({
        startMonoMs: place(seg.startMonoMs).atMonoMs,
        endMonoMs: seg.endMonoMs === null ? endMonoMs : place(seg.endMonoMs).atMonoMs,
      }));
      // A segment ends by the node's end and never before it starts (a log whose clock runs backwards, e.g. two recordings spliced, reads --lenient).
      for (const seg of segments) seg.endMonoMs = Math.max(seg.startMonoMs, Math.min(seg.endMonoMs, endMonoMs));
      const causes = [...new Set([...startAt.causes, ...(endAt?.causes ?? []), ...(unfinished ? (["unfinished"] as const) : []), ...(ranUnseen ? (["ran-unseen"] as const) : [])])];
      resolved.push({
        nodeId: t.nodeId,
        startMonoMs,
        endMonoMs,
        endSource: end.source,
        segments,
        start: { earliestMonoMs: startAt.earliestMonoMs, latestMonoMs: startAt.latestMonoMs },
        end: unfinished ? { earliestMonoMs: lastMonoMs, latestMonoMs: null } : { earliestMonoMs: endAt!.earliestMonoMs, latestMonoMs: endAt!.latestMonoMs },
        causes,
        ranUnseen,
        unfinished,
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
