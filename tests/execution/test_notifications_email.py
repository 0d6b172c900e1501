"""Email of notifications through a real local SMTP server (aiosmtpd): written to the outbox with the
notification when MAIL_SERVER is set, sent by the ``send_mail`` job, once per notification
(``emailed_at``), only to employees with an address; nothing without MAIL_SERVER; a server that is
down never breaks the change that notified. The outbox itself: ``test_mail_outbox.py``."""

import socket
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from kinerja.execution import notifications, services
from kinerja.execution.models import MailOutbox, Notification
from kinerja.extensions import db
from kinerja.jobs import tasks
from tests.execution.fixtures import NOW, file


class Sink:
    """An SMTP handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_sink():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, sink
    controller.stop()


@pytest.fixture
def mail(app, monkeypatch, smtp_sink):
    port, sink = smtp_sink
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_FROM", "kinerja@bkkbn.test")
    monkeypatch.setitem(app.config, "BASE_URL", "https://kinerja.bkkbn.test")
    return sink


def with_email(employee, address):
    employee.email = address
    db.session.commit()
    return employee


def note_of(employee):
    db.session.expire_all()
    return db.session.scalar(select(Notification).where(Notification.employee_id == employee.id))


def outbox():
    db.session.expire_all()
    return list(db.session.scalars(select(MailOutbox).order_by(MailOutbox.id)))


def test_returned_visum_is_emailed_by_the_job_after_the_commit(people, mail):
    pelaksana = with_email(people["pelaksana"], "pelaksana@bkkbn.test")
    visum = file(pelaksana)
    services.return_visum(people["direktur"], visum, "Lampirkan daftar hadir.", now=NOW)
    db.session.commit()
    assert mail.messages == []  # the commit only wrote the outbox (no Redis here: nothing was queued)
    [row] = outbox()
    assert row.status == "PENDING" and row.notification_id == note_of(pelaksana).id
    assert tasks.send_mail()["sent"] == 1
    [envelope] = mail.messages
    assert envelope.mail_from == "kinerja@bkkbn.test" and envelope.rcpt_tos == ["pelaksana@bkkbn.test"]
    text = envelope.content.decode()
    assert "Subject: [Kinerja] Visum dikembalikan" in text and "Lampirkan daftar hadir." in text
    assert "https://kinerja.bkkbn.test/execution/visum?week=2026-01-12" in text
    assert note_of(pelaksana).emailed_at is not None
    assert tasks.send_mail()["sent"] == 0  # never twice
    assert len(mail.messages) == 1 and outbox()[0].status == "SENT"


def test_a_rolled_back_notification_is_not_emailed(people, mail):
    notifications.notify(with_email(people["analis"], "analis@bkkbn.test"), "FEEDBACK", "k:1", "x")
    db.session.rollback()
    db.session.commit()
    assert outbox() == [] and tasks.send_mail()["sent"] == 0
    assert mail.messages == []


def test_employees_without_an_address_get_no_email(people, mail):
    visum = file(people["pelaksana"])
    services.return_visum(people["direktur"], visum, "Kurang lengkap.", now=NOW)
    db.session.commit()
    assert outbox() == [] and tasks.send_mail()["sent"] == 0
    assert mail.messages == []
    note = note_of(people["pelaksana"])
    assert note is not None and note.emailed_at is None


def test_reminder_job_emails_each_new_notification_once(people, mail):
    with_email(people["pelaksana"], "pelaksana@bkkbn.test")
    with_email(people["analis"], "analis@bkkbn.test")
    file(people["analis"], date(2026, 1, 12))
    created = tasks.remind_week_closing("2026-01-18T01:00:00Z")["created"]
    assert created > 2 and len(outbox()) == 2  # one INSERT … SELECT: only those with an address
    assert tasks.send_mail() == {"sent": 2, "failed": 0, "waiting": 0, "unreachable": None}
    assert sorted(e.rcpt_tos[0] for e in mail.messages) == ["analis@bkkbn.test", "pelaksana@bkkbn.test"]
    assert "Subject: [Kinerja] Minggu visum segera ditutup" in mail.messages[0].content.decode()
    tasks.remind_week_closing("2026-01-18T05:00:00Z")
    tasks.send_mail()
    assert len(mail.messages) == 2


def test_no_email_without_mail_server(people, smtp_sink):
    _, sink = smtp_sink
    pelaksana = with_email(people["pelaksana"], "pelaksana@bkkbn.test")
    services.return_visum(people["direktur"], file(pelaksana), "Kurang lengkap.", now=NOW)
    db.session.commit()
    assert outbox() == [] and notifications.send_pending_mail().sent == 0
    assert sink.messages == []
    assert note_of(pelaksana).emailed_at is None


def test_smtp_down_keeps_the_return_and_the_notification(people, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nobody listens there
    pelaksana = with_email(people["pelaksana"], "pelaksana@bkkbn.test")
    visum = file(pelaksana)
    services.return_visum(people["direktur"], visum, "Kurang lengkap.", now=NOW)
    db.session.commit()
    run = tasks.send_mail()
    assert run["sent"] == 0 and run["unreachable"] and run["waiting"] == 1
    db.session.expire_all()
    assert visum.status == "RETURNED"
    assert note_of(pelaksana).emailed_at is None  # not sent: a later run sends it
    [row] = outbox()
    assert (row.status, row.attempts, row.sent_at) == ("PENDING", 1, None) and "Connection" in row.last_error
