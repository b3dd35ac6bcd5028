"""Ground truth for comfyprof: when each node segment really ran, by the server's wall clock.

When the environment variable COMFYPROF_TRUTH_FILE names a file, every segment that a test node
runs (one call of its execute function, or of check_lazy_status) appends one JSON line:

    {"node_id": "5.0.0.1", "class_type": "ComfyprofSleep", "phase": "execute",
     "prompt_id": "...", "start_ms": 1764080000123.4, "end_ms": 1764080000424.9,
     "outcome": "ok", ...node-specific fields}

start_ms/end_ms are time.time() * 1000 (epoch ms, float), the same clock as the server's own
`timestamp` fields, taken inside the node function, so they exclude ComfyUI's own overhead.
outcome is "ok", "error" or "interrupted". Lines are appended under a lock and flushed at once.
"""
import json
import os
import threading
import time
from contextlib import contextmanager

import comfy.model_management
from comfy_execution.utils import get_executing_context

TRUTH_FILE_ENV = "COMFYPROF_TRUTH_FILE"
_write_lock = threading.Lock()


def now_ms():
    return time.time() * 1000.0


def current_prompt_id():
    """The prompt being executed: from ComfyUI's per-node context, else the server's last one."""
    context = get_executing_context()
    if context is not None and context.prompt_id:
        return context.prompt_id
    try:
        import server  # ComfyUI's own server module
        return server.PromptServer.instance.last_prompt_id
    except Exception:
        return None


def append_line(record):
    path = os.environ.get(TRUTH_FILE_ENV)
    if not path:
        return
    line = json.dumps(record, default=str) + "\n"
    with _write_lock:
        with open(path, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()


@contextmanager
def segment(node_id, class_type, phase):
    """Time the enclosed block and append it as one truth line; the block may add fields."""
    record = {
        "node_id": node_id,
        "class_type": class_type,
        "phase": phase,
        "prompt_id": current_prompt_id(),
        "start_ms": now_ms(),
    }
    outcome = "ok"
    try:
        yield record
    except comfy.model_management.InterruptProcessingException:
        outcome = "interrupted"
        raise
    except BaseException:
        outcome = "error"
        raise
    finally:
        record["end_ms"] = now_ms()
        record["outcome"] = outcome
        append_line(record)
