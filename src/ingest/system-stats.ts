// /system_stats polls (docs/metrics.md "Memory"): RAM and, per device, VRAM
// and torch's reserved and active memory, plus what the reply says of the
// server (versions, launch arguments, devices). With --cpu the device is the
// CPU and its figures repeat RAM: it gives no device sample.

import type { StatsLine } from "../model/events.js";
import type { StatsReading, SystemStatsEvent } from "../model/exchanges.js";
import type { DeviceInfo, DeviceSample } from "../model/profile.js";

export function parseSystemStats(line: StatsLine, lineNo: number): SystemStatsEvent {
  return {
    kind: "stats",
    lineNo,
    wallMs: line.wallMs,
    monoMs: line.monoMs,
    sentMonoMs: line.sentMonoMs,
    reading: readStats(line),
    body: line.response,
    error: line.error,
  };
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);

function readStats(line: StatsLine): StatsReading | null {
  if (line.status !== 200 || line.response === null || typeof line.response !== "object") return null;
  const body = line.response as { system?: Record<string, unknown>; devices?: unknown };
  const sys = body.system ?? {};
  const ramTotal = num(sys.ram_total);
  const ramFree = num(sys.ram_free);
  const rawDevices = Array.isArray(body.devices) ? (body.devices as Record<string, unknown>[]) : [];
  const devices: DeviceInfo[] = rawDevices.map((d) => ({
    name: str(d.name) ?? "device",
    type: str(d.type) ?? "unknown",
    // With --cpu the device is the CPU and its figures repeat RAM: not VRAM.
    isCpu: d.type === "cpu",
    vramTotalBytes: d.type === "cpu" ? null : num(d.vram_total),
  }));
  const deviceSamples: DeviceSample[] = rawDevices.flatMap((d): DeviceSample[] => {
    if (d.type === "cpu") return [];
    const reserved = num(d.torch_vram_total);
    return [{
      name: str(d.name) ?? "device",
      usedBytes: diff(num(d.vram_total), num(d.vram_free)),
      freeBytes: num(d.vram_free),
      torchReservedBytes: reserved,
      torchActiveBytes: diff(reserved, num(d.torch_vram_free)),
    }];
  });
  const roundTripMs = line.monoMs - line.sentMonoMs;
  return {
    sample: {
      // The reply describes some moment between sending and receipt: take the middle.
      atMonoMs: line.sentMonoMs + roundTripMs / 2,
      uncertaintyMs: roundTripMs / 2,
      source: "system_stats",
      ramUsedBytes: diff(ramTotal, ramFree),
      ramFreeBytes: ramFree,
      devices: deviceSamples,
    },
    sentMonoMs: line.sentMonoMs,
    receivedMonoMs: line.monoMs,
    system: {
      os: str(sys.os),
      comfyuiVersion: str(sys.comfyui_version),
      pythonVersion: str(sys.python_version),
      pytorchVersion: str(sys.pytorch_version),
      argv: Array.isArray(sys.argv) ? sys.argv.map(String) : null,
      ramTotalBytes: ramTotal,
    },
    devices,
  };
}

