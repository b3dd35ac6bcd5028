import struct
import unittest

import support  # noqa: F401
from comfyprof_probe.config import ConfigError, read_config
from comfyprof_probe.lines import encode, prompt_line, summarize_binary


class FakeImage:
    size = (64, 64)


class TestBinarySummary(unittest.TestCase):
    def test_an_encoded_preview_gives_its_size_and_format_never_its_bytes(self):
        frame = struct.pack(">I", 2) + b"\x89PNG" + b"\0" * 100
        self.assertEqual(summarize_binary(1, frame), {"eventType": 1, "bytes": len(frame) + 4, "imageFormat": 2, "nodeId": None, "meta": None})

    def test_an_unencoded_preview_is_a_type_1_frame_of_unknown_size(self):
        self.assertEqual(summarize_binary(2, ("JPEG", FakeImage(), 512)), {"eventType": 1, "bytes": None, "imageFormat": 1, "nodeId": None, "meta": None})

    def test_a_text_frame_names_its_node(self):
        frame = struct.pack(">I", 4) + b"12:5" + b"hello"
        self.assertEqual(summarize_binary(3, frame)["nodeId"], "12:5")

    def test_a_preview_with_metadata_keeps_a_copy_of_the_metadata(self):
        meta = {"node_id": "7", "prompt_id": "p"}
        summary = summarize_binary(4, (("PNG", FakeImage(), None), meta))
        meta["image_type"] = "image/png"  # what the server adds later, on its event loop
        self.assertEqual(summary, {"eventType": 4, "bytes": None, "imageFormat": "image/png", "nodeId": "7", "meta": {"node_id": "7", "prompt_id": "p"}})

    def test_an_unexpected_shape_gives_nulls_not_an_exception(self):
        self.assertEqual(summarize_binary(4, "odd")["meta"], None)
        self.assertEqual(summarize_binary(9, None)["bytes"], None)


class TestPromptLine(unittest.TestCase):
    def test_keeps_the_prompt_outputs_and_create_time_and_nothing_else_of_extra_data(self):
        prompt = {"1": {"class_type": "EmptyImage", "inputs": {}}}
        item = (3, "p1", prompt, {"create_time": 1796040000123, "client_id": "c", "api_key_comfy_org": "SECRET"}, ["1"], {"x": "SECRET"})
        line = prompt_line(10.5, 1796040000200.0, item, "c")
        self.assertEqual(line, {
            "kind": "prompt", "wallMs": 1796040000200.0, "monoMs": 10.5, "promptId": "p1", "number": 3, "clientId": "c",
            "prompt": prompt, "outputsToExecute": ["1"], "createTimeMs": 1796040000123,
        })
        self.assertNotIn(b"SECRET", encode(line))


class TestConfig(unittest.TestCase):
    def test_on_by_default_in_the_given_directory(self):
        config = read_config({}, "/tmp/x")
        self.assertEqual((config.directory, config.poll_ms, config.idle_poll_ms, config.max_bytes, config.queue_size), ("/tmp/x", 500, 10_000, 256 << 20, 10_000))

    def test_off_when_asked(self):
        for value in ("0", "off", "OFF", "false", "no"):
            self.assertIsNone(read_config({"COMFYPROF_PROBE": value}, "/tmp/x"))

    def test_reads_every_variable(self):
        env = {"COMFYPROF_PROBE_DIR": "/tmp/y", "COMFYPROF_PROBE_POLL_MS": "0", "COMFYPROF_PROBE_MAX_MB": "2", "COMFYPROF_PROBE_QUEUE": "5"}
        config = read_config(env, "/tmp/x")
        self.assertEqual((config.directory, config.poll_ms, config.max_bytes, config.queue_size), ("/tmp/y", 0, 2 << 20, 5))

    def test_a_bad_value_names_the_variable(self):
        with self.assertRaisesRegex(ConfigError, "COMFYPROF_PROBE_POLL_MS='fast'"):
            read_config({"COMFYPROF_PROBE_POLL_MS": "fast"}, "/tmp/x")
        with self.assertRaisesRegex(ConfigError, "COMFYPROF_PROBE_QUEUE='0' is below 1"):
            read_config({"COMFYPROF_PROBE_QUEUE": "0"}, "/tmp/x")


if __name__ == "__main__":
    unittest.main()
