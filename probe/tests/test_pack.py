"""The pack as ComfyUI loads it (custom_nodes/<dir>/__init__.py), against stand-in `server` and
`folder_paths` modules: a ComfyUI whose send_sync changed, and one whose did not."""

import atexit
import collections
import importlib.util
import os
import sys
import tempfile
import types
import unittest

from support import PROBE_DIR, read_lines


class ChangedPromptServer:
    def send_sync(self, event, data, sid=None, *, binary=False):
        return None


class StockPromptServer:
    def __init__(self):
        self.prompt_queue = types.SimpleNamespace(currently_running={})
        self.sent = []

    def send_sync(self, event, data, sid=None):
        self.sent.append(event)


def load_pack(server_class, user_dir, env, server_log=None):
    sys.modules["server"] = types.SimpleNamespace(PromptServer=server_class)
    sys.modules["folder_paths"] = types.SimpleNamespace(get_user_directory=lambda: user_dir)
    # ComfyUI's app.logger: get_logs() is its buffer of the last writes to stdout/stderr.
    logger = types.ModuleType("app.logger")
    logger.get_logs = lambda: server_log
    sys.modules["app"] = types.ModuleType("app")
    sys.modules["app.logger"] = logger
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        name = f"probe_pack_{id(server_class)}"
        spec = importlib.util.spec_from_file_location(name, os.path.join(PROBE_DIR, "__init__.py"), submodule_search_locations=[PROBE_DIR])
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    finally:
        os.environ.clear()
        os.environ.update(saved)
        del sys.modules["server"], sys.modules["folder_paths"], sys.modules["app"], sys.modules["app.logger"]


class TestPack(unittest.TestCase):
    def test_a_comfyui_whose_send_sync_changed_keeps_it_and_gets_one_log_line(self):
        user_dir = tempfile.mkdtemp()
        before = ChangedPromptServer.__dict__["send_sync"]
        with self.assertLogs("comfyprof_probe", level="INFO") as logged:
            module = load_pack(ChangedPromptServer, user_dir, {})
        self.assertEqual(module.NODE_CLASS_MAPPINGS, {})
        self.assertIs(ChangedPromptServer.__dict__["send_sync"], before)
        self.assertEqual(len(logged.records), 1)
        self.assertIn("disabled", logged.output[0])
        self.assertEqual(os.listdir(user_dir), [])

    def test_a_stock_comfyui_gets_every_message_its_prompts_and_its_log_in_the_user_directory(self):
        user_dir = tempfile.mkdtemp()
        server_log = collections.deque([{"t": "2026-11-30T11:59:59.000001", "m": "Starting server\n"}], maxlen=300)
        with self.assertLogs("comfyprof_probe", level="INFO"):
            load_pack(StockPromptServer, user_dir, {"COMFYPROF_PROBE_POLL_MS": "0", "COMFYPROF_PROBE_IDLE_POLL_MS": "0"}, server_log)
        server = StockPromptServer()
        prompt = {"1": {"class_type": "EmptyImage", "inputs": {}}}
        server.prompt_queue.currently_running[0] = (0, "p1", prompt, {"create_time": 5}, ["1"], {})
        server.send_sync("execution_start", {"prompt_id": "p1", "timestamp": 6}, "c")
        server.send_sync(1, b"\0\0\0\2png", "c")
        server_log.append({"t": "2026-11-30T12:00:00.000001", "m": "Requested to load AutoencodingEngine\n"})
        # Each subscribed client's copy of the log: recorded once, from the log itself, not per client.
        server.send_sync("logs", {"entries": [], "size": {}}, "c")
        self.assertEqual(server.sent, ["execution_start", 1, "logs"])
        writer_dir = os.path.join(user_dir, "comfyprof-probe")
        atexit._run_exitfuncs()  # what the server's exit does: the writer writes what is queued and ends the file
        (name,) = os.listdir(writer_dir)
        kinds = [l["kind"] for l in read_lines(os.path.join(writer_dir, name))]
        self.assertEqual([k for k in kinds if k != "server-log"], ["header", "prompt", "sent", "sent-binary", "end"])
        logged = [e["m"] for l in read_lines(os.path.join(writer_dir, name)) if l["kind"] == "server-log" for e in l["entries"]]
        self.assertEqual(logged, ["Starting server\n", "Requested to load AutoencodingEngine\n"])

    def test_a_comfyui_that_keeps_its_queue_elsewhere_loses_the_prompts_with_one_line_not_the_messages(self):
        class QueuelessServer:
            def send_sync(self, event, data, sid=None):
                pass

        user_dir = tempfile.mkdtemp()
        with self.assertLogs("comfyprof_probe", level="INFO") as logged:
            load_pack(QueuelessServer, user_dir, {"COMFYPROF_PROBE_POLL_MS": "0", "COMFYPROF_PROBE_IDLE_POLL_MS": "0"})
            server = QueuelessServer()
            for prompt_id in ("p1", "p2"):
                server.send_sync("execution_start", {"prompt_id": prompt_id, "timestamp": 6}, "c")
        self.assertEqual(sum("prompts will not be recorded" in line for line in logged.output), 1)
        atexit._run_exitfuncs()
        writer_dir = os.path.join(user_dir, "comfyprof-probe")
        (name,) = os.listdir(writer_dir)
        kinds = [l["kind"] for l in read_lines(os.path.join(writer_dir, name)) if l["kind"] != "server-log"]
        self.assertEqual(kinds, ["header", "sent", "sent", "end"])

    def test_a_bad_setting_disables_it_with_one_line_naming_the_variable(self):
        class Server:
            def send_sync(self, event, data, sid=None):
                pass

        before = Server.__dict__["send_sync"]
        with self.assertLogs("comfyprof_probe", level="INFO") as logged:
            load_pack(Server, tempfile.mkdtemp(), {"COMFYPROF_PROBE_MAX_MB": "lots"})
        self.assertIs(Server.__dict__["send_sync"], before)
        self.assertEqual(len(logged.records), 1)
        self.assertIn("COMFYPROF_PROBE_MAX_MB", logged.output[0])


if __name__ == "__main__":
    unittest.main()
