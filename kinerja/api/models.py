"""What the JSON API keeps of its own: the answers given under an ``Idempotency-Key``."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kinerja.extensions import db


class IdempotencyKey(db.Model):
    """One ``Idempotency-Key`` a user sent on an API create, with the answer the create gave.

    The row is inserted before the create's work, in the same transaction, and committed with it
    and with the answer: the unique (user, key) makes a simultaneous retry wait for that commit and
    then read the stored answer (``kinerja.api.idempotency``). A refused create rolls the row back.
    """

    __tablename__ = "api_idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_api_idempotency_key_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    route: Mapped[str] = mapped_column(String(255))  # "POST /api/v1/visum": where the key was used
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of the route and the JSON body
    status_code: Mapped[int | None] = mapped_column()  # the answer given, stored with the work
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()  # naive UTC

    def __repr__(self) -> str:
        return f"<IdempotencyKey {self.user_id} {self.key!r} {self.route} {self.status_code}>"
