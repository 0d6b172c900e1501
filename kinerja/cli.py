"""Register every command of INTERFACES.md; each delegates to a service."""

import click
from flask_migrate import upgrade

from kinerja import clock


def init_app(app) -> None:
    @app.cli.command("init-db")
    def init_db():
        """Create or upgrade the schema (idempotent)."""
        upgrade()
        click.echo("Skema basis data siap.")

    @app.cli.command("seed-demo")
    @click.option("--yes", "--force", "force", is_flag=True,
                  help="Tambahkan demo walau basis data sudah berisi data lain (pegawai atau unit di luar demo).")
    def seed_demo(force):
        """Load the demo organisation and users (idempotent) and print the demo logins.

        Refuses (exit 1, nothing written) when the database holds employees or units besides the demo,
        unless --yes/--force is given; then it says what it adds first.
        """
        from sqlalchemy import inspect

        from kinerja import demo
        from kinerja.extensions import db

        if not inspect(db.engine).has_table("employee"):
            click.echo("Galat: skema basis data belum ada: jalankan dulu `flask --app app init-db`.", err=True)
            raise SystemExit(1)
        foreign = demo.foreign_data()
        if foreign and not force:
            click.echo(f"Galat: {demo.DemoRefused(foreign)}", err=True)
            raise SystemExit(1)
        if foreign:
            click.echo(f"Basis data sudah berisi {demo.describe_foreign(foreign)} di luar demo; seed-demo menambahkan "
                       f"{demo.plan(clock.today().year)}.")
        built = demo.build(force=force)
        click.echo(demo.format_logins(built.logins))
        for note in built.notes:
            click.echo(note)

    from kinerja.auth import cli as auth_cli
    from kinerja.execution import cli as execution_cli
    from kinerja.org import cli as org_cli

    org_cli.register(app)
    auth_cli.register(app)
    execution_cli.register(app)
