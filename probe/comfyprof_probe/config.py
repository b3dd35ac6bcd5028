"""The probe's settings, from environment variables (README.md "Configuration")."""

from dataclasses import dataclass
import os

DEFAULT_POLL_MS = 500
# Between runs memory changes little; a sample every 10 s keeps an idle day's log small (~8 MB).
DEFAULT_IDLE_POLL_MS = 10_000
DEFAULT_MAX_MB = 256
DEFAULT_QUEUE_SIZE = 10_000
OFF_VALUES = ("0", "off", "false", "no")


@dataclass(frozen=True)
class ProbeConfig:
    directory: str
    poll_ms: int
    idle_poll_ms: int
    max_bytes: int
    queue_size: int


class ConfigError(ValueError):
    """A variable holds a value the probe cannot use; the message names it."""


def _int_var(environ, name, default, minimum):
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} is below {minimum}")
    return value


def read_config(environ, default_directory):
    """The settings, or None when COMFYPROF_PROBE turns the probe off. Raises ConfigError."""
    if environ.get("COMFYPROF_PROBE", "").strip().lower() in OFF_VALUES:
        return None
    directory = environ.get("COMFYPROF_PROBE_DIR") or default_directory
    return ProbeConfig(
        directory=os.path.abspath(directory),
        poll_ms=_int_var(environ, "COMFYPROF_PROBE_POLL_MS", DEFAULT_POLL_MS, 0),
        idle_poll_ms=_int_var(environ, "COMFYPROF_PROBE_IDLE_POLL_MS", DEFAULT_IDLE_POLL_MS, 0),
        max_bytes=_int_var(environ, "COMFYPROF_PROBE_MAX_MB", DEFAULT_MAX_MB, 1) * 1024 * 1024,
        queue_size=_int_var(environ, "COMFYPROF_PROBE_QUEUE", DEFAULT_QUEUE_SIZE, 1),
    )
