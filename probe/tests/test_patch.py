import unittest

from support import LogLines  # noqa: F401  (puts the probe on the path)
from comfyprof_probe.patch import tee_send_sync


class StockServer:
    """ComfyUI 0.21's send_sync, in shape."""

    def __init__(self):
        self.sent = []

    def send_sync(self, event, data, sid=None):
        self.sent.append((event, data, sid))
        return "queued"


class ChangedServer:
    """A later ComfyUI whose send_sync takes another parameter."""

    def send_sync(self, event, data, sid=None, priority=0):
        return None


class TestPatch(unittest.TestCase):
    def test_a_changed_signature_disables_the_probe_with_one_line_and_leaves_the_method(self):
        log = LogLines()
        before = ChangedServer.__dict__["send_sync"]
        self.assertFalse(tee_send_sync(ChangedServer, lambda *a: None, log))
        self.assertIs(ChangedServer.__dict__["send_sync"], before)
        self.assertEqual(len(log.lines), 1)
        self.assertIn("disabled", log.lines[0])
        self.assertIn("priority=0", log.lines[0])

    def test_a_missing_method_or_a_non_callable_disables_it(self):
        class NoMethod:
            pass

        class NotCallable:
            send_sync = 3

        for cls in (NoMethod, NotCallable):
            log = LogLines()
            self.assertFalse(tee_send_sync(cls, lambda *a: None, log))
            self.assertEqual(len(log.lines), 1)

    def test_a_renamed_parameter_or_another_default_disables_it(self):
        class Renamed:
            def send_sync(self, event, payload, sid=None):
                pass

        class NoDefault:
            def send_sync(self, event, data, sid):
                pass

        for cls in (Renamed, NoDefault):
            log = LogLines()
            self.assertFalse(tee_send_sync(cls, lambda *a: None, log))
            self.assertEqual(len(log.lines), 1, cls.__name__)

    def test_tees_every_message_after_sending_it_with_both_clocks(self):
        class Server(StockServer):
            pass

        seen = []
        self.assertTrue(tee_send_sync(Server, lambda *a: seen.append(a), LogLines()))
        server = Server()
        self.assertEqual(server.send_sync("status", {"x": 1}), "queued")
        server.send_sync("executing", {"node": "4"}, "client-a")
        self.assertEqual(server.sent, [("status", {"x": 1}, None), ("executing", {"node": "4"}, "client-a")])
        self.assertEqual([a[1:4] for a in seen], [("status", {"x": 1}, None), ("executing", {"node": "4"}, "client-a")])
        mono_ns, wall_ns = seen[0][4], seen[0][5]
        self.assertIsInstance(mono_ns, int)
        self.assertGreater(wall_ns, 1_600_000_000 * 10**9)

    def test_wrapping_twice_is_refused(self):
        class Server(StockServer):
            pass

        self.assertTrue(tee_send_sync(Server, lambda *a: None, LogLines()))
        log = LogLines()
        self.assertFalse(tee_send_sync(Server, lambda *a: None, log))
        self.assertIn("already wrapped", log.lines[0])

    def test_an_exception_in_the_tee_never_reaches_the_server_and_stops_the_tee_with_one_line(self):
        class Server(StockServer):
            pass

        calls = []

        def broken(*args):
            calls.append(args)
            raise KeyError("boom")

        log = LogLines()
        tee_send_sync(Server, broken, log)
        server = Server()
        for i in range(3):
            self.assertEqual(server.send_sync("progress", {"value": i}), "queued")
        self.assertEqual(len(server.sent), 3)
        self.assertEqual(len(calls), 1)
        self.assertEqual(len(log.lines), 1)
        self.assertIn("KeyError", log.lines[0])

    def test_the_servers_own_exception_passes_unchanged(self):
        class Failing:
            def send_sync(self, event, data, sid=None):
                raise RuntimeError("loop closed")

        seen = []
        tee_send_sync(Failing, lambda *a: seen.append(a), LogLines())
        with self.assertRaisesRegex(RuntimeError, "loop closed"):
            Failing().send_sync("status", {})
        self.assertEqual(seen, [])


if __name__ == "__main__":
    unittest.main()
