"""A local SMTP server that takes its time over every message, like a real one far away."""

import socketserver
import threading
from contextlib import contextmanager


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 slow-smtp ready")
        for raw in self.rfile:
            command = raw.decode(errors="replace").strip().upper()
            if command.startswith("EHLO") or command.startswith("HELO"):
                self.reply("250 slow-smtp")
            elif command == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                message = b"".join(iter(self.rfile.readline, b".\r\n"))
                threading.Event().wait(self.server.delay)
                self.server.messages.append(message)
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL FROM, RCPT TO, RSET, NOOP
                self.reply("250 ok")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def slow_smtp_server(*, delay):
    """Yield the server (`.server_address`, `.messages`); each message takes `delay` seconds."""
    server = _Server(("127.0.0.1", 0), _Session)
    server.delay, server.messages = delay, []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
