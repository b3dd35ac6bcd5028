import { performance } from "node:perf_hooks";

/** The recorder's two receipt clocks: wall (epoch ms, may jump) and monotonic (ms since start). */
export interface Clock {
  wallMs(): number;
  monoMs(): number;
}

export function createClock(): Clock {
  const startMono = performance.now();
  return {
    wallMs: () => performance.timeOrigin + performance.now(),
    monoMs: () => performance.now() - startMono,
  };
}
