// The advanced part of a run's terminal report (--detail).

import type { NodeRun, RunProfile } from "../src/model/profile.js";
import { formatBytes, formatMs, formatPercent, NONE } from "./format.js";
import { renderTable } from "./table.js";
import { esc, type Style } from "./style.js";
import { formatBoundary, formatNodeTime } from "./uncertainty.js";

export function renderRunDetail(r: RunProfile, st: Style): string[] {
  return [...timeline(r, st), ...criticalPath(r, st), ...nodes(r, st), ...bottlenecks(r, st), ...memory(r, st), ...recommendations(r, st), ...environment(r, st), ...quality(r, st)];
}

const source = (s: "server" | "receipt" | null) => (s === null ? "" : s === "server" ? " (server clock)" : " (receipt times)");

function timeline(r: RunProfile, st: Style): string[] {
  const t = r.timing;
  const out = [`    ${st.heading("Timeline")}`];
  out.push(`      Submit (validation)  ${formatMs(t.submitMs)}`);
  out.push(`      Queue wait           ${formatMs(t.queueWaitMs)}${source(t.queueWaitSource)}`);
  out.push(`      Execution            ${formatMs(t.executionMs)}${source(t.executionSource)}`);
  out.push(`        nodes busy         ${formatMs(t.nodeBusyMs)}`);
  out.push(`        no node running    ${formatMs(t.gapMs)}${t.largestGapMs !== null ? ` (largest stretch ${formatMs(t.largestGapMs)})` : ""}`);
  out.push(`      Total (client)       ${formatMs(t.totalMs)}`);
  if (t.clockOffset) {
    out.push(st.dim(`      Clock offset recorder − server ${formatMs(t.clockOffset.medianMs)} (spread ${formatMs(t.clockOffset.spreadMs)}, ${t.clockOffset.samples} stamps)`));
  }
  return out;
}

function criticalPath(r: RunProfile, st: Style): string[] {
  const cp = r.criticalPath;
  const byId = new Map(r.nodes.map((n) => [n.nodeId, n]));
  const label = (id: string) => `#${esc(id)} ${esc(byId.get(id)?.classType ?? "?")}`;
  const out = [`    ${st.heading("Critical path")} ${formatMs(cp.lengthMs)}: ${cp.nodeIds.length ? cp.nodeIds.map(label).join(" → ") : "nothing ran"}`];
  out.push(
    `      Work Σ ${formatMs(cp.workMs)} · est. speedup (∞ workers) ${cp.speedup === null ? NONE : `${cp.speedup.toFixed(2)}×`} · ` +
      `parallelizability ${formatPercent(cp.parallelizability)}${cp.band ? ` (${cp.band})` : ""}`,
  );
  if (cp.overlapObserved) {
    const had = cp.observedConcurrency === null ? NONE : `${cp.observedConcurrency.toFixed(2)}×`;
    const left = cp.remainingSpeedup === null ? NONE : `${cp.remainingSpeedup.toFixed(2)}×`;
    out.push(`      Nodes ran at the same time here (async nodes): the run already had ${had} concurrency; ∞ workers could add only ${left} more.`);
  }
  for (const w of cp.whatIf) {
    const moved = w.nodeIds.join() !== cp.nodeIds.join() ? `, path moves to ${w.nodeIds.map(label).join(" → ")}` : "";
    out.push(`      If ${label(w.nodeId)} were ${w.factor}× faster: ${formatMs(w.lengthMs)} (−${formatMs(w.savedMs)})${moved}`);
  }
  return out;
}

function nodes(r: RunProfile, st: Style): string[] {
  const sampled = (n: NodeRun) => (n.memory.peakRamBytes === null ? (n.durationMs === null || n.status === "cached" ? "" : "not sampled") : formatBytes(n.memory.peakRamBytes) + (n.memory.shared ? "*" : ""));
  const steps = (n: NodeRun) => (n.progress ? `${n.progress.lastValue}/${n.progress.maxSteps}${n.progress.stepsPerSec !== null ? ` @ ${n.progress.stepsPerSec.toFixed(2)}/s` : ""}` : "");
  const out = [`    ${st.heading("Nodes")}`];
  out.push(
    ...renderTable(
      [{ header: "node" }, { header: "type" }, { header: "status" }, { header: "time", align: "right" }, { header: "measure" },
        { header: "start", align: "right" }, { header: "slack", align: "right" }, { header: "CP" }, { header: "peak RAM", align: "right" }, { header: "progress" }],
      r.nodes.map((n) => [
        esc(n.nodeId) + (n.boundaryUncertain ? "?" : ""),
        esc(n.classType),
        n.status,
        formatNodeTime(n),
        n.durationKind ?? "",
        formatBoundary(n.intervals[0]?.startMs ?? null, n.uncertainty?.startPlusMinusMs),
        n.slackMs === null ? "" : formatMs(n.slackMs),
        n.onCriticalPath ? "yes" : "",
        sampled(n),
        steps(n),
      ]),
      "      ",
    ),
  );
  for (const n of r.nodes.filter((x) => x.children.length > 0)) {
    out.push(st.dim(`      #${esc(n.nodeId)} expanded into ${n.children.map((c) => `${esc(c.nodeId)} (${formatMs(c.selfMs)})`).join(", ")}`));
  }
  const notes = [];
  if (r.nodes.some((n) => n.memory.shared)) notes.push("* another node was in flight at that sample");
  if (r.nodes.some((n) => n.boundaryUncertain)) notes.push("? a start or end is uncertain beyond the receipt jitter (the ± lines above say why)");
  if (notes.length) out.push(st.dim(`      ${notes.join("; ")}`));
  return out;
}

function bottlenecks(r: RunProfile, st: Style): string[] {
  if (r.bottlenecks.length === 0) return [];
  return [
    `    ${st.heading("Bottlenecks")}`,
    ...r.bottlenecks.map(
      (b) => `      • #${esc(b.nodeId)} ${esc(b.classType)}: ${esc(b.reason)}${b.shareOfWall !== null ? ` — ${formatPercent(b.shareOfWall)} of execution` : ""}${b.onCriticalPath ? ", on the critical path" : ""}`,
    ),
  ];
}

function memory(r: RunProfile, st: Style): string[] {
  const m = r.memory;
  const inRun = m.samples.filter((x) => x.atMs >= 0 && x.atMs <= (r.timing.executionMs ?? Infinity)).length;
  const every =
    m.sampleIntervalMs !== null
      ? `${inRun} samples during the run, one every ${formatMs(m.sampleIntervalMs)}; peaks ± ${formatMs(m.sampleIntervalMs / 2)} in time`
      : `${inRun} sample(s) during the run`;
  const out = [`    ${st.heading("Memory")} ${st.dim(`(${every})`)}`];
  if (m.ram) {
    out.push(`      RAM used: baseline ${formatBytes(m.ram.baselineBytes)} · peak ${formatBytes(m.ram.peakUsedBytes)} (${deltaText(m.ram.peakDeltaBytes)}) · min available ${formatBytes(m.ram.minFreeBytes)}`);
  } else {
    out.push("      no RAM samples");
  }
  const devices = r.environment?.devices ?? [];
  for (const d of devices) {
    if (d.isCpu) out.push(`      device ${esc(d.name)}: the CPU (--cpu): no VRAM, its figures repeat RAM`);
  }
  for (const d of m.devices) {
    const share = d.peakUsedBytes !== null && d.totalBytes ? ` = ${formatPercent(d.peakUsedBytes / d.totalBytes)}` : "";
    out.push(`      ${esc(d.name)}: used baseline ${formatBytes(d.baselineBytes)} · peak ${formatBytes(d.peakUsedBytes)} of ${formatBytes(d.totalBytes)}${share} (${deltaText(d.peakDeltaBytes)}) · min free ${formatBytes(d.minFreeBytes)}`);
  }
  return out;
}

function deltaText(bytes: number | null): string {
  if (bytes === null) return `${NONE} vs baseline`;
  return `${bytes >= 0 ? "+" : ""}${formatBytes(bytes)} vs baseline`;
}

function recommendations(r: RunProfile, st: Style): string[] {
  if (r.recommendations.length === 0) return [];
  return [`    ${st.heading("Recommendations")}`, ...r.recommendations.map((x) => `      • ${esc(x.message)}`)];
}

function environment(r: RunProfile, st: Style): string[] {
  const e = r.environment;
  if (!e) return [];
  const parts = [
    e.comfyuiVersion && `ComfyUI ${e.comfyuiVersion}`,
    e.pythonVersion && `Python ${e.pythonVersion.split(" ")[0]}`,
    e.pytorchVersion && `PyTorch ${e.pytorchVersion}`,
    e.os,
    e.devices.length ? `devices: ${e.devices.map((d) => d.name).join(", ")}` : null,
  ].filter((x): x is string => Boolean(x));
  const out = [`    ${st.heading("Environment")} ${esc(parts.join(" · "))} ${st.dim(`(fingerprint ${e.fingerprint.slice(0, 8)})`)}`];
  if (e.argv?.length) out.push(st.dim(`      launched with: ${esc(e.argv.slice(1).join(" "))}`));
  return out;
}

function quality(r: RunProfile, st: Style): string[] {
  const q = r.dataQuality;
  const facts = [
    `receipt resolution ${formatMs(q.receiptResolutionMs)}`,
    `poll ${formatMs(q.pollMs)} (median round trip ${formatMs(q.medianPollRoundTripMs)})`,
    q.hasProgressState ? "progress_state: yes" : "progress_state: no (old server)",
  ];
  if (q.reconnects) facts.push(`${q.reconnects} reconnect(s)`);
  if (q.clockJumps) facts.push(`${q.clockJumps} clock jump(s)`);
  if (q.missingServerTimestamps) facts.push(`${q.missingServerTimestamps} message(s) without server timestamp`);
  const out = [`    ${st.heading("Data quality")} ${st.dim(facts.join(" · "))}`];
  for (const w of q.disconnections) out.push(`      WebSocket down ${formatMs(w.startMs)}–${formatMs(w.endMs)}: messages then were lost; node boundaries there are bounds only`);
  for (const s of q.stalls) out.push(`      server stalled ${formatMs(s.roundTripMs)} at ${formatMs(s.startMs)}–${formatMs(s.endMs)}: node boundaries there are uncertain`);
  for (const d of r.diagnostics) out.push(`      ${d.severity}: ${esc(d.message)}`);
  return out;
}
