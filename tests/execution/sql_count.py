"""A fixture counting the SQL statements a block runs (the inbox's "few queries whatever the rows" tests)."""

import pytest
from sqlalchemy import event

from kinerja.extensions import db


class StatementCounter:
    """Count (and keep) the SQL statements run inside ``with counter:``."""

    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def __enter__(self):
        self.statements = []
        event.listen(db.engine, "before_cursor_execute", self._tick)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._tick)

    def _tick(self, _conn, _cursor, statement, *args):
        self.statements.append(statement)


@pytest.fixture
def statements():
    """Count the SQL statements run inside the ``with`` block of the returned counter."""
    return StatementCounter()
