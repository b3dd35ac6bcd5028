"""Helpers for the probe's tests: the probe's package on the path, a clock the test moves, files read back."""

import json
import os
import sys

PROBE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if PROBE_DIR not in sys.path:
    sys.path.insert(0, PROBE_DIR)

DAY_NS = 86_400 * 10**9
# 2026-11-30 12:00:00 UTC
NOON_NS = 1_796_040_000 * 10**9


class FakeClock:
    """Monotonic and wall clocks that advance only when told."""

    def __init__(self, wall_ns=NOON_NS):
        self.mono = 5_000_000_000
        self.wall = wall_ns

    def monotonic_ns(self):
        return self.mono

    def time_ns(self):
        return self.wall

    def advance_ms(self, ms):
        self.mono += int(ms * 1e6)
        self.wall += int(ms * 1e6)


def read_lines(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    assert text.endswith("\n"), f"{path} does not end with a line break"
    return [json.loads(line) for line in text.splitlines()]


class LogLines:
    """Collects what the probe would log."""

    def __init__(self):
        self.lines = []

    def __call__(self, message):
        self.lines.append(message)
