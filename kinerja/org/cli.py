"""CLI: import-units, import-employees, import-acting (INTERFACES.md); each is all-or-nothing."""

from pathlib import Path

import click

from kinerja.extensions import db
from kinerja.org import imports


def _run(kind: str, file: str) -> None:
    """Import one file: print every problem as FILE:LINE: message and exit 1, or commit, say which unit
    changed its time zone, and summarise."""
    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        click.echo(f"{file}: berkas tidak dapat dibaca ({exc.strerror})", err=True)
        raise SystemExit(1) from None
    plan = imports.check_import(kind, data)
    if not plan.ok:
        db.session.rollback()
        shown = imports.escape_controls(file)  # one problem, one line: even a path with a newline
        for problem in plan.errors:
            click.echo(f"{shown}:{problem.line}: {problem.message}", err=True)
        raise SystemExit(1)
    try:
        imports.apply_plan(None, plan)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for change in plan.zone_changes:
        click.echo(change.message())
    click.echo(plan.summary())


def register(app) -> None:
    @app.cli.command("import-units")
    @click.argument("file", type=click.Path(dir_okay=False))
    def import_units(file):
        """Import or update units from units.csv (keyed by code), all or nothing."""
        _run("units", file)

    @app.cli.command("import-employees")
    @click.argument("file", type=click.Path(dir_okay=False))
    def import_employees(file):
        """Import or update employees from employees.csv (keyed by nip), all or nothing."""
        _run("employees", file)

    @app.cli.command("import-acting")
    @click.argument("file", type=click.Path(dir_okay=False))
    def import_acting(file):
        """Import PLT/PLH assignments from acting.csv, all or nothing."""
        _run("acting", file)
