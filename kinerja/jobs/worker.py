"""RQ workers that run every job inside the Flask application's context.

Start one with (scripts/run does)::

    rq worker --worker-class kinerja.jobs.worker.AppWorker --url "$REDIS_URL" kinerja

The app is built once by ``create_app()`` (environment: DATABASE_URL, REDIS_URL, ...) in the
worker process; each job gets a fresh app context, so it has its own database session,
removed when the job ends.
"""

from flask import Flask
from rq.worker import SimpleWorker, Worker


class AppContextMixin:
    """Push an app context around each job; the app is given or built by ``create_app()``."""

    def __init__(self, *args, app: Flask | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._flask_app = app

    @property
    def flask_app(self) -> Flask:
        """Return the app, building it on first use (``rq info`` builds workers it never runs)."""
        if self._flask_app is None:
            from kinerja import create_app

            self._flask_app = create_app()
        return self._flask_app

    def work(self, *args, **kwargs):
        """Build the app before forking work horses, so each horse inherits it."""
        _ = self.flask_app
        return super().work(*args, **kwargs)

    def perform_job(self, job, queue, execution) -> bool:
        """Run the job inside an app context."""
        with self.flask_app.app_context():
            return super().perform_job(job, queue, execution)


class AppWorker(AppContextMixin, Worker):
    """Forking worker (a work horse per job) for production and scripts/run."""


class AppSimpleWorker(AppContextMixin, SimpleWorker):
    """Worker that runs jobs in its own process: tests and debugging."""
