"""comfyprof test nodes: known, timed work for measuring the profiler against ground truth.

Classic (v1) ComfyUI node classes. Every node takes the hidden `unique_id` and writes its segments
to the truth file (see truth.py). Pass-through inputs and outputs use ComfyUI's any type "*", so
the nodes chain in any order.
"""
import asyncio
import mmap
import time

import comfy.model_management
import comfy.utils
from comfy_execution.graph_utils import GraphBuilder

from . import truth

CATEGORY = "comfyprof/test"
ANY = "*"
HIDDEN = {"unique_id": "UNIQUE_ID"}

# Sleeps are cut into slices this long so that progress steps land on time and
# POST /interrupt takes effect within one slice.
SLICE_SECONDS = 0.01
# The RAM node fills its buffer one 1 MB chunk at a time (~0.5 ms of C work holding the GIL), so
# between chunks Python's thread switch (every 5 ms) lets the server's event loop run; one big
# C-level fill, bytearray(800 MB), held the GIL and froze the loop for ~1.2 s. No time.sleep(0):
# here each call costs ~1.6 ms, which made a 400 MB fill take 0.9 s instead of 0.2 s.
MEGABYTE = 1 << 20
RAM_CHUNK_BYTES = MEGABYTE


def _seconds_input(default):
    return ("FLOAT", {"default": default, "min": 0.0, "max": 3600.0, "step": 0.01})


def _steps_input(default):
    return ("INT", {"default": default, "min": 0, "max": 10000})


def _steps_due(steps, elapsed, seconds):
    """Progress steps that should have been reported `elapsed` seconds into a `seconds` sleep."""
    if seconds <= 0 or elapsed >= seconds:
        return steps
    return int(steps * elapsed / seconds)


class _SleepPlan:
    """Shared by the sync and async sleeps: when to stop and which progress step is due."""

    def __init__(self, seconds, steps, unique_id):
        self.seconds = seconds
        self.steps = steps
        self.start = time.monotonic()
        self.deadline = self.start + seconds
        self.reported = 0
        # ProgressBar sends `progress` and `progress_state`; it always sends the first and the
        # last update, and in between at most one per 100 ms and 0.5 % (comfy/utils.py).
        self.bar = comfy.utils.ProgressBar(steps, node_id=unique_id) if steps > 0 else None

    def tick(self):
        """Check for interrupt, report due progress; return the seconds left to sleep (0 = done)."""
        comfy.model_management.throw_exception_if_processing_interrupted()
        now = time.monotonic()
        if self.bar is not None:
            due = _steps_due(self.steps, now - self.start, self.seconds)
            if due > self.reported:
                self.bar.update_absolute(due)
                self.reported = due
        return max(0.0, self.deadline - now)


def sleep_with_progress(seconds, steps, unique_id):
    plan = _SleepPlan(seconds, steps, unique_id)
    while (left := plan.tick()) > 0:
        time.sleep(min(SLICE_SECONDS, left))


async def async_sleep_with_progress(seconds, steps, unique_id):
    plan = _SleepPlan(seconds, steps, unique_id)
    while (left := plan.tick()) > 0:
        await asyncio.sleep(min(SLICE_SECONDS, left))


class ComfyprofSleep:
    DESCRIPTION = "Sleeps (blocking the executor) with progress steps; passes `value` through."
    CATEGORY = CATEGORY
    RETURN_TYPES = (ANY,)
    RETURN_NAMES = ("value",)
    FUNCTION = "execute"

    @classmethod
    def INPUT_TYPES(cls):
        return {
            "required": {"seconds": _seconds_input(0.5), "steps": _steps_input(5)},
            "optional": {"value": (ANY,)},
            "hidden": HIDDEN,
        }

    def execute(self, seconds, steps, unique_id, value=None):
        with truth.segment(unique_id, "ComfyprofSleep", "execute"):
            sleep_with_progress(seconds, steps, unique_id)
        return (value,)


class ComfyprofAsyncSleep:
    DESCRIPTION = "Like ComfyprofSleep but async (asyncio.sleep): other nodes run meanwhile."
    CATEGORY = CATEGORY
    RETURN_TYPES = (ANY,)
    RETURN_NAMES = ("value",)
    FUNCTION = "execute"

    @classmethod
    def INPUT_TYPES(cls):
        return ComfyprofSleep.INPUT_TYPES()

    async def execute(self, seconds, steps, unique_id, value=None):
        with truth.segment(unique_id, "ComfyprofAsyncSleep", "execute"):
            await async_sleep_with_progress(seconds, steps, unique_id)
        return (value,)


class ComfyprofLazy:
    DESCRIPTION = (
        "Lazy input `a`: check_lazy_status sleeps `pre_seconds`, then asks for `a`; after `a`'s "
        "node has run, the node runs again and execute sleeps `post_seconds`. Returns `a`."
    )
    CATEGORY = CATEGORY
    RETURN_TYPES = (ANY,)
    RETURN_NAMES = ("value",)
    FUNCTION = "execute"

    def __init__(self):
        # ComfyUI calls check_lazy_status again once the inputs it asked for are ready; only the
        # first call of a run sleeps. Keyed by prompt id because node objects outlive prompts.
        self._asked_in_prompt = None

    @classmethod
    def INPUT_TYPES(cls):
        return {
            "required": {
                "a": (ANY, {"lazy": True}),
                "pre_seconds": _seconds_input(0.2),
                "post_seconds": _seconds_input(0.2),
            },
            "optional": {
                "b": (ANY, {"lazy": True}),
                "want_b": ("BOOLEAN", {"default": False}),
            },
            "hidden": HIDDEN,
        }

    def check_lazy_status(self, pre_seconds, unique_id, want_b=False, **_inputs):
        with truth.segment(unique_id, "ComfyprofLazy", "check_lazy") as record:
            if self._asked_in_prompt == record["prompt_id"]:
                record["requested"] = []
                return []
            self._asked_in_prompt = record["prompt_id"]
            sleep_with_progress(pre_seconds, 0, unique_id)
            requested = ["a", "b"] if want_b else ["a"]
            record["requested"] = requested
            return requested

    def execute(self, a, pre_seconds, post_seconds, unique_id, b=None, want_b=False):
        self._asked_in_prompt = None
        with truth.segment(unique_id, "ComfyprofLazy", "execute"):
            sleep_with_progress(post_seconds, 0, unique_id)
        return (a,)


class ComfyprofExpand:
    DESCRIPTION = (
        "Expands into `count` chained ComfyprofSleep nodes (ids <this>.0.0.1, .2, ...), each "
        "`seconds` long, fed by `value`; returns the last one's output."
    )
    CATEGORY = CATEGORY
    RETURN_TYPES = (ANY,)
    RETURN_NAMES = ("value",)
    FUNCTION = "execute"

    @classmethod
    def INPUT_TYPES(cls):
        return {
            "required": {
                "count": ("INT", {"default": 3, "min": 1, "max": 100}),
                "seconds": _seconds_input(0.2),
                "steps": _steps_input(2),
            },
            # rawLink: receive the link itself, so the first child reads the upstream node directly.
            "optional": {"value": (ANY, {"rawLink": True})},
            "hidden": HIDDEN,
        }

    def execute(self, count, seconds, steps, unique_id, value=None):
        with truth.segment(unique_id, "ComfyprofExpand", "execute") as record:
            graph = GraphBuilder()  # prefix "<unique_id>.<call>.<graph>." set by ComfyUI
            previous = value
            for _ in range(count):
                inputs = {"seconds": seconds, "steps": steps}
                if previous is not None:
                    inputs["value"] = previous
                previous = graph.node("ComfyprofSleep", **inputs).out(0)
            expanded = graph.finalize()
            record["expanded"] = list(expanded)
        return {"result": (previous,), "expand": expanded}


class ComfyprofRam:
    DESCRIPTION = "Allocates `megabytes` MB (anonymous mmap, every page touched), holds it `seconds`, frees it."
    CATEGORY = CATEGORY
    RETURN_TYPES = (ANY,)
    RETURN_NAMES = ("value",)
    FUNCTION = "execute"

    @classmethod
    def INPUT_TYPES(cls):
        return {
            "required": {
                "megabytes": ("INT", {"default": 400, "min": 1, "max": 16384}),
                "seconds": _seconds_input(1.0),
                "steps": _steps_input(5),
            },
            "optional": {"value": (ANY,)},
            "hidden": HIDDEN,
        }

    def execute(self, megabytes, seconds, steps, unique_id, value=None):
        with truth.segment(unique_id, "ComfyprofRam", "execute") as record:
            size = megabytes * MEGABYTE
            record["megabytes"] = megabytes
            buffer = mmap.mmap(-1, size)  # anonymous: no memory used until pages are written
            try:
                chunk = b"\x01" * RAM_CHUNK_BYTES
                for offset in range(0, size, RAM_CHUNK_BYTES):
                    # Writing every page makes the kernel back it with real memory.
                    buffer[offset:offset + RAM_CHUNK_BYTES] = chunk[:size - offset]
                    comfy.model_management.throw_exception_if_processing_interrupted()
                record["alloc_end_ms"] = truth.now_ms()
                sleep_with_progress(seconds, steps, unique_id)
            finally:
                record["release_start_ms"] = truth.now_ms()
                buffer.close()
        return (value,)


class ComfyprofGilHold:
    DESCRIPTION = (
        "Zero-fills `megabytes` MB in one C call as it starts (holds Python's GIL: the server's event loop, and so every "
        "message, waits), frees it, then sleeps `seconds` with progress."
    )
    CATEGORY = CATEGORY
    RETURN_TYPES = (ANY,)
    RETURN_NAMES = ("value",)
    FUNCTION = "execute"

    @classmethod
    def INPUT_TYPES(cls):
        return {
            "required": {
                "megabytes": ("INT", {"default": 600, "min": 1, "max": 16384}),
                "seconds": _seconds_input(0.2),
                "steps": _steps_input(2),
            },
            "optional": {"value": (ANY,)},
            "hidden": HIDDEN,
        }

    def execute(self, megabytes, seconds, steps, unique_id, value=None):
        with truth.segment(unique_id, "ComfyprofGilHold", "execute") as record:
            record["megabytes"] = megabytes
            held = bytearray(megabytes * MEGABYTE)  # one C call: the GIL is not released until it returns
            record["hold_end_ms"] = truth.now_ms()
            del held
            sleep_with_progress(seconds, steps, unique_id)
        return (value,)


class ComfyprofRaise:
    DESCRIPTION = "Sleeps `seconds`, then raises RuntimeError(`message`)."
    CATEGORY = CATEGORY
    RETURN_TYPES = (ANY,)
    RETURN_NAMES = ("value",)
    FUNCTION = "execute"

    @classmethod
    def INPUT_TYPES(cls):
        return {
            "required": {
                "message": ("STRING", {"default": "comfyprof test failure"}),
                "seconds": _seconds_input(0.0),
            },
            "optional": {"value": (ANY,)},
            "hidden": HIDDEN,
        }

    def execute(self, message, seconds, unique_id, value=None):
        with truth.segment(unique_id, "ComfyprofRaise", "execute"):
            sleep_with_progress(seconds, 0, unique_id)
            raise RuntimeError(message)


class ComfyprofJoin:
    DESCRIPTION = "Output node joining up to four branches; passes `a` through."
    CATEGORY = CATEGORY
    RETURN_TYPES = (ANY,)
    RETURN_NAMES = ("value",)
    FUNCTION = "execute"
    OUTPUT_NODE = True

    @classmethod
    def INPUT_TYPES(cls):
        return {
            "required": {},
            "optional": {name: (ANY,) for name in ("a", "b", "c", "d")},
            "hidden": HIDDEN,
        }

    def execute(self, unique_id, **branches):
        with truth.segment(unique_id, "ComfyprofJoin", "execute") as record:
            joined = sorted(branches)
            record["joined"] = joined
        # A small UI output, so the node gets an `executed` message and a /history output.
        return {"ui": {"text": [f"joined {','.join(joined) or 'nothing'}"]}, "result": (branches.get("a"),)}


class ComfyprofModelSteps:
    DESCRIPTION = (
        "A sampler's shape with known times: loads `vae` through ComfyUI's model management (real load lines), "
        "sleeps `warmup_seconds`, then reports `steps` progress steps `step_seconds` apart; passes `vae` on."
    )
    CATEGORY = CATEGORY
    RETURN_TYPES = ("VAE",)
    RETURN_NAMES = ("vae",)
    FUNCTION = "execute"

    @classmethod
    def INPUT_TYPES(cls):
        return {
            "required": {
                "vae": ("VAE",),
                "warmup_seconds": _seconds_input(0.3),
                "steps": ("INT", {"default": 8, "min": 1, "max": 10000}),
                # At least ProgressBar's 100 ms throttle, so every step is sent.
                "step_seconds": _seconds_input(0.15),
            },
            "hidden": HIDDEN,
        }

    def execute(self, vae, warmup_seconds, steps, step_seconds, unique_id):
        with truth.segment(unique_id, "ComfyprofModelSteps", "execute") as record:
            # The load is timed by load_truth.py's wrapper (its own truth line, phase "model_load").
            comfy.model_management.load_models_gpu([vae.patcher])
            record["load_end_ms"] = truth.now_ms()
            _sleep_until(time.monotonic() + warmup_seconds)
            bar = comfy.utils.ProgressBar(steps, node_id=unique_id)
            first = time.monotonic()
            step_ms = []
            for k in range(1, steps + 1):
                # Deadlines from one origin: slice overshoot does not add up over the steps.
                _sleep_until(first + k * step_seconds)
                step_ms.append(truth.now_ms())
                bar.update_absolute(k)
            record["step_ms"] = step_ms
        return (vae,)


def _sleep_until(deadline):
    while (left := deadline - time.monotonic()) > 0:
        comfy.model_management.throw_exception_if_processing_interrupted()
        time.sleep(min(SLICE_SECONDS, left))


NODE_CLASS_MAPPINGS = {
    cls.__name__: cls
    for cls in (
        ComfyprofSleep,
        ComfyprofAsyncSleep,
        ComfyprofLazy,
        ComfyprofExpand,
        ComfyprofRam,
        ComfyprofGilHold,
        ComfyprofRaise,
        ComfyprofJoin,
        ComfyprofModelSteps,
    )
}

NODE_DISPLAY_NAME_MAPPINGS = {
    name: "Comfyprof " + name[len("Comfyprof"):] for name in NODE_CLASS_MAPPINGS
}
