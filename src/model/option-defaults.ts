// Every command-line default, in the unit its flag takes, and every option
// that is a time: its unit and its help. Read by the commands' builders, the
// recorder's DEFAULT_RECORD_OPTIONS, the replay server and the docs (the
// README's and docs/replay.md's tables are made by timeOptionsMarkdown; a test
// checks they hold it). No imports, so that any layer may read it.

export const RECORD_DEFAULTS = {
  url: "http://127.0.0.1:8188",
  runs: 1,
  warmup: 0,
  pollMs: 500,
  /** No limit. */
  timeoutSeconds: null,
  reconnectTimeoutSeconds: 60,
} as const;

export const REPLAY_DEFAULTS = {
  port: 8188,
  host: "127.0.0.1",
  /** As recorded. */
  speed: 1,
  restartDowntimeMs: 1000,
  latencyMs: 0,
} as const;

export const ANALYZE_DEFAULTS = {
  top: 5,
  whatIfFactor: 2,
} as const;

export type TimeUnit = "milliseconds" | "seconds" | "× the recorded pace";

export interface TimeOption {
  command: "record" | "replay";
  /** As typed, without the dashes. */
  flag: string;
  unit: TimeUnit;
  default: number | null;
  /** The --help text; it names the unit (a test checks it). */
  describe: string;
}

export const TIME_OPTIONS: readonly TimeOption[] = [
  {
    command: "record",
    flag: "poll-ms",
    unit: "milliseconds",
    default: RECORD_DEFAULTS.pollMs,
    describe: "/system_stats poll interval in milliseconds (the memory timeline's resolution), at least 10",
  },
  {
    command: "record",
    flag: "timeout",
    unit: "seconds",
    default: RECORD_DEFAULTS.timeoutSeconds,
    describe: "Give up on a run this many seconds after its submission (the log gets a timeout note and end record); no limit unless given",
  },
  {
    command: "record",
    flag: "reconnect-timeout",
    unit: "seconds",
    default: RECORD_DEFAULTS.reconnectTimeoutSeconds,
    describe: "Seconds to keep reconnecting a lost WebSocket before ending with server-lost",
  },
  {
    command: "replay",
    flag: "speed",
    unit: "× the recorded pace",
    default: REPLAY_DEFAULTS.speed,
    describe: "Playback speed, × the recorded pace: 1 as recorded, 10 ten times faster, max without waiting",
  },
  {
    command: "replay",
    flag: "restart-downtime",
    unit: "milliseconds",
    default: REPLAY_DEFAULTS.restartDowntimeMs,
    describe: "Fault: milliseconds a --restart-after restart keeps the port closed",
  },
  {
    command: "replay",
    flag: "latency",
    unit: "milliseconds",
    default: REPLAY_DEFAULTS.latencyMs,
    describe: "Fault: milliseconds added to every HTTP reply",
  },
];

export function timeOption(command: TimeOption["command"], flag: string): TimeOption {
  const found = TIME_OPTIONS.find((o) => o.command === command && o.flag === flag);
  if (!found) throw new Error(`no time option --${flag} for ${command}`);
  return found;
}

/** The docs' table of time options (all, or one command's). */
export function timeOptionsMarkdown(command?: TimeOption["command"]): string {
  const rows = TIME_OPTIONS.filter((o) => command === undefined || o.command === command).map(
    (o) => `| ${o.command} | \`--${o.flag}\` | ${o.unit} | ${o.default === null ? "no limit" : o.default} |`,
  );
  return ["| command | option | unit | default |", "| --- | --- | --- | ---: |", ...rows].join("\n");
}
