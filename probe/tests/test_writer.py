import os
import tempfile
import threading
import unittest

from support import DAY_NS, FakeClock, LogLines, read_lines
from comfyprof_probe.log_file import ProbeLogFile
from comfyprof_probe.writer import STOP, ProbeWriter

PROMPT = ("p1", {"1": {"class_type": "ComfyprofSleep", "inputs": {}}})


def make_writer(directory, clock, *, max_bytes=1 << 20, queue_size=100, poll_ms=0, sampler=lambda: {"system": {}}):
    log_file = ProbeLogFile(directory, "127.0.0.1-8188", {"server": {"pid": 1}, "probe": {"pollMs": poll_ms}})
    return ProbeWriter(log_file, poll_ms=poll_ms, max_bytes=max_bytes, queue_size=queue_size, sampler=sampler, log=LogLines(), clock=clock)


def sent(clock, event, data, sid="client"):
    return ("sent", clock.mono, clock.wall, event, data, sid)


def run_messages(clock, prompt_id, node_ms=100):
    """One run's messages, the clock moving as they are made."""
    items = [sent(clock, "execution_start", {"prompt_id": prompt_id, "timestamp": clock.wall // 10**6})]
    clock.advance_ms(1)
    items.append(sent(clock, "executing", {"node": "1", "display_node": "1", "prompt_id": prompt_id}))
    clock.advance_ms(node_ms)
    items.append(sent(clock, "execution_success", {"prompt_id": prompt_id, "timestamp": clock.wall // 10**6}))
    clock.advance_ms(1)
    items.append(sent(clock, "executing", {"node": None, "prompt_id": prompt_id}))
    return items


class TestWriter(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="comfyprof-probe-test-")

    def files(self):
        """In the order the probe opened them (its header's file index)."""
        paths = [os.path.join(self.dir, f) for f in os.listdir(self.dir)]
        return sorted(paths, key=lambda p: read_lines(p)[0].get("file", {}).get("index", 0))

    def test_lines_carry_the_servers_clocks_relative_to_the_probes_start(self):
        clock = FakeClock()
        writer = make_writer(self.dir, clock)
        writer.open()
        clock.advance_ms(250)
        writer.process([sent(clock, "status", {"status": {}}, None), STOP])
        header, status, end = read_lines(self.files()[0])
        self.assertEqual((header["kind"], header["source"], header["version"], header["monoMs"]), ("header", "probe", "1.2", 0))
        self.assertEqual(status["kind"], "sent")
        self.assertEqual(status["monoMs"], 250)
        self.assertEqual(status["wallMs"], clock.wall / 1e6)
        self.assertEqual((status["sid"], status["msg"]), (None, {"type": "status", "data": {"status": {}}}))
        self.assertEqual((end["kind"], end["reason"]), ("end", "done"))

    def test_a_full_queue_drops_new_messages_counts_them_and_says_so_in_the_log(self):
        entered, release = threading.Event(), threading.Event()

        def blocking_sampler():
            entered.set()
            release.wait(5)
            return {"system": {}}

        clock = FakeClock()
        writer = make_writer(self.dir, clock, queue_size=2, poll_ms=1, sampler=blocking_sampler)
        writer.idle_poll_ms = 1
        writer.start()
        self.assertTrue(entered.wait(5))
        for i in range(5):
            writer.submit(sent(clock, "progress", {"value": i}))
        self.assertEqual(writer.dropped, 3)
        release.set()
        writer.stop()
        lines = read_lines(self.files()[0])
        values = [l["msg"]["data"]["value"] for l in lines if l["kind"] == "sent"]
        self.assertEqual(values, [0, 1])
        notes = [l for l in lines if l["kind"] == "note"]
        self.assertEqual([(n["note"], n["count"], n["total"]) for n in notes], [("probe-dropped", 3, 3)])
        self.assertEqual(lines[-1]["kind"], "end")

    def test_rotates_by_size_only_between_runs_each_file_complete_on_its_own(self):
        clock = FakeClock()
        writer = make_writer(self.dir, clock, max_bytes=300)
        writer.open()
        first = run_messages(clock, "p1")
        writer.process(first[:2])  # past 300 bytes, but p1 is running: no rotation yet
        self.assertEqual(len(self.files()), 1)
        writer.process(first[2:])
        writer.process(run_messages(clock, "p2"))
        writer.process([STOP])
        files = self.files()
        self.assertEqual(len(files), 3)  # p1's file, p2's file, and the empty one opened after p2
        for path in files:
            lines = read_lines(path)
            self.assertEqual(lines[0]["kind"], "header")
            self.assertEqual(lines[-1]["kind"], "end")
        p1, p2 = read_lines(files[0]), read_lines(files[1])
        self.assertEqual({l["msg"]["data"]["prompt_id"] for l in p1 if l["kind"] == "sent"}, {"p1"})
        self.assertEqual({l["msg"]["data"]["prompt_id"] for l in p2 if l["kind"] == "sent"}, {"p2"})
        self.assertEqual(p1[-1]["runsCompleted"], 1)
        self.assertIn(os.path.basename(files[1]), p1[-1]["message"])
        self.assertEqual(p2[0]["file"], {"index": 2, "reason": "size", "previous": os.path.basename(files[0])})
        self.assertTrue(files[1].endswith("-2.ndjson"))

    def test_rotates_at_the_utc_day_change_keeping_a_run_in_the_file_it_started_in(self):
        clock = FakeClock(wall_ns=(1_796_040_000 // 86_400 + 1) * DAY_NS - 50 * 10**6)  # 50 ms before midnight UTC
        writer = make_writer(self.dir, clock)
        writer.open()
        items = run_messages(clock, "p1")  # ends ~100 ms after midnight
        writer.process(items[:3])
        self.assertEqual(len(self.files()), 1)
        writer.process(items[3:])
        writer.process([STOP])
        first, second = self.files()
        self.assertIn("2026-11-30", first)
        self.assertIn("2026-12-01", second)
        self.assertEqual(sum(1 for l in read_lines(first) if l["kind"] == "sent"), 4)
        self.assertEqual(read_lines(second)[0]["file"]["reason"], "day")

    def test_a_run_far_past_the_size_limit_is_cut_with_a_note(self):
        clock = FakeClock()
        writer = make_writer(self.dir, clock, max_bytes=200)
        writer.open()
        items = run_messages(clock, "p1")
        writer.process(items[:2])
        writer.process([sent(clock, "progress", {"prompt_id": "p1", "value": i, "pad": "x" * 50}) for i in range(5)])
        writer.process(items[2:] + [STOP])
        first = read_lines(self.files()[0])
        cut = [l for l in first if l["kind"] == "note"]
        self.assertEqual([(n["note"], n["promptIds"]) for n in cut], [("probe-cut-run", ["p1"])])

    def test_never_overwrites_an_existing_file(self):
        clock = FakeClock()
        existing = os.path.join(self.dir, "comfyprof-probe-127.0.0.1-8188-2026-11-30.ndjson")
        with open(existing, "w") as f:
            f.write("keep me\n")
        writer = make_writer(self.dir, clock)
        writer.open()
        writer.process([STOP])
        with open(existing) as f:
            self.assertEqual(f.read(), "keep me\n")
        self.assertTrue(writer.log_file.path.endswith("2026-11-30-2.ndjson"))

    def test_samples_as_a_run_starts_every_poll_while_it_runs_and_every_idle_poll_between_runs(self):
        clock = FakeClock()
        writer = make_writer(self.dir, clock, poll_ms=100)
        writer.idle_poll_ms = 10_000
        writer.open()
        writer.process([], sample=True)
        self.assertEqual(writer._next_sample_ns() - clock.mono, 10_000 * 10**6)
        clock.advance_ms(3_000)
        items = run_messages(clock, "p1", node_ms=0)
        writer.process(items[:1])  # execution_start: a sample at once, whatever the timer says
        self.assertEqual(writer._next_sample_ns() - clock.mono, 100 * 10**6)
        writer.process(items[1:])
        self.assertEqual(writer._next_sample_ns() - clock.mono, 10_000 * 10**6)
        writer.process([STOP])
        lines = read_lines(self.files()[0])
        self.assertEqual([l["kind"] for l in lines], ["header", "stats", "sent", "stats", "sent", "sent", "sent", "end"])

    def test_writes_each_server_log_entry_once_even_when_the_buffer_drops_an_unfinished_line(self):
        clock = FakeClock()
        buffer = [{"t": "a", "m": "start\n"}]
        writer = make_writer(self.dir, clock)
        writer.server_log = lambda: list(buffer)
        writer.open()
        writer.process([])
        writer.process([])  # nothing new: no line
        progress = {"t": "b", "m": "\r 10%"}
        buffer.append(progress)
        writer.process([])
        buffer.remove(progress)  # ComfyUI drops an unfinished "\r" line for its continuation
        buffer.append({"t": "c", "m": "\r100%\n"})
        buffer.append({"t": "d", "m": "Requested to load X\n"})
        writer.process([STOP])
        logged = [[e["m"] for e in l["entries"]] for l in read_lines(self.files()[0]) if l["kind"] == "server-log"]
        self.assertEqual(logged, [["start\n"], ["\r 10%"], ["\r100%\n", "Requested to load X\n"]])

    def test_a_sample_that_fails_is_a_stats_line_with_its_error(self):
        clock = FakeClock()

        def broken():
            raise OSError("no device")

        writer = make_writer(self.dir, clock, sampler=broken)
        writer.open()
        writer.process([], sample=True)
        writer.process([STOP])
        stats = [l for l in read_lines(self.files()[0]) if l["kind"] == "stats"]
        self.assertEqual(len(stats), 1)
        self.assertEqual((stats[0]["status"], stats[0]["response"]), (None, None))
        self.assertIn("no device", stats[0]["error"])

    def test_a_message_json_cannot_hold_becomes_a_note_not_a_broken_line(self):
        clock = FakeClock()
        writer = make_writer(self.dir, clock)
        writer.open()
        loop = {}
        loop["self"] = loop
        writer.process([sent(clock, "executed", loop), sent(clock, "status", {}), STOP])
        kinds = [(l["kind"], l.get("note")) for l in read_lines(self.files()[0])]
        self.assertEqual(kinds, [("header", None), ("note", "probe-error"), ("sent", None), ("end", None)])


if __name__ == "__main__":
    unittest.main()
