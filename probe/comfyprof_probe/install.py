"""Glue for ComfyUI: read the settings, start the writer, wrap send_sync. Never raises: whatever
goes wrong leaves the server as it was, with one log line saying why."""

import atexit
import logging
import os
import platform
import socket
import sys
import time

from .config import ConfigError, read_config
from .lines import summarize_binary
from .log_file import ProbeLogFile, server_tag
from .patch import tee_send_sync
from .writer import ProbeWriter

logger = logging.getLogger("comfyprof_probe")


def _log_warning(message):
    logger.warning(message)


def _default_directory():
    import folder_paths  # ComfyUI's; the user directory honours --user-directory

    return os.path.join(folder_paths.get_user_directory(), "comfyprof-probe")


def _server_identity():
    """Who writes the log: host, process, listen address (comfy.cli_args), versions."""
    address, port = None, None
    try:
        from comfy.cli_args import args

        address, port = args.listen, args.port
    except Exception:
        pass
    try:
        from comfyui_version import __version__ as comfyui_version
    except Exception:
        comfyui_version = None
    offset_min = round((time.mktime(time.localtime()) - time.mktime(time.gmtime())) / 60)
    return {
        "server": {
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "address": address,
            "port": port,
            "comfyuiVersion": comfyui_version,
            "python": sys.version.split()[0],
            "argv": list(sys.argv),
        },
        "host": {"timeZone": time.tzname[0], "utcOffsetMin": offset_min, "platform": sys.platform},
        "clocks": {
            "wallMs": "time.time_ns() / 1e6 when send_sync was called: epoch ms, the clock of ComfyUI's own timestamps",
            "monoMs": "time.monotonic_ns() when send_sync was called, ms since the probe started",
        },
        "label": None,
    }, server_tag(address or platform.node(), port or "")


def prompt_finder(log):
    """The queue item of the prompt the executor just took, read at its execution_start (sent from
    the worker thread that alone changes currently_running). Stops looking, with one line, if
    ComfyUI keeps it elsewhere."""
    state = {"on": True}

    def find(server, prompt_id):
        if not state["on"]:
            return None
        try:
            for item in list(server.prompt_queue.currently_running.values()):
                if item[1] == prompt_id:
                    return item
        except Exception as error:
            state["on"] = False
            log(f"comfyprof probe: prompts will not be recorded ({error!r} reading the prompt queue); messages still are")
        return None

    return find


def make_tee(writer, find_prompt):
    submit = writer.submit

    def tee(server, event, data, sid, mono_ns, wall_ns):
        # The server's log goes to each subscribed client as its own copy: recorded once, from the
        # log itself (record_server_log), not once per subscriber.
        if event == "logs":
            return
        if isinstance(event, int):
            submit(("binary", mono_ns, wall_ns, summarize_binary(event, data), sid))
            return
        if event == "execution_start" and isinstance(data, dict):
            item = find_prompt(server, data.get("prompt_id"))
            if item is not None:
                submit(("prompt", mono_ns, wall_ns, item, sid))
        submit(("sent", mono_ns, wall_ns, event, data, sid))

    return tee


def server_log_source(log):
    """The server's log buffer, as a function giving its entries now (app.logger.get_logs(): the
    last 300 writes to stdout/stderr, {t, m}), or None with one line when ComfyUI has none.
    Read-only: ComfyUI's flush callbacks hand the pending entries to the first callback only
    (app/logger.py resets them inside the loop), so a callback of ours would get nothing, or, put
    first, take them from the server's own log streaming."""
    try:
        from app.logger import get_logs

        if get_logs() is None:
            raise RuntimeError("the server's log buffer is not set up")
    except Exception as error:
        log(f"comfyprof probe: the server's log lines will not be recorded ({error!r}); messages still are")
        return None
    # list() of a deque is one C call: atomic under the GIL, even while the server writes.
    return lambda: list(get_logs())


def start_probe(server_class, config, header_fields, tag, sampler, log):
    """The running writer with send_sync wrapped, or None (and one line logged) when it cannot be."""
    writer = ProbeWriter(
        ProbeLogFile(config.directory, tag, {**header_fields, "probe": {"pollMs": config.poll_ms, "idlePollMs": config.idle_poll_ms, "maxBytes": config.max_bytes, "queueSize": config.queue_size}}),
        poll_ms=config.poll_ms,
        idle_poll_ms=config.idle_poll_ms,
        max_bytes=config.max_bytes,
        queue_size=config.queue_size,
        sampler=sampler,
        log=log,
    )
    tee = make_tee(writer, prompt_finder(log))
    if not tee_send_sync(server_class, tee, log):
        return None
    writer.server_log = server_log_source(log)
    try:
        writer.start()
    except OSError as error:
        server_class.send_sync = server_class.send_sync.__comfyprof_original__
        log(f"comfyprof probe disabled: cannot write to {config.directory} ({error}); set COMFYPROF_PROBE_DIR to a writable directory")
        return None
    atexit.register(writer.stop)
    return writer


def install_into_comfyui(environ=None):
    try:
        config = read_config(os.environ if environ is None else environ, _default_directory())
        if config is None:
            logger.info("comfyprof probe: off (COMFYPROF_PROBE)")
            return None
        from server import PromptServer
        from .stats import comfy_system_stats

        header_fields, tag = _server_identity()
        writer = start_probe(PromptServer, config, header_fields, tag, comfy_system_stats, _log_warning)
        if writer is not None:
            logger.info(f"comfyprof probe: recording every message the server sends to {writer.log_file.path}")
        return writer
    except ConfigError as error:
        _log_warning(f"comfyprof probe disabled: {error}; see the probe's README.md")
    except Exception as error:
        _log_warning(f"comfyprof probe disabled: {error!r}; the server is left untouched")
    return None
