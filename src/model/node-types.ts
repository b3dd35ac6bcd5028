// Statistics per node class over the measured runs (analysis/node-types.ts).
// Data only; part of the profile (profile.ts re-exports it).

export interface NodeTypeStats {
  classType: string;
  count: number;
  totalMs: number;
  meanMs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  /** Sample standard deviation; null with one sample. */
  stdevMs: number | null;
  /** totalMs / the sum over all types. */
  shareOfTotal: number;
}
