"""The probe's parts, importable without ComfyUI (the unit tests in ../tests do)."""

PROBE_NAME = "comfyprof-probe"
PROBE_VERSION = "0.1.0"
LOG_FORMAT = "comfyprof-events"
# Probe lines ("sent", "sent-binary", "prompt") and the probe header came with 1.2 (docs/event-log.md).
LOG_VERSION = "1.2"
