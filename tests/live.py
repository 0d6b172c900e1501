"""Real HTTP for tests of simultaneous requests: the test app on werkzeug's threaded server, and a
helper that fires calls at once from their own threads.

The server serves the same app object as the ``app`` fixture, so rows a test commits are what the
server's threads read; each request runs in its own thread, app context and database session, as
under gunicorn's threads. The ``serve`` fixture (tests/conftest.py) and the browser tests' live
server both start it through ``serving``.
"""

import threading
from contextlib import contextmanager

from werkzeug.serving import make_server


@contextmanager
def serving(wsgi_app, name: str = "live-server"):
    """Serve ``wsgi_app`` on 127.0.0.1 (a free port) in a thread; yield the port; stop it afterwards."""
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()


def at_once(calls) -> list:
    """Run the callables each in its own thread, released together by a barrier; return their results."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list = []

    def run(index, call):
        try:
            barrier.wait(30)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 — reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    return results
