"""The probe's files: one per server and UTC day (and another when one passes its size limit),
each complete on its own: a header first, an `end` line last when it was closed in order.

Names: comfyprof-probe-<server tag>-<YYYY-MM-DD>[-<n>].ndjson. A file is never overwritten: a
name that exists (a restart the same day) takes the next number."""

import datetime
import os
import re

from . import LOG_FORMAT, LOG_VERSION, PROBE_NAME, PROBE_VERSION
from .lines import encode, end_line

FILE_PREFIX = "comfyprof-probe"


def server_tag(address, port):
    """A file-name-safe name for one server on this host: its listen address and port."""
    return re.sub(r"[^A-Za-z0-9.-]+", "_", f"{address}-{port}").strip("_-") or "server"


def utc_day(wall_ns):
    return datetime.datetime.fromtimestamp(wall_ns / 1e9, tz=datetime.timezone.utc).strftime("%Y-%m-%d")


class ProbeLogFile:
    """Appends whole lines with one write each batch; rotates when asked."""

    def __init__(self, directory, tag, header_fields):
        self.directory = directory
        self.tag = tag
        self.header_fields = header_fields
        self.path = None
        self.day = None
        self.size = 0
        self.index = 0
        self.runs_completed = 0
        self._fd = None

    def _create(self, day):
        """A new file of that day, under the first free name."""
        os.makedirs(self.directory, exist_ok=True)
        n = 1
        while True:
            name = f"{FILE_PREFIX}-{self.tag}-{day}{'' if n == 1 else f'-{n}'}.ndjson"
            path = os.path.join(self.directory, name)
            try:
                return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o644), path
            except FileExistsError:
                n += 1

    def open(self, mono_ms, wall_ns, reason, previous=None, created=None):
        self.day = utc_day(wall_ns)
        self._fd, self.path = created or self._create(self.day)
        self.index += 1
        self.size = 0
        self.runs_completed = 0
        header = {
            "kind": "header",
            "wallMs": wall_ns / 1e6,
            "monoMs": mono_ms,
            "format": LOG_FORMAT,
            "version": LOG_VERSION,
            "source": "probe",
            "recorder": {"name": PROBE_NAME, "version": PROBE_VERSION},
            **self.header_fields,
            "file": {"index": self.index, "reason": reason, "previous": previous},
        }
        self.write(encode(header))

    def write(self, data):
        """Whole lines in one write: a crash leaves every line before it readable."""
        if data:
            os.write(self._fd, data)
            self.size += len(data)

    def close(self, mono_ms, wall_ns, message):
        if self._fd is None:
            return
        self.write(encode(end_line(mono_ms, wall_ns / 1e6, message, self.runs_completed)))
        os.close(self._fd)
        self._fd = None

    def rotate(self, mono_ms, wall_ns, reason):
        """Ends this file naming the next one, and opens the next one."""
        old = os.path.basename(self.path)
        created = self._create(utc_day(wall_ns))
        self.close(mono_ms, wall_ns, f"rotated ({reason}): the log continues in {os.path.basename(created[1])}")
        self.open(mono_ms, wall_ns, reason, previous=old, created=created)
