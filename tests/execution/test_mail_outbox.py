"""The email outbox: a request that notifies never waits on the SMTP server (hung, with or without
Redis); the ``send_mail`` job and ``send-mail`` command send and mark sent only what the server
accepted; a hung server times out and leaves the row waiting with one more attempt; a sender killed
mid-send does not mark the mail sent, and it is sent again once its claim expires; two senders never
send the same mail."""

import os
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from rq import Queue
from sqlalchemy import select

from kinerja.auth import services as auth_services
from kinerja.execution import notifications
from kinerja.execution.models import MailOutbox, Notification, Visum
from kinerja.extensions import db
from kinerja.jobs import tasks
from kinerja.jobs.queue import QUEUE_NAME
from tests.execution.fixtures import file
from tests.execution.test_notifications_email import free_port, smtp_sink, with_email  # noqa: F401
from tests.factories import login_as

HX = {"HX-Request": "true"}
ROOT = Path(__file__).resolve().parents[2]


class HungServer:
    """A TCP server that accepts connections and never says a word (no SMTP greeting)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)  # held open, never answered

    def close(self):
        self.sock.close()
        for conn in self.connections:
            conn.close()


@pytest.fixture
def hung():
    server = HungServer()
    yield server
    server.close()


@pytest.fixture
def mail_to(app, monkeypatch):
    """Point the app's email at a port (MAIL_TIMEOUT 2 s, to keep the hung-server tests short)."""
    def configure(port, timeout=2):
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        monkeypatch.setitem(app.config, "MAIL_TIMEOUT", timeout)
        monkeypatch.setitem(app.config, "MAIL_FROM", "kinerja@bkkbn.test")
    return configure


def outbox():
    db.session.expire_all()
    return list(db.session.scalars(select(MailOutbox).order_by(MailOutbox.id)))


def return_from_the_inbox(client, people):
    """The Direktur returns the Pelaksana's visum from his inbox page (HTMX); return the response and seconds."""
    visum = file(with_email(people["pelaksana"], "pelaksana@bkkbn.test"))
    login_as(client, auth_services.user_for(people["direktur"]))
    db.session.commit()
    started = time.perf_counter()
    response = client.post(f"/execution/inbox/{visum.id}/return", data={"reason": "Lampirkan daftar hadir."},
                           headers=HX)
    return response, time.perf_counter() - started, visum.id


# --- a request never waits on SMTP -----------------------------------------------------------------

def test_a_request_that_notifies_does_not_call_a_hung_smtp_server_without_redis(app, client, people, hung, mail_to):
    mail_to(hung.port, timeout=5)
    response, seconds, visum_id = return_from_the_inbox(client, people)
    assert response.status_code == 200 and seconds < 2  # the SMTP timeout is 5 s: it was never waited on
    assert db.session.get(Visum, visum_id).status == "RETURNED"
    [row] = outbox()
    assert (row.status, row.attempts, row.sent_at) == ("PENDING", 0, None)
    time.sleep(0.1)
    assert hung.connections == []  # nobody talked to the server


def test_a_request_does_not_call_smtp_when_redis_is_down_either(app, client, people, hung, mail_to, monkeypatch):
    mail_to(hung.port, timeout=5)
    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")  # nobody listens
    response, seconds, _ = return_from_the_inbox(client, people)
    assert response.status_code == 200 and seconds < 2
    assert [row.status for row in outbox()] == ["PENDING"]
    time.sleep(0.1)
    assert hung.connections == []


def test_with_redis_up_the_commit_queues_the_send_mail_job(app, client, people, mail_to, smtp_sink,  # noqa: F811
                                                           monkeypatch, redis_url, redis_client):
    port, sink = smtp_sink
    mail_to(port)
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    response, _, _ = return_from_the_inbox(client, people)
    assert response.status_code == 200
    assert Queue(QUEUE_NAME, connection=redis_client).job_ids == [notifications.SEND_MAIL_JOB_ID]
    assert sink.messages == [] and [row.status for row in outbox()] == ["PENDING"]  # queued, not run here
    assert tasks.send_mail()["sent"] == 1  # what the worker runs
    assert [envelope.rcpt_tos for envelope in sink.messages] == [["pelaksana@bkkbn.test"]]


# --- draining -------------------------------------------------------------------------------------

def notified(people, count=1):
    """Give the Pelaksana (with an address) ``count`` notifications; return their ids."""
    employee = with_email(people["pelaksana"], "pelaksana@bkkbn.test")
    ids = [notifications.notify(employee, "FEEDBACK", f"uji:{i}", f"Pesan {i}").id for i in range(count)]
    db.session.commit()
    return ids


def test_draining_with_a_real_server_sends_and_marks_sent(app, people, mail_to, smtp_sink):  # noqa: F811
    port, sink = smtp_sink
    mail_to(port)
    [note_id] = notified(people)
    run = notifications.send_pending_mail()
    assert (run.sent, run.failed, run.waiting, run.unreachable) == (1, 0, 0, None)
    [row] = outbox()
    assert (row.status, row.attempts, row.claim_token, row.last_error) == ("SENT", 1, None, None)
    assert row.sent_at is not None and db.session.get(Notification, note_id).emailed_at == row.sent_at
    assert "Pesan 0" in sink.messages[0].content.decode()
    assert notifications.send_pending_mail().sent == 0 and len(sink.messages) == 1


def test_draining_against_a_hung_server_times_out_and_leaves_it_unsent(app, people, hung, mail_to):
    mail_to(hung.port, timeout=1)
    notified(people, 3)
    started = time.perf_counter()
    run = notifications.send_pending_mail()
    assert time.perf_counter() - started < 5  # one connection, one timeout
    assert run.sent == 0 and run.waiting == 3 and "timed out" in run.unreachable
    rows = outbox()
    assert {(row.status, row.attempts, row.sent_at, row.claim_token) for row in rows} == {("PENDING", 1, None, None)}
    assert all("timed out" in row.last_error for row in rows)
    assert len(hung.connections) == 1


def test_after_max_attempts_a_row_fails_and_the_cli_can_retry_it(app, runner, people, mail_to, monkeypatch,
                                                                  smtp_sink):  # noqa: F811
    mail_to(free_port())  # nobody listens
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    notified(people)
    notifications.send_pending_mail()
    notifications.send_pending_mail()
    [row] = outbox()
    assert (row.status, row.attempts) == ("FAILED", 2)
    assert notifications.send_pending_mail().sent == 0  # given up: no third attempt
    port, sink = smtp_sink
    mail_to(port)
    result = runner.invoke(args=["send-mail", "--retry-failed"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["1 email gagal dimasukkan kembali ke antrean.",
                                          "Email: 1 terkirim, 0 gagal, 0 menunggu."]
    assert [row.status for row in outbox()] == ["SENT"] and len(sink.messages) == 1


def test_the_cli_says_when_the_server_cannot_be_reached_and_exits_1(app, runner, people, hung, mail_to):
    mail_to(hung.port, timeout=1)
    notified(people)
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 1
    assert result.output.startswith("Email: 0 terkirim, 0 gagal, 1 menunggu. Server SMTP tidak dapat dihubungi:")


def test_the_cli_without_mail_server_sends_nothing(app, runner):
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0 and "MAIL_SERVER belum diatur" in result.output


def test_two_senders_never_send_the_same_mail(app, people, mail_to, smtp_sink):  # noqa: F811
    port, sink = smtp_sink
    mail_to(port)
    ids = notified(people, 30)
    runs = []

    def sender():
        with app.app_context():
            runs.append(notifications.send_pending_mail())

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(run.sent for run in runs) == 30
    bodies = sorted(message.content.decode().split("Pesan ")[1].split()[0] for message in sink.messages)
    assert bodies == sorted(str(i) for i in range(len(ids)))  # each once
    assert {(row.status, row.attempts) for row in outbox()} == {("SENT", 1)}


# --- a sender killed mid-send ---------------------------------------------------------------------

class Stalling:
    """An SMTP handler that receives the message and then never answers (the sender waits for the reply)."""

    def __init__(self):
        self.received = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        import asyncio

        self.received.set()
        await asyncio.sleep(120)
        return "250 OK"


@pytest.fixture
def stalling():
    handler = Stalling()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, handler
    controller.stop()


def test_a_sender_killed_mid_send_does_not_mark_the_mail_sent(app, people, mail_to, stalling, smtp_sink,  # noqa: F811
                                                             frozen, database_url):
    port, handler = stalling
    mail_to(port)
    [note_id] = notified(people)
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "uji-" + os.urandom(8).hex(),
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port), "MAIL_TIMEOUT": "60", "REDIS_URL": ""}
    sender = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "send-mail"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        received = handler.received.wait(60)
    finally:
        sender.kill()  # SIGKILL mid-send: the server has the message but never said 250
        sender.wait(10)
    assert received, sender.stdout.read().decode()
    [row] = outbox()
    assert (row.status, row.attempts, row.sent_at) == ("SENDING", 1, None)
    assert db.session.get(Notification, note_id).emailed_at is None

    sink_port, sink = smtp_sink
    mail_to(sink_port)
    frozen.move_to(row.claimed_until.replace(tzinfo=UTC) - timedelta(minutes=1))
    assert notifications.send_pending_mail().sent == 0  # its claim still holds: no second sender takes it
    frozen.move_to(row.claimed_until.replace(tzinfo=UTC) + timedelta(seconds=1))
    assert notifications.send_pending_mail().sent == 1  # the lease ran out: sent again, now marked
    [row] = outbox()
    assert (row.status, row.attempts) == ("SENT", 2) and len(sink.messages) == 1
