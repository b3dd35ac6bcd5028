"""The probe's log lines (docs/event-log.md, version 1.2), as dicts, and their encoding.

Times: `monoMs` is the server's monotonic clock (time.monotonic_ns) in ms since the probe started,
`wallMs` its wall clock (time.time_ns) in epoch ms, both taken as send_sync was called."""

import json
import struct

# ComfyUI's BinaryEventTypes (server.py): 2 is an image not yet encoded, sent as a type-1 frame.
PREVIEW_IMAGE = 1
UNENCODED_PREVIEW_IMAGE = 2
TEXT = 3
PREVIEW_IMAGE_WITH_METADATA = 4
IMAGE_FORMAT_NUMBERS = {"JPEG": 1, "PNG": 2}
IMAGE_MIME_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


def encode(line):
    """One line, UTF-8, with its line break. Values JSON cannot hold are written as their repr.
    Without the circular-reference check (30 % of the time of a progress_state): ComfyUI's messages
    are trees, and a cycle still fails, as a RecursionError, which the writer turns into a note."""
    return (json.dumps(line, ensure_ascii=False, separators=(",", ":"), default=repr, check_circular=False) + "\n").encode("utf-8")


def stamped(kind, mono_ms, wall_ms, **fields):
    return {"kind": kind, "wallMs": wall_ms, "monoMs": mono_ms, **fields}


def sent_line(mono_ms, wall_ms, event, data, sid):
    """A JSON message as the server sends it; `sid` null: to every client."""
    return stamped("sent", mono_ms, wall_ms, sid=sid, msg={"type": event, "data": data})


def _image_summary(image_tuple):
    """(image_type, PIL image, max_size), as ComfyUI passes a preview to send_sync."""
    image_type = image_tuple[0] if isinstance(image_tuple, (tuple, list)) and image_tuple else None
    return image_type if isinstance(image_type, str) else None


def summarize_binary(event, data):
    """What a binary frame was, never its bytes: the frame's type on the wire, its size when the
    server had already encoded it, the image format, the node. Cheap and total (runs on the
    sending thread, so it copies the metadata that the server will change later)."""
    summary = {"eventType": event, "bytes": None, "imageFormat": None, "nodeId": None, "meta": None}
    if isinstance(data, (bytes, bytearray)):
        summary["bytes"] = len(data) + 4
        if event == PREVIEW_IMAGE and len(data) >= 4:
            summary["imageFormat"] = struct.unpack(">I", bytes(data[:4]))[0]
        elif event == TEXT and len(data) >= 4:
            length = struct.unpack(">I", bytes(data[:4]))[0]
            if 4 + length <= len(data):
                summary["nodeId"] = bytes(data[4 : 4 + length]).decode("utf-8", "replace")
    elif event == UNENCODED_PREVIEW_IMAGE:
        summary["eventType"] = PREVIEW_IMAGE
        summary["imageFormat"] = IMAGE_FORMAT_NUMBERS.get(_image_summary(data))
    elif event == PREVIEW_IMAGE_WITH_METADATA and isinstance(data, (tuple, list)) and len(data) == 2:
        image_type = _image_summary(data[0])
        summary["imageFormat"] = IMAGE_MIME_TYPES.get(image_type, image_type)
        if isinstance(data[1], dict):
            summary["meta"] = dict(data[1])
            node = data[1].get("node_id")
            summary["nodeId"] = node if isinstance(node, str) else None
    return summary


def sent_binary_line(mono_ms, wall_ms, summary, sid):
    return stamped("sent-binary", mono_ms, wall_ms, sid=sid, **summary)


def prompt_line(mono_ms, wall_ms, queue_item, sid):
    """The prompt the executor took, from its queue item (number, prompt_id, prompt, extra_data,
    outputs_to_execute, sensitive). Of extra_data only create_time: the rest may hold the
    submitter's tokens; `sensitive` is never read."""
    number, prompt_id, prompt, extra_data, outputs = queue_item[:5]
    create_time = extra_data.get("create_time") if isinstance(extra_data, dict) else None
    return stamped(
        "prompt",
        mono_ms,
        wall_ms,
        promptId=prompt_id,
        number=number,
        clientId=sid,
        prompt=prompt,
        outputsToExecute=list(outputs) if isinstance(outputs, (list, tuple)) else None,
        createTimeMs=create_time if isinstance(create_time, (int, float)) else None,
    )


def server_log_line(mono_ms, wall_ms, entries):
    """The server's own output since its last flush, as ComfyUI's log buffer holds it: [{t, m}],
    `t` its local time (ISO, no zone), `m` the text written."""
    return stamped("server-log", mono_ms, wall_ms, entries=entries)


def stats_line(sent_mono_ms, mono_ms, wall_ms, response, error):
    """A /system_stats-equivalent sample taken in the probe's thread: sentMonoMs when it began."""
    status = None if error is not None else 200
    return stamped("stats", mono_ms, wall_ms, sentMonoMs=sent_mono_ms, status=status, response=response, error=error)


def note_line(mono_ms, wall_ms, note, message, **fields):
    return stamped("note", mono_ms, wall_ms, note=note, message=message, **fields)


def end_line(mono_ms, wall_ms, message, runs_completed):
    return stamped("end", mono_ms, wall_ms, reason="done", message=message, runsCompleted=runs_completed)
