"""What one message costs the server with the probe, measured in-process with the probe's own code
and a stand-in server whose send_sync does what ComfyUI's does (hand the message to another
thread's queue), so the figure does not drown in a whole run's noise:

* on the sending thread (the worker): the wrapped send_sync − the original, per call;
* on the writer thread: CPU time to turn a message into a line and write it (JSON, os.write).

  python3 message_cost.py [--messages 20000]

Standard library only; not part of the pack ComfyUI loads (docs/performance.md "Probe overhead")."""

import argparse
import collections
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from comfyprof_probe.install import make_tee  # noqa: E402
from comfyprof_probe.log_file import ProbeLogFile  # noqa: E402
from comfyprof_probe.patch import tee_send_sync  # noqa: E402
from comfyprof_probe.writer import ProbeWriter  # noqa: E402


def progress_state(n_nodes):
    nodes = {str(i): {"value": 3, "max": 3, "state": "finished", "node_id": str(i), "prompt_id": "p" * 36, "display_node_id": str(i), "parent_node_id": None, "real_node_id": str(i)} for i in range(n_nodes)}
    return {"prompt_id": "p" * 36, "nodes": nodes}


# A run's typical mix: per node a progress_state (cumulative, 10 nodes in here), an executing, a progress.
MESSAGES = [
    ("progress_state", progress_state(10)),
    ("executing", {"node": "7", "display_node": "7", "prompt_id": "p" * 36}),
    ("progress", {"value": 2, "max": 5, "prompt_id": "p" * 36, "node": "7"}),
]


class StandInServer:
    """send_sync as ComfyUI 0.21's: put the message on a queue another thread drains."""

    def __init__(self):
        self.messages = collections.deque()

    def send_sync(self, event, data, sid=None):
        self.messages.append((event, data, sid))


def per_call_ns(server, n):
    start = time.perf_counter_ns()
    for i in range(n):
        event, data = MESSAGES[i % 3]
        server.send_sync(event, data, "client")
    return (time.perf_counter_ns() - start) / n


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=20_000)
    n = parser.parse_args().messages

    class Plain(StandInServer):
        pass

    class Probed(StandInServer):
        pass

    directory = tempfile.mkdtemp(prefix="comfyprof-probe-cost-")
    writer = ProbeWriter(ProbeLogFile(directory, "bench", {}), poll_ms=0, max_bytes=1 << 40, queue_size=n + 10, sampler=dict, log=print)
    tee_send_sync(Probed, make_tee(writer, lambda server, prompt_id: None), print)
    # The server's log buffer as ComfyUI keeps it (300 entries), read once per batch as in a server.
    server_log = collections.deque(({"t": "2026-11-30T12:00:00.000000", "m": f"line {i}\n"} for i in range(300)), maxlen=300)
    writer.server_log = lambda: list(server_log)
    writer.open()  # queue open, thread not started: the sending side is measured alone
    plain, probed = Plain(), Probed()
    per_call_ns(plain, n)  # warm-up
    plain_ns = min(per_call_ns(plain, n) for _ in range(5))
    probed_ns = []
    for _ in range(5):
        writer.queue.clear()
        probed_ns.append(per_call_ns(probed, n))
    batch = list(writer.queue)
    cpu_start = time.thread_time_ns()
    for i in range(0, len(batch), 100):  # the writer drains in batches; 100 is a busy moment's
        writer.process(batch[i : i + 100])
    writer_ns = (time.thread_time_ns() - cpu_start) / len(batch)
    size = os.path.getsize(writer.log_file.path)
    print(json.dumps({
        "messages": n,
        "sendSyncPlainNs": round(plain_ns),
        "sendSyncProbedNs": round(min(probed_ns)),
        "sendingThreadCostNs": round(min(probed_ns) - plain_ns),
        "writerCpuPerMessageNs": round(writer_ns),
        "bytesPerMessage": round(size / len(batch)),
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main()
