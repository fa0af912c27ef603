"""Open untrusted files in a child process that may die without taking the worker with it.

A hostile upload costs whatever process opens it: a PNG of a few kilobytes that declares
20,000 x 20,000 pixels, a PDF stream that inflates to gigabytes of zeros, objects nested a
hundred thousand deep. ``run`` calls a function on such input in a forked child, limited
before it touches a byte:

- memory: the address space the child may add to what it inherited (RLIMIT_AS), so an
  allocation past it fails (MemoryError) instead of the machine swapping or the kernel's
  out-of-memory killer choosing a victim;
- CPU time (RLIMIT_CPU): the kernel stops the child when it has used its seconds;
- file size (RLIMIT_FSIZE): no file it writes (OCR's temporary images) grows past it;
- wall-clock time: the caller kills the child's whole process group (OCR's tesseract
  too) when it has not answered in time, for what waits rather than computes.

The child is forked, not started afresh: it shares the loaded code, the settings (with a
test's overrides) and the active language, and reads the input without a copy. Its result,
or the exception the function raised, comes back pickled through a pipe; a child that was
stopped by a limit raises ``Refused``, whose text is meant for the person who sent the file.
The child also closes every file descriptor it inherited (database connections, listening
sockets) and may not gain privileges (no_new_privs).

This is containment of resources, not a sandbox: the child could still read what the worker
can read. A seccomp filter was not added because no maintained Python binding was found
(pyseccomp's last release is from 2021, libseccomp's own binding is not on PyPI, and nsjail
or bubblewrap need a separate binary and user namespaces).
"""

import ctypes
import os
import pickle
import resource
import select
import signal
import struct
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38
_MB = 1024 * 1024
# The child first writes its resident memory at birth (kB): what it inherited, before it reads a byte.
_HEADER = struct.Struct("<Q")


@dataclass(frozen=True)
class Limits:
    memory_mb: int
    cpu_seconds: int
    wall_seconds: float
    file_mb: int


@dataclass(frozen=True)
class Usage:
    """What one child spent. Its peak resident memory counts the pages it shares with its parent
    (a test runner grown large, a worker's loaded code): ``added_rss_mb`` is the child's own part,
    what its memory limit bounds."""

    peak_rss_mb: float
    cpu_seconds: float
    wall_seconds: float
    inherited_rss_mb: float = 0.0

    @property
    def added_rss_mb(self) -> float:
        return max(0.0, self.peak_rss_mb - self.inherited_rss_mb)


class Refused(Exception):
    """The child was stopped by a limit; ``reason`` is memory, cpu, time, file-size or crashed."""

    def __init__(self, reason: str, usage: Usage | None = None) -> None:
        self.reason, self.usage = reason, usage
        super().__init__(_message(reason))


def _message(reason: str) -> str:
    if reason == "memory":
        return _(
            "Opening this file needs more memory than the platform allows (it may be built to "
            "exhaust it): it is refused."
        )
    if reason in ("cpu", "time"):
        return _("Opening this file takes longer than the platform allows: it is refused.")
    return _("This file could not be opened safely: it is refused.")


def upload_limits() -> Limits:
    """The limits for opening an upload or a photo while its sender waits for the answer."""
    return Limits(
        memory_mb=settings.JAIL_MEMORY_MB,
        cpu_seconds=settings.JAIL_CPU_SECONDS,
        wall_seconds=settings.JAIL_SECONDS,
        file_mb=settings.JAIL_FILE_MB,
    )


_inside = False  # true in a child: a jailed function calling another jailed one runs it in place
_local = threading.local()


def last_usage() -> Usage | None:
    """What the last child started by this thread spent (for tests and measurements)."""
    return getattr(_local, "usage", None)


def run[T](function: Callable[..., T], *args, limits: Limits) -> T:
    """``function(*args)`` computed in a limited child; its exceptions are raised here."""
    if _inside:
        return function(*args)
    reader, writer = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child ends in os._exit, coverage never sees it
        _child(function, args, limits, reader, writer)
    os.close(writer)
    timed_out = True  # until the child has answered
    try:
        payload, timed_out = _receive(reader, started + limits.wall_seconds)
    finally:
        os.close(reader)
        if timed_out:
            _kill(pid)
    _, status, rusage = os.wait4(pid, 0)
    cpu = rusage.ru_utime + rusage.ru_stime
    header, payload = payload[: _HEADER.size], payload[_HEADER.size :]
    inherited = _HEADER.unpack(header)[0] / 1024 if len(header) == _HEADER.size else 0.0
    usage = Usage(rusage.ru_maxrss / 1024, cpu, time.monotonic() - started, inherited)
    _local.usage = usage
    if timed_out:
        raise Refused("time", usage)
    if not payload:
        raise Refused(_reason(status, cpu, limits), usage)
    ok, value, remote = pickle.loads(payload)  # noqa: S301 - written by our own child
    if ok:
        return value
    if isinstance(value, MemoryError):
        raise Refused("memory", usage)
    if remote:
        value.__cause__ = RemoteTraceback(remote)
    raise value


class RemoteTraceback(Exception):
    """The child's traceback, attached as the cause of an unexpected exception raised again here."""

    def __str__(self) -> str:
        return self.args[0]


def _receive(reader: int, deadline: float) -> tuple[bytes, bool]:
    chunks = []
    while (left := deadline - time.monotonic()) > 0:
        ready, _w, _x = select.select([reader], [], [], left)
        if not ready:
            break
        chunk = os.read(reader, _MB)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)
    return b"".join(chunks), True  # the header, and whatever came before the clock ran out


def _kill(pid: int) -> None:
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            target()
        except (ProcessLookupError, PermissionError):
            pass


def _reason(status: int, cpu: float, limits: Limits) -> str:
    signalled = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    if signalled == signal.SIGXFSZ:
        return "file-size"
    if signalled in (signal.SIGXCPU, signal.SIGKILL) and cpu >= limits.cpu_seconds - 0.5:
        return "cpu"
    if signalled == signal.SIGALRM:
        return "time"
    # A C library that cannot allocate may abort or crash rather than report it.
    return "memory" if signalled in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS) else "crashed"


def _child(function, args, limits: Limits, reader: int, writer: int) -> None:  # pragma: no cover
    global _inside
    code = 0
    try:
        _inside = True
        os.close(reader)
        os.write(writer, _HEADER.pack(_status_kb("VmRSS")))
        os.setpgid(0, 0)  # its own group, so the caller can stop tesseract and the like with it
        _close_inherited(keep=writer)
        _confine(limits)
        try:
            result = (True, function(*args), "")
        except MemoryError:
            result = (False, MemoryError(), "")
        except BaseException as error:  # noqa: BLE001 - every exception goes back to the caller
            result = (False, error, traceback.format_exc())
        try:
            payload = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled still reports
            payload = pickle.dumps((False, RuntimeError(repr(result[1])), result[2]))
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(payload)
    except MemoryError:
        code = 1  # no payload: the caller reads the way the child ended
    except BaseException:  # noqa: BLE001
        code = 70
    finally:
        os._exit(code)


def _close_inherited(keep: int) -> None:
    os.closerange(3, keep)
    os.closerange(keep + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[0])


def _confine(limits: Limits) -> None:  # pragma: no cover - runs in the child
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # the caller gone (a killed worker), so is the child
    libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    for number in (signal.SIGXCPU, signal.SIGXFSZ, signal.SIGALRM, signal.SIGTERM, signal.SIGINT):
        signal.signal(number, signal.SIG_DFL)
    # Both the address space and its writable private part (the heap, anonymous mappings): a
    # multi-threaded parent leaves malloc arenas whose reserved, not yet writable, space the
    # address-space limit has already counted, which the child could otherwise fill for free.
    for limit, field in ((resource.RLIMIT_AS, "VmSize"), (resource.RLIMIT_DATA, "VmData")):
        memory = (_status_kb(field) * 1024) + limits.memory_mb * _MB
        resource.setrlimit(limit, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb * _MB, limits.file_mb * _MB))
    # A second clock of its own, should the caller be unable to kill it in time.
    signal.setitimer(signal.ITIMER_REAL, limits.wall_seconds + 1)


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0
