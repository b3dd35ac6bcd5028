// `comfyprof replay run.ndjson`: serve a recording as a live ComfyUI server.

import { readRecording } from "./replay/recorded-runs.js";
import { startReplayServer } from "./replay/replay-server.js";
import { InputError, readingLogs, UsageError } from "./cli-errors.js";
import { displayName } from "./read-log.js";
import { errnoWords } from "./messages.js";
import { escapeTerminal } from "../src/text/escape.js";
import type { ReplayArgs } from "./replay-command.js";

export async function runReplay(args: ReplayArgs): Promise<void> {
  const speed = args.speed === "max" ? Infinity : Number(args.speed);
  if (!(speed > 0)) throw new UsageError(`--speed must be a positive number or "max", got ${args.speed}`);
  const port = Number(args.port);
  if (!/^\d+$/.test(args.port) || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535 (0 = any free port), got "${args.port}"`);
  for (const flag of ["latency", "restart-downtime"] as const) {
    if (!(args[flag] >= 0)) throw new UsageError(`--${flag} must be a number of milliseconds ≥ 0, got ${args[flag]}`);
  }
  const recording = await readingLogs(() => readRecording(args.log, { lenient: args.lenient }));
  if (recording.runs.length === 0) throw new InputError(`${displayName(args.log)} holds no recorded runs to replay`);
  let reject: { status: number; body: unknown } | null = null;
  if (args.reject !== undefined) {
    const recorded = recording.runs.find((r) => r.rejection)?.rejection;
    if (args.reject === "recorded" && !recorded) throw new UsageError(`--reject recorded: ${args.log} has no refused prompt; give a message instead`);
    reject = args.reject === "recorded" ? recorded! : { status: 400, body: { error: { type: "comfyprof_replay_reject", message: args.reject, details: "", extra_info: {} }, node_errors: {} } };
  }
  const server = await startReplayServer(recording, {
    port,
    host: args.host,
    speed,
    loop: args.loop,
    anyWorkflow: args["any-workflow"],
    reject,
    faults: { dropWsAfter: args["drop-ws-after"], restartAfter: args["restart-after"], restartDowntimeMs: args["restart-downtime"], latencyMs: args.latency },
  }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "EADDRINUSE") throw new UsageError(`port ${port} is in use (a ComfyUI already running?): pick another with --port`);
    if (typeof err.code === "string") throw new UsageError(`cannot listen on ${args.host}:${port}: ${errnoWords(err.code)}; check --host and --port`);
    throw err;
  });
  process.stderr.write(`replaying ${recording.runs.length} run(s) of ${escapeTerminal(displayName(args.log))} at ${server.url} (speed ${args.speed}${args.loop ? ", looping" : ""}); Ctrl-C stops\n`);
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
