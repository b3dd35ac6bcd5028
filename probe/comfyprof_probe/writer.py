"""The writer thread: the only place the probe does work beyond an append to a bounded queue.

The server's threads call submit() (never blocks, never wakes a thread: a full queue drops the
message and counts it); the daemon thread wakes every FLUSH_INTERVAL_S, drains the queue, turns
items into lines, writes each batch with one write, takes a /system_stats-equivalent sample as a run starts and every poll interval while it
runs (every idle interval between runs), and rotates files between runs:
a run stays in the file it started in (a file passing twice its size limit mid-run is cut anyway,
with a note), so each file is analyzable on its own."""

import collections
import itertools
import threading
import time

from .lines import encode, note_line, prompt_line, sent_binary_line, sent_line, server_log_line, stats_line
from .log_file import utc_day

STOP = object()
# The writer wakes this often, not at each message: a wake-up per message (a queue.Queue's notify)
# cost a run of 30 sub-ms nodes ~6 ms of 13 (measured, docs/performance.md "Probe overhead") in
# thread switches and GIL hand-overs. A crash loses at most this much of the log.
FLUSH_INTERVAL_S = 0.05
# A run open this far past the size limit is cut by a rotation anyway.
MID_RUN_ROTATION_FACTOR = 2


class SystemClock:
    monotonic_ns = staticmethod(time.monotonic_ns)
    time_ns = staticmethod(time.time_ns)


class ProbeWriter:
    def __init__(self, log_file, *, poll_ms, idle_poll_ms=0, max_bytes, queue_size, sampler, log, clock=SystemClock, origin_mono_ns=None, server_log=None):
        self.log_file = log_file
        self.poll_ms = poll_ms
        self.idle_poll_ms = idle_poll_ms
        self._last_sample_ns = None
        self._run_started = False
        self.max_bytes = max_bytes
        self.sampler = sampler
        self.log = log
        self.clock = clock
        self.origin_ns = clock.monotonic_ns() if origin_mono_ns is None else origin_mono_ns
        self.queue_size = queue_size
        # deque.append and popleft are atomic under the GIL: no lock, no notify on the sending thread.
        self.queue = collections.deque()
        self._stopping = threading.Event()
        self.alive = False
        self._drop_counter = itertools.count(1)
        self.dropped = 0
        self._dropped_noted = 0
        self._open_runs = set()
        self._thread = None
        # The server's log buffer (a function giving its entries), and the entries already written:
        # held, so their ids stay theirs; the buffer keeps its last 300 and may drop an unfinished
        # line for its continuation ("\r" progress), so new entries are told by identity, not position.
        self.server_log = server_log
        self._seen_log_entries = []
        self._seen_log_ids = set()

    # --- the server's side -------------------------------------------------------------

    def submit(self, item):
        """Never blocks. `item`: a tuple (kind, mono_ns, wall_ns, …), see _render."""
        if not self.alive:
            return
        if len(self.queue) >= self.queue_size:
            self.dropped = next(self._drop_counter)
        else:
            self.queue.append(item)

    # --- lifecycle ---------------------------------------------------------------------

    def open(self):
        """Opens the first file; from now on submit() queues."""
        self.log_file.open(self._ms(self.clock.monotonic_ns()), self.clock.time_ns(), "start")
        self.alive = True

    def start(self):
        self.open()
        self._thread = threading.Thread(target=self._run, name="comfyprof-probe-writer", daemon=True)
        self._thread.start()

    def stop(self, timeout_s=2.0):
        """Writes what is queued, ends the file, and returns within about timeout_s."""
        if self._thread is None:
            return
        self._stopping.set()
        self._thread.join(timeout_s)

    # --- the writer thread -------------------------------------------------------------

    def _ms(self, mono_ns):
        return (mono_ns - self.origin_ns) / 1e6

    def _run(self):
        try:
            self._loop()
        except Exception as error:
            self.alive = False
            self.log(f"comfyprof probe stopped recording: {error!r} (writing {self.log_file.path})")

    def _loop(self):
        while True:
            due_ns = self._next_sample_ns()
            wait_s = FLUSH_INTERVAL_S if due_ns is None else min(FLUSH_INTERVAL_S, max(0.0, (due_ns - self.clock.monotonic_ns()) / 1e9))
            stopping = self._stopping.wait(wait_s)
            batch = []
            while self.queue:
                batch.append(self.queue.popleft())
            if stopping:
                batch.append(STOP)
            if self.process(batch, due_ns is not None and self.clock.monotonic_ns() >= due_ns):
                return

    def _next_sample_ns(self):
        """Every poll interval while a run is open, every idle interval between runs; None: never."""
        interval_ms = self.poll_ms if self._open_runs else self.idle_poll_ms
        if interval_ms <= 0:
            return None
        return self.clock.monotonic_ns() if self._last_sample_ns is None else self._last_sample_ns + interval_ms * 1_000_000

    def process(self, batch, sample=False):
        """Writes one batch (and a sample: when due, or when a run started in it) with one write,
        then rotates if due. True once stopped."""
        stopping = STOP in batch
        chunks = [self._render(item) for item in batch if item is not STOP]
        chunks.append(self._server_log_line())
        chunks.append(self._dropped_note())
        if sample or (self._run_started and self.poll_ms > 0):
            chunks.append(self._sample())
        self._run_started = False
        self.log_file.write(b"".join(chunks))
        if stopping:
            self.alive = False
            self.log_file.close(self._ms(self.clock.monotonic_ns()), self.clock.time_ns(), "the server stopped")
            return True
        self._maybe_rotate()
        return False

    def _render(self, item):
        kind, mono_ns, wall_ns = item[0], item[1], item[2]
        mono_ms, wall_ms = self._ms(mono_ns), wall_ns / 1e6
        if kind == "sent":
            event, data, sid = item[3], item[4], item[5]
            self._track_run(event, data)
            try:
                return encode(sent_line(mono_ms, wall_ms, event, data, sid))
            except Exception as error:  # data changed under us, a circular structure, …
                return encode(note_line(mono_ms, wall_ms, "probe-error", f"a {event!r} message could not be written: {error!r}"))
        if kind == "binary":
            return encode(sent_binary_line(mono_ms, wall_ms, item[3], item[4]))
        if kind == "prompt":
            return encode(prompt_line(mono_ms, wall_ms, item[3], item[4]))
        if kind == "log":
            return encode(server_log_line(mono_ms, wall_ms, item[3]))
        raise ValueError(f"unknown probe item {kind!r}")

    def _track_run(self, event, data):
        """Runs open from execution_start to their `executing {node: null}` (sent after the history write)."""
        if not isinstance(data, dict):
            return
        if event == "execution_start":
            self._open_runs.add(data.get("prompt_id"))
            self._run_started = True
        elif event == "executing" and data.get("node") is None and data.get("prompt_id") in self._open_runs:
            self._open_runs.discard(data.get("prompt_id"))
            self.log_file.runs_completed += 1

    def _server_log_line(self):
        """The server's log entries not written yet, as one line (b"" when none)."""
        if self.server_log is None:
            return b""
        entries = self.server_log()
        if not entries or (self._seen_log_entries and entries[-1] is self._seen_log_entries[-1]):
            return b""
        new = [e for e in entries if id(e) not in self._seen_log_ids]
        self._seen_log_entries = entries
        self._seen_log_ids = {id(e) for e in entries}
        if not new:
            return b""
        mono_ms, wall_ms = self._ms(self.clock.monotonic_ns()), self.clock.time_ns() / 1e6
        return encode(server_log_line(mono_ms, wall_ms, [{"t": e.get("t"), "m": e.get("m")} for e in new]))

    def _dropped_note(self):
        dropped = self.dropped
        if dropped == self._dropped_noted:
            return b""
        count = dropped - self._dropped_noted
        self._dropped_noted = dropped
        mono_ms, wall_ms = self._ms(self.clock.monotonic_ns()), self.clock.time_ns() / 1e6
        message = f"the probe's queue was full: {count} message(s) dropped since the last note ({dropped} in all)"
        return encode(note_line(mono_ms, wall_ms, "probe-dropped", message, count=count, total=dropped))

    def _sample(self):
        self._last_sample_ns = self.clock.monotonic_ns()
        sent_mono_ms = self._ms(self._last_sample_ns)
        try:
            response, error = self.sampler(), None
        except Exception as exc:
            response, error = None, repr(exc)
        mono_ms, wall_ms = self._ms(self.clock.monotonic_ns()), self.clock.time_ns() / 1e6
        return encode(stats_line(sent_mono_ms, mono_ms, wall_ms, response, error))

    def _maybe_rotate(self):
        wall_ns = self.clock.time_ns()
        day_changed = utc_day(wall_ns) != self.log_file.day
        too_big = self.log_file.size >= self.max_bytes
        if not (day_changed or too_big):
            return
        mono_ms = self._ms(self.clock.monotonic_ns())
        if self._open_runs:
            if self.log_file.size < MID_RUN_ROTATION_FACTOR * self.max_bytes:
                return
            ids = ", ".join(sorted(str(p) for p in self._open_runs))
            self.log_file.write(encode(note_line(mono_ms, wall_ns / 1e6, "probe-cut-run", f"rotated mid-run: prompt(s) {ids} continue in the next file, without their start", promptIds=sorted(str(p) for p in self._open_runs))))
        self.log_file.rotate(mono_ms, wall_ns, "day" if day_changed else "size")
