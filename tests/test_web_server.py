"""The gevent web server of `gecc-queue serve` and `demo`."""

import socket
from unittest import mock

from gevent import pywsgi

from queue_server.cli import _no_delay_handler


def test_each_connection_has_nagle_off_so_kept_alive_answers_are_not_held_back():
    """gevent sends a response's headers and body in two writes; with Nagle on, a kept-alive
    connection (every browser's) waited up to 40 ms for the client's delayed ACK per request."""
    handler_class = _no_delay_handler()
    assert issubclass(handler_class, pywsgi.WSGIHandler)
    with socket.create_server(("127.0.0.1", 0)) as listener, \
            socket.create_connection(listener.getsockname()) as _client:
        accepted, _ = listener.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
            handler = handler_class.__new__(handler_class)  # only its socket matters here
            handler.socket = accepted
            with mock.patch.object(pywsgi.WSGIHandler, "handle", return_value=None) as served:
                handler.handle()
            assert served.called                       # the request is then served as usual
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
