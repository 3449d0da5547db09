"""A dependency that hangs: a loopback port that accepts connections and never answers."""

import contextlib
import socket


@contextlib.contextmanager
def black_hole():
    """Yield (host, port) of a listener that never accepts, reads or answers.

    The kernel completes the TCP handshake and buffers what clients send, as a hung server's
    would. Closing it at the end of the block resets those connections, freeing their clients.
    """
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield listener.getsockname()
