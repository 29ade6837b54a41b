"""`chainlead serve --reuse-port`: several serve processes (Neo4j) listen on one address."""
import socket

import pytest

from web.cli import _shared_socket


def test_two_shared_sockets_bind_the_same_address_and_both_accept():
    first = _shared_socket("127.0.0.1", 0)
    port = first.getsockname()[1]
    second = _shared_socket("127.0.0.1", port)
    try:
        for sock in (first, second):
            sock.listen(16)
        accepted = set()
        for _ in range(64):  # the kernel spreads new connections over the listeners by their address hash
            with socket.create_connection(("127.0.0.1", port), timeout=5):
                pass
            for name, sock in (("first", first), ("second", second)):
                sock.settimeout(0.05)
                try:
                    sock.accept()[0].close()
                    accepted.add(name)
                except TimeoutError:
                    pass
        assert accepted == {"first", "second"}
    finally:
        first.close()
        second.close()


def test_a_plain_socket_cannot_share_the_address():
    first = _shared_socket("127.0.0.1", 0)
    first.listen(1)
    plain = socket.socket()
    try:
        with pytest.raises(OSError):
            plain.bind(("127.0.0.1", first.getsockname()[1]))
    finally:
        plain.close()
        first.close()
