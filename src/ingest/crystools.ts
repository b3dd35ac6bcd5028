// `crystools.monitor`, the ComfyUI-Crystools extension's system sample
// (general/hardware.py `getStatus`, general/gpu.py). Crystools sends -1 for
// anything switched off or not measurable (and a single all -1 "gpu" on CPU
// machines), so negative numbers become null: absent, not zero.

import type { CrystoolsGpu, CrystoolsMonitorEvent } from "../model/server-events.js";
import { isObject, numberOrNull, stringOrNull, type JsonObject } from "./shape.js";

/** A measured value, or null for crystools' -1 and for anything not a number. */
function measured(value: unknown): number | null {
  const n = numberOrNull(value);
  return n !== null && n >= 0 ? n : null;
}

function parseGpu(raw: JsonObject): CrystoolsGpu {
  return {
    utilizationPercent: measured(raw.gpu_utilization),
    temperatureC: measured(raw.gpu_temperature),
    vramTotalBytes: measured(raw.vram_total),
    vramUsedBytes: measured(raw.vram_used),
    vramUsedPercent: measured(raw.vram_used_percent),
  };
}

export function parseCrystoolsMonitor(data: JsonObject): CrystoolsMonitorEvent {
  const gpus = Array.isArray(data.gpus) ? data.gpus.filter(isObject).map(parseGpu) : [];
  return {
    type: "crystools.monitor",
    cpuPercent: measured(data.cpu_utilization),
    ramTotalBytes: measured(data.ram_total),
    ramUsedBytes: measured(data.ram_used),
    ramUsedPercent: measured(data.ram_used_percent),
    hddTotalBytes: measured(data.hdd_total),
    hddUsedBytes: measured(data.hdd_used),
    hddUsedPercent: measured(data.hdd_used_percent),
    deviceType: stringOrNull(data.device_type),
    gpus,
  };
}
