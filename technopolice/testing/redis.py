"""A real Redis server for the tests that need one: Debian's redis-server (system-packages.txt) on
a free loopback port, without persistence, stopped when the test class ends."""

import shutil
import socket
import subprocess
import time

REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(case) -> tuple[str, subprocess.Popen]:
    """Start a server for ``case`` (a test class, from setUpClass); its URL once it accepts connections."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603  (Debian's redis-server, fixed arguments)
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    case.addClassCleanup(server.wait)
    case.addClassCleanup(server.terminate)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    return f"redis://127.0.0.1:{port}/0", server
