import io
import os
import tempfile
import time

from django.test import SimpleTestCase, override_settings
from django.utils import translation
from PIL import Image

from technopolice.lib import jail
from technopolice.lib.images import ImageRefused, strip_metadata

LIMITS = jail.Limits(memory_mb=256, cpu_seconds=2, wall_seconds=4, file_mb=1)


def double(value: int) -> int:
    return value * 2


def grab_memory(mb: int) -> int:
    return len(bytearray(mb * 1024 * 1024))


def spin() -> None:
    while True:
        pass


def wait() -> None:
    time.sleep(60)


def write_file(path: str, mb: int) -> None:
    with open(path, "wb") as out:
        for _ in range(mb):
            out.write(b"\0" * 1024 * 1024)


def fail() -> None:
    raise KeyError("from the child")


def die() -> None:
    os._exit(3)


def in_place() -> bool:
    return jail.run(os.getpid, limits=LIMITS) == os.getpid()


class JailTests(SimpleTestCase):
    def assert_refused(self, reason: str, function, *args) -> jail.Refused:
        started = time.monotonic()
        with translation.override("en"), self.assertRaises(jail.Refused) as raised:
            jail.run(function, *args, limits=LIMITS)
        self.assertEqual(raised.exception.reason, reason)
        self.assertLess(time.monotonic() - started, LIMITS.wall_seconds + 2)
        return raised.exception

    def test_it_returns_the_result_computed_in_another_process(self):
        self.assertEqual(jail.run(double, 21, limits=LIMITS), 42)
        self.assertNotEqual(jail.run(os.getpid, limits=LIMITS), os.getpid())
        usage = jail.last_usage()
        self.assertLess(usage.added_rss_mb, 512)
        self.assertLess(usage.cpu_seconds, 1)

    def test_the_memory_counted_is_the_childs_own_not_what_it_inherited(self):
        # A parent grown large (a long test run, a busy worker): the child's peak counts those
        # pages, its own part does not, and a child that allocates is measured at what it took.
        ballast = bytearray(os.urandom(1024)) * (300 * 1024)  # 300 MB, resident in the parent
        jail.run(double, 1, limits=LIMITS)
        idle = jail.last_usage()
        self.assertGreater(idle.peak_rss_mb, 300)
        self.assertGreater(idle.inherited_rss_mb, 300)
        self.assertLess(idle.added_rss_mb, 50)
        jail.run(grab_memory, 100, limits=LIMITS)
        self.assertGreater(jail.last_usage().added_rss_mb, 95)
        del ballast

    def test_the_functions_own_exceptions_are_raised_in_the_caller(self):
        with self.assertRaisesMessage(KeyError, "from the child") as raised:
            jail.run(fail, limits=LIMITS)
        self.assertIn("in fail", str(raised.exception.__cause__))

    def test_memory_past_the_limit_is_refused(self):
        self.assertEqual(jail.run(grab_memory, 100, limits=LIMITS), 100 * 1024 * 1024)
        refused = self.assert_refused("memory", grab_memory, 300)
        self.assertIn("more memory", str(refused))
        self.assertLess(refused.usage.added_rss_mb, 512)

    def test_cpu_past_the_limit_is_refused(self):
        # A clock long enough for one CPU second on a loaded machine: the CPU limit stops it first.
        limits = jail.Limits(memory_mb=256, cpu_seconds=1, wall_seconds=30, file_mb=1)
        with translation.override("en"), self.assertRaises(jail.Refused) as raised:
            jail.run(spin, limits=limits)
        self.assertEqual(raised.exception.reason, "cpu")
        self.assertIn("takes longer", str(raised.exception))
        self.assertLess(raised.exception.usage.cpu_seconds, 2.5)

    def test_waiting_past_the_clock_is_refused(self):
        self.assert_refused("time", wait)

    def test_a_file_past_the_size_limit_is_refused(self):
        with tempfile.TemporaryDirectory() as folder:
            self.assert_refused("file-size", write_file, os.path.join(folder, "big"), 3)
            self.assertLessEqual(os.path.getsize(os.path.join(folder, "big")), 1024 * 1024)

    def test_a_child_that_dies_is_refused(self):
        self.assertIn("could not be opened safely", str(self.assert_refused("crashed", die)))

    def test_a_jailed_function_calling_another_runs_it_in_place(self):
        self.assertTrue(jail.run(in_place, limits=LIMITS))  # in the same child, not a grandchild


class PhotoCleaningTests(SimpleTestCase):
    @override_settings(JAIL_MEMORY_MB=16)
    def test_a_camera_photo_is_decoded_in_the_jail(self):
        # A photo of 35 megapixels, within the pixel budget: decoded, its pixels take 105 MB.
        out = io.BytesIO()
        Image.new("RGB", (7000, 5000), "red").save(out, "JPEG")
        with translation.override("en"), self.assertRaises(ImageRefused) as raised:
            strip_metadata(out.getvalue())
        # MemoryError where Pillow allocates the pixels, a broken stream where its encoder does.
        self.assertRegex(str(raised.exception), "more memory|not a readable image")
        self.assertLess(jail.last_usage().added_rss_mb, 512)
