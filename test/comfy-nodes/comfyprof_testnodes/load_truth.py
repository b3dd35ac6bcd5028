"""Ground truth for model loads: how long ComfyUI's load_models_gpu really took, timed around the call.

comfyprof reads a load's duration from the server's own log lines ("Requested to load ..." to
"loaded completely; ..."). To hold that to something independent, this module wraps
comfy.model_management.load_models_gpu (every stock loader and sampler goes through it, looked up
on the module at call time) and, when COMFYPROF_TRUTH_FILE is set, appends one line per call that
loaded a model:

    {"node_id": "3", "class_type": null, "phase": "model_load", "prompt_id": "...",
     "start_ms": ..., "end_ms": ..., "duration_ms": 12.41, "models": ["TAESD"], "outcome": "ok"}

start_ms/end_ms: time.time() * 1000 (the clock of the server's timestamps); duration_ms: the same call
on the monotonic clock (time.perf_counter), which a wall-clock step cannot disturb. Calls that find
every model already loaded (no "Requested to load" line) write nothing.
"""
import functools
import time

import comfy.model_management
from comfy_execution.utils import get_executing_context

from . import truth


def _not_loaded(models):
    """The classes of the models ComfyUI will log "Requested to load" for: those not loaded yet."""
    loaded = [lm.model for lm in comfy.model_management.current_loaded_models]
    return [type(m.model).__name__ for m in models if hasattr(m, "model") and not any(m is x for x in loaded)]


def install():
    original = comfy.model_management.load_models_gpu
    if getattr(original, "_comfyprof_timed", False):
        return

    @functools.wraps(original)
    def timed_load_models_gpu(models, *args, **kwargs):
        models = list(models)
        requested = _not_loaded(models)
        context = get_executing_context()
        record = {
            "node_id": context.node_id if context is not None else None,
            "class_type": None,
            "phase": "model_load",
            "prompt_id": truth.current_prompt_id(),
            "start_ms": truth.now_ms(),
        }
        started = time.perf_counter()
        outcome = "ok"
        try:
            return original(models, *args, **kwargs)
        except BaseException:
            outcome = "error"
            raise
        finally:
            record["duration_ms"] = (time.perf_counter() - started) * 1000.0
            record["end_ms"] = truth.now_ms()
            record["models"] = requested
            record["outcome"] = outcome
            if requested:
                truth.append_line(record)

    timed_load_models_gpu._comfyprof_timed = True
    comfy.model_management.load_models_gpu = timed_load_models_gpu
