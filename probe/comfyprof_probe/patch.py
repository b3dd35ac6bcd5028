"""Wrapping PromptServer.send_sync, only when it is the method the probe was written for.

ComfyUI 0.21: `def send_sync(self, event, data, sid=None)` puts (event, data, sid) on the event
loop's message queue; every message to any client passes through it. A ComfyUI that changed it is
left untouched: the probe says so in one log line and records nothing."""

import functools
import inspect
import time

EXPECTED_PARAMETERS = ("self", "event", "data", "sid")
MARK = "__comfyprof_probe__"


def signature_problem(method):
    """Why `method` is not the send_sync the probe wraps, or None when it is."""
    if method is None:
        return "PromptServer has no send_sync"
    if not callable(method):
        return "PromptServer.send_sync is not callable"
    if getattr(method, MARK, False):
        return "PromptServer.send_sync is already wrapped by a comfyprof probe"
    try:
        parameters = list(inspect.signature(method).parameters.values())
    except (TypeError, ValueError) as error:
        return f"the signature of PromptServer.send_sync cannot be read ({error})"
    names = tuple(p.name for p in parameters)
    plain = all(p.kind == inspect.Parameter.POSITIONAL_OR_KEYWORD for p in parameters)
    if names != EXPECTED_PARAMETERS or not plain or parameters[3].default is not None:
        shown = ", ".join(str(p) for p in parameters)
        return f"PromptServer.send_sync is send_sync({shown}), not send_sync(self, event, data, sid=None)"
    return None


def tee_send_sync(server_class, tee, log):
    """Makes every send_sync call also call tee(server, event, data, sid, mono_ns, wall_ns), after
    the original. Returns whether it did; when not, `log` got one line and nothing was changed.
    The tee's exceptions never reach the server: the first one switches the tee off, with one line."""
    try:
        original = getattr(server_class, "send_sync", None)
        problem = signature_problem(original)
    except Exception as error:  # an exotic class (a property that raises, …)
        problem = f"PromptServer.send_sync cannot be inspected ({error!r})"
    if problem is not None:
        log(f"comfyprof probe disabled: {problem}; the server is left untouched")
        return False

    state = {"on": True}
    monotonic_ns = time.monotonic_ns
    time_ns = time.time_ns

    @functools.wraps(original)
    def send_sync(self, event, data, sid=None):
        mono_ns = monotonic_ns()
        wall_ns = time_ns()
        result = original(self, event, data, sid)
        if state["on"]:
            try:
                tee(self, event, data, sid, mono_ns, wall_ns)
            except Exception as error:
                state["on"] = False
                try:
                    log(f"comfyprof probe stopped recording: {error!r} while teeing a {event!r} message")
                except Exception:
                    pass
        return result

    setattr(send_sync, MARK, True)
    send_sync.__comfyprof_original__ = original
    server_class.send_sync = send_sync
    return True
