# ruff: noqa: S603, S607  (runs Debian's nginx and openssl with fixed arguments)
"""docs/production.md's nginx example, run by a real nginx: plain HTTP is sent to HTTPS, and over
HTTPS a body as large as the largest upload the platform accepts goes through while a larger
one is refused by nginx. Only what a test machine needs is changed: ports, paths, a certificate."""

import http.client
import re
import shutil
import ssl
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from technopolice.testing.nginx import free_port, nginx_binary

from .test_production_examples import block_after, nginx_size

HOST = "technopolice.example.org"


class Upstream(BaseHTTPRequestHandler):
    """Stands for the platform: reads the whole body, says how many bytes came through."""

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        received = 0
        while received < length:
            received += len(self.rfile.read(min(1 << 20, length - received)))
        body = str(received).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def adapt(example: str, prefix: Path, http_port: int, https_port: int, upstream: int) -> str:
    """The example's server blocks on free loopback ports, with a test certificate and logs in ``prefix``."""
    config = example.replace("listen [::]:80;", "").replace("listen [::]:443 ssl;", "")
    config = config.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    config = config.replace(
        "listen 443 ssl;",
        f"listen 127.0.0.1:{https_port} ssl;\n    ssl_certificate {prefix}/cert.pem;\n"
        f"    ssl_certificate_key {prefix}/key.pem;",
    )
    config = config.replace("proxy_pass http://127.0.0.1:8000;", f"proxy_pass http://127.0.0.1:{upstream};")
    config = config.replace("/var/log/nginx/", f"{prefix}/")
    temp_paths = "\n".join(
        f"    {name}_temp_path {prefix}/{name};"
        for name in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    )
    return (
        f"daemon off;\nmaster_process off;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\n"
        f"events {{ worker_connections 64; }}\nhttp {{\n{temp_paths}\n{config}\n}}\n"
    )


class NginxExampleRunTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        binary = nginx_binary()
        if binary is None:
            raise AssertionError("These tests need nginx: install the Debian package 'nginx' (./dev does).")
        cls.prefix = Path(tempfile.mkdtemp(prefix="tp-nginx-example-"))
        cls.addClassCleanup(shutil.rmtree, cls.prefix, True)
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}",
             "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(cls.prefix / "key.pem"),
             "-out", str(cls.prefix / "cert.pem")],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
        threading.Thread(target=upstream.serve_forever, daemon=True).start()
        cls.addClassCleanup(upstream.server_close)
        cls.addClassCleanup(upstream.shutdown)
        cls.http_port, cls.https_port = free_port(), free_port()
        config = cls.prefix / "nginx.conf"
        example = block_after("## 5. The HTTPS proxy", "nginx")
        config.write_text(adapt(example, cls.prefix, cls.http_port, cls.https_port, upstream.server_port))
        command = [binary, "-p", str(cls.prefix), "-c", str(config), "-e", str(cls.prefix / "error.log")]
        tested = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        if tested.returncode != 0:
            raise AssertionError(f"nginx refuses the example: {tested.stderr}")
        cls.nginx = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cls.addClassCleanup(cls.nginx.wait)
        cls.addClassCleanup(cls.nginx.terminate)
        deadline = time.monotonic() + 10
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", cls.https_port, timeout=1).connect()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        cls.tls = ssl.create_default_context(cafile=str(cls.prefix / "cert.pem"))

    def https(self) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection("127.0.0.1", self.https_port, context=self.tls, timeout=60)

    def test_plain_http_is_redirected_to_https(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10)
        connection.request("GET", "/comptes/connexion/?next=/", headers={"Host": HOST})
        response = connection.getresponse()
        self.assertEqual(response.status, 301)
        self.assertEqual(response.headers["Location"], f"https://{HOST}/comptes/connexion/?next=/")

    def test_the_largest_upload_goes_through_and_a_larger_body_is_refused(self):
        limit = nginx_size(
            re.search(r"client_max_body_size\s+(\w+);", block_after("## 5.", "nginx")).group(1)
        )
        largest = settings.DOCUMENTS_MAX_BYTES + 64 * 1024  # a full-size document with its form
        connection = self.https()
        connection.request("POST", "/documents/envoyer/", body=b"x" * largest, headers={"Host": HOST})
        response = connection.getresponse()
        self.assertEqual((response.status, response.read()), (200, str(largest).encode()))
        connection = self.https()  # over the limit: refused from the headers, before any body is read
        connection.putrequest("POST", "/documents/envoyer/", skip_host=True)
        connection.putheader("Host", HOST)
        connection.putheader("Content-Length", str(limit + 1))
        connection.endheaders()
        self.assertEqual(connection.getresponse().status, 413)
