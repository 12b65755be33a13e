"""Local stand-ins for the outside world: a real SMTP server (aiosmtpd) and a Slack webhook receiver."""

import http.server
import json
import socket
import threading

import pytest


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback (aiosmtpd); Django sends through its SMTP backend. Yields the received mails."""
    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            received.append({"to": envelope.rcpt_tos, "data": envelope.content.decode("utf-8", "replace")})
            return "250 OK"

    with socket.socket() as probe:  # a free port (aiosmtpd checks readiness by connecting, so 0 won't do)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield received
    controller.stop()


@pytest.fixture
def slack_server():
    """A local HTTP server standing in for Slack's incoming webhooks; records each request's JSON."""
    received, failing = [], {"count": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if failing["count"]:
                failing["count"] -= 1
                self.send_response(500)
                self.end_headers()
                self.wfile.write(b"down")
                return
            received.append(json.loads(body))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_address[1]}/hook", "received": received, "failing": failing}
    server.shutdown()
