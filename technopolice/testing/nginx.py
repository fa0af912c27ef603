"""A real nginx in front of a test's live server, configured like docs/production.md's proxy.

It runs unprivileged from a temporary prefix (its configuration, pid, logs and buffers) on a free
high port of the loopback, in one process (``master_process off``: no user to switch to, so the
same as root or not), and stops with the test class. Clients reach it from the source address of
their choosing (any of 127.0.0.0/8 on Linux), so a test can be several visitors at once.
"""

import http.client
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

# Debian's nginx is in /usr/sbin, which a developer's PATH may not hold.
CANDIDATES = ("nginx", "/usr/sbin/nginx")

CONFIG = """
daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://{upstream};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
}}
"""


def nginx_binary() -> str | None:
    for candidate in CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Nginx:
    """``Nginx(upstream="127.0.0.1:8081").start()``; ``port`` is where it listens; ``stop()``."""

    def __init__(self, upstream: str):
        self.upstream = upstream
        self.port = free_port()
        self.prefix = Path(tempfile.mkdtemp(prefix="tp-nginx-"))
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 10) -> "Nginx":
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed: install the Debian package 'nginx'.")
        config = self.prefix / "nginx.conf"
        config.write_text(CONFIG.format(prefix=self.prefix, port=self.port, upstream=self.upstream))
        command = [binary, "-p", str(self.prefix), "-c", str(config), "-e", str(self.prefix / "error.log")]
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx did not start: {self.process.stderr.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not listen on port {self.port} within {timeout} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr:
            self.process.stderr.close()
        shutil.rmtree(self.prefix, ignore_errors=True)


class Visitor:
    """A visitor with their own address (a loopback one, such as 127.0.0.2) and cookies, talking
    HTTP to a port of the loopback. Forms get their CSRF token from the page, as in a browser."""

    def __init__(self, port: int, address: str):
        self.port = port
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.address, 0)
        )
        all_headers = dict(headers or {})
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content.decode("utf-8", "replace")

    def post_form(self, path: str, data: dict, headers: dict | None = None):
        """GET the page for its CSRF token, then POST ``data`` to it."""
        status, page = self.request("GET", path)
        if status != 200:
            raise AssertionError(f"GET {path} answered {status}")
        marker = 'name="csrfmiddlewaretoken" value="'
        token = page.split(marker, 1)[1].split('"', 1)[0]
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        form_headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", path, body, form_headers)


def loopback_aliases_work() -> bool:
    """Linux routes all of 127.0.0.0/8 to the loopback; other systems may only have 127.0.0.1."""
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.2", 0))
        return True
    except OSError:
        return False
