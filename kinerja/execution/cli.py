"""CLI of execution (INTERFACES.md): ``lock-week [--now ISO8601]`` and ``sync-skp YEAR``; ``send-mail``
drains the email outbox (docs/feedback-notifications.md).

Bad input exits non-zero with one line and writes nothing; a run prints a one-line summary.
"""

import click

from kinerja.execution import locking, sync
from kinerja.extensions import db
from kinerja.rules import week as week_rules
from kinerja.rules.planning import PlanningRuleError


def _refuse(error: PlanningRuleError) -> None:
    db.session.rollback()
    click.echo(f"Galat: {error.message}", err=True)
    raise SystemExit(1)


def _commit(run):
    try:
        result = run()
        db.session.commit()
    except PlanningRuleError as error:
        _refuse(error)
    except Exception:
        db.session.rollback()
        raise
    click.echo(result.summary())


def register(app) -> None:
    @app.cli.command("lock-week")
    @click.option("--now", "now_text", metavar="ISO8601", default=None,
                  help="Waktu acuan (ISO 8601; tanpa zona = UTC). Bawaan: sekarang.")
    def lock_week_command(now_text):
        """Lock every visum whose week has closed (Sunday 23:59, unit local time); idempotent."""
        try:
            now = week_rules.parse_now(now_text) if now_text is not None else None
        except PlanningRuleError as error:
            _refuse(error)
        _commit(lambda: locking.lock_week(now))

    @app.cli.command("sync-skp")
    @click.argument("year")
    def sync_skp_command(year):
        """Synchronise the approved SKP of YEAR into visum and list who is blocked (6 February)."""
        try:
            number = sync.parse_year(year)
        except PlanningRuleError as error:
            _refuse(error)
        _commit(lambda: sync.sync_skp(number))

    @app.cli.command("send-mail")
    @click.option("--retry-failed", is_flag=True, help="Coba lagi juga email yang sudah berstatus gagal.")
    def send_mail_command(retry_failed):
        """Send the notification emails waiting in the outbox; exit 1 when the SMTP server cannot be reached."""
        from flask import current_app

        from kinerja.execution import notifications

        if not current_app.config.get("MAIL_SERVER"):
            click.echo("MAIL_SERVER belum diatur: notifikasi hanya di aplikasi, tidak ada email yang dikirim.")
            return
        if retry_failed:
            again = notifications.retry_failed_mail()
            db.session.commit()
            click.echo(f"{again} email gagal dimasukkan kembali ke antrean.")
        run = notifications.send_pending_mail()
        click.echo(run.summary())
        if run.unreachable:
            raise SystemExit(1)
