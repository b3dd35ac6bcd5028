// A run reduced to what compare and trend read (src/model/comparable-run.ts): ~1 KB for a 20-node
// run instead of its whole profile. Environments are shared between the runs that have the same one.

import type { DiagnosticCode } from "../model/diagnostic.js";
import type { RunProfile, RunTimeline } from "../model/profile.js";
import type { ComparableRun } from "../model/comparable-run.js";
import { cacheUse } from "./cache-savings.js";

/** The diagnostic codes compare reads (groupRuns); the others are left out of a summary. */
const COMPARED_CODES: ReadonlySet<DiagnosticCode> = new Set<DiagnosticCode>(["cold-run-not-cold"]);

export class ComparableRunSummarizer {
  private readonly environments = new Map<string, NonNullable<RunProfile["environment"]>>();

  /** A run's summary, from its timeline (no analysis needed) or its profile: the same figures. */
  summarize(run: RunTimeline | RunProfile): ComparableRun {
    const env = run.environment;
    let environment = env === null ? null : (this.environments.get(env.fingerprint) ?? null);
    if (env !== null && environment === null) {
      environment = { ...env, argv: env.argv ? [...env.argv] : null, devices: env.devices.map((d) => ({ ...d })) };
      this.environments.set(env.fingerprint, environment);
    }
    return {
      promptId: run.promptId,
      source: { warmup: run.source.warmup },
      workflow: { name: run.workflow.name, fingerprint: run.workflow.fingerprint },
      environment,
      startedAtMs: run.startedAtMs,
      outcome: { status: run.outcome.status },
      timing: { executionMs: run.timing.executionMs },
      cache: { use: "cache" in run ? run.cache.use : cacheUse(run) },
      nodes: run.nodes.map((n) => ({
        nodeId: n.nodeId,
        classType: n.classType,
        status: n.status,
        durationMs: n.durationMs,
        boundaryUncertain: n.boundaryUncertain,
        uncertainty: n.uncertainty ? { durationPlusMinusMs: n.uncertainty.durationPlusMinusMs } : null,
      })),
      diagnostics: run.diagnostics.filter((d) => COMPARED_CODES.has(d.code)).map((d) => ({ code: d.code })),
    };
  }
}
