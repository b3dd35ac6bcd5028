// Statistics across runs: `comfyprof compare` (baseline vs candidate) and
// `comfyprof trend` (a series of recordings over time). Data only; the
// definitions are in docs/metrics.md "Across runs".

import type { RunCacheUse } from "./profile.js";

/** A point estimate with its confidence interval. */
export interface Estimate {
  point: number;
  lower: number;
  upper: number;
  /** e.g. 0.95 */
  confidenceLevel: number;
  /** Bootstrap resamples drawn: fewer than the settings' most once the ends were known within the precision asked. */
  resamples: number;
  /** How far either end could move with other draws (Monte Carlo error, in the estimate's unit; a 95 % band). */
  endsWithin: number;
}

/** The verdict on a change, decided only when the whole interval clears the noise threshold. */
export type ChangeVerdict = "faster" | "slower" | "within-noise" | "insufficient-data";

/** One side's sample of a metric (ms). */
export interface SampleSummary {
  n: number;
  medianMs: number | null;
  meanMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  /** Sample standard deviation; null with fewer than two. */
  stdevMs: number | null;
  /** Samples farther than OUTLIER_MADS scaled MADs from the median: flagged, kept. */
  outliers: number;
}

export interface MetricComparison {
  /** "execution" for the run's execution time, "node <id> <type>" for a node's time. */
  metric: string;
  nodeId: string | null;
  baseline: SampleSummary;
  candidate: SampleSummary;
  /** candidate median ÷ baseline median, with its bootstrap interval; null when a side has too few samples. */
  ratio: Estimate | null;
  verdict: ChangeVerdict;
  /** Node samples left out because their time was uncertain by more than the noise threshold (docs/metrics.md "Uncertainty"); 0 for the execution time, which is the server's own. */
  leftOutUncertain: number;
  /** The rank test beside the bootstrap (all runs, not only the medians); null when a side has none. */
  rankTest: RankTest | null;
  /** Every sample compared, ms, in run order (the HTML page draws both distributions from them). */
  baselineMs: number[];
  candidateMs: number[];
}

export interface RankTest {
  /** The candidate's U statistic (its rank sum − n₂(n₂+1)/2). */
  u: number;
  /** Two-sided p-value: how likely a shift this large is when both sides come from one distribution. */
  pValue: number;
  method: string;
}

/** A node that differs between two variants of a workflow. */
export interface NodeDifference {
  nodeId: string;
  /** Its class ("A → B" when the class changed). */
  classType: string;
  change: "inputs" | "added" | "removed" | "class-changed";
  /** For "inputs": each input whose value differs, as shown to a person (null: absent on that side). */
  inputs: { name: string; baseline: string | null; candidate: string | null }[];
}

/** What changed in the environment between the two sides (ComfyUI, Python, PyTorch, devices, launch arguments, OS). */
export interface EnvironmentChange {
  field: string;
  baseline: string | null;
  candidate: string | null;
}

/** Runs of one workflow in one cache state, compared. */
export interface GroupComparison {
  workflowName: string | null;
  workflowFingerprint: string;
  /** How the runs used the cache, as observed (RunProfile.cache.use): never mixed. */
  cacheState: RunCacheUse | null;
  execution: MetricComparison;
  nodes: MetricComparison[];
  environmentChanges: EnvironmentChange[];
  /** Set when the two sides ran different variants of a workflow (paired by structure): the candidate's fingerprint and what differs. Null when both ran the same workflow. */
  variant: { candidateFingerprint: string; candidateName: string | null; similarity: number; differences: NodeDifference[] } | null;
}

export interface ComparisonSettings {
  /** ±, as a ratio: 0.05 = a change within ±5 % is noise. */
  noiseThreshold: number;
  confidenceLevel: number;
  /** At most this many bootstrap resamples per interval. */
  resamples: number;
  /** Resampling stops once both ends of an interval are known within this share of its point (0.005: ±0.5 %). */
  precision: number;
  /** Samples of up to this many runs get the exact bootstrap distribution (every resample weighed), no draws. */
  exactUpTo: number;
  seed: number;
  /** Fewer measured runs than this on a side: insufficient data. */
  minSamples: number;
  /** The method, for the report. */
  test: string;
}

/** ±5 %: run-to-run noise of a CPU/GPU workload on one machine is usually a few %. */
export const DEFAULT_NOISE_THRESHOLD = 0.05;
export const DEFAULT_CONFIDENCE = 0.95;
/** Criterion's default resample count: here the most, reached only when the precision asks for it. */
export const DEFAULT_RESAMPLES = 10_000;
/** The interval's ends within ±0.5 % of the point: a tenth of the default noise threshold. */
export const DEFAULT_PRECISION = 0.005;
/** The largest sample whose bootstrap distribution is enumerated: C(15, 8) = 6,435 multisets. */
export const EXACT_BOOTSTRAP_UP_TO = 8;
/** A median of fewer than 3 runs says little about the next run. */
export const MIN_SAMPLES = 3;
/** Outliers: farther than this many scaled MADs (MAD × 1.4826 ≈ σ for normal data) from the median. */
export const OUTLIER_MADS = 3;

export const DEFAULT_SETTINGS: ComparisonSettings = {
  noiseThreshold: DEFAULT_NOISE_THRESHOLD,
  confidenceLevel: DEFAULT_CONFIDENCE,
  resamples: DEFAULT_RESAMPLES,
  precision: DEFAULT_PRECISION,
  exactUpTo: EXACT_BOOTSTRAP_UP_TO,
  seed: 1,
  minSamples: MIN_SAMPLES,
  test: "bootstrap percentile interval of the ratio of medians (candidate ÷ baseline)",
};

export interface Comparison {
  settings: ComparisonSettings;
  groups: GroupComparison[];
  /** Workflow/cache-state groups found on one side only: not compared. */
  unmatched: { side: "baseline" | "candidate"; workflowName: string | null; workflowFingerprint: string; /** How the runs used the cache, as observed (RunProfile.cache.use): never mixed. */
  cacheState: RunCacheUse | null; runs: number }[];
  /** Measured runs left out: warm-ups are excluded by design; these failed or were cut. */
  excludedRuns: { side: "baseline" | "candidate"; promptId: string; reason: string }[];
}

/** One recording (or label) in a trend. */
export interface TrendPoint {
  /** The log file, or its --label. */
  name: string;
  /** Server time of the first run, epoch ms; null when unknown. */
  startedAtMs: number | null;
  execution: SampleSummary;
  /** Bootstrap interval of the median execution time. */
  medianMs: Estimate | null;
  environmentFingerprint: string | null;
  /** Against the previous point; null for the first. */
  change: MetricComparison | null;
  environmentChanges: EnvironmentChange[];
  /** Per node class: the median over this recording's runs of the time that class's nodes took in a run. */
  nodeTypeMedians: { classType: string; medianMs: number }[];
}

export interface TrendSeries {
  workflowName: string | null;
  workflowFingerprint: string;
  /** How the runs used the cache, as observed (RunProfile.cache.use): never mixed. */
  cacheState: RunCacheUse | null;
  points: TrendPoint[];
  /** Where the median execution time shifted and stayed shifted (docs/metrics.md "Change points"). */
  changePoints: ChangePoint[];
}

export interface ChangePoint {
  /** The first recording (index into points) after the change. */
  index: number;
  beforeMedianMs: number;
  afterMedianMs: number;
  /** after ÷ before. */
  ratio: number;
  /** What changed in the environment between the recordings either side of it: the likely cause when not empty. */
  environmentChanges: EnvironmentChange[];
}

export interface Trend {
  settings: ComparisonSettings;
  series: TrendSeries[];
}
