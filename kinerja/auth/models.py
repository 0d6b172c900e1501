"""Accounts of employees, their granted roles and API tokens."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.extensions import db
from kinerja.org.models import Employee


class User(UserMixin, db.Model):
    """The login of one employee (NIP + password)."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    # Bumped to end every session of the user at once (logout, new password, deactivation, revoked
    # role): the session keeps the value it had at login, and the user loader compares them.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    employee: Mapped[Employee] = relationship(lazy="joined")
    grants: Mapped[list["RoleGrant"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(grant.role for grant in self.grants)

    def has_role(self, *roles: str) -> bool:
        """Tell whether the user holds any of the roles (Admin holds every role)."""
        return "ADMIN" in self.roles or bool(self.roles.intersection(roles))


class RoleGrant(db.Model):
    __tablename__ = "role_grant"
    __table_args__ = (
        UniqueConstraint("user_id", "role", name="uq_role_grant_once"),
        CheckConstraint("role IN ('PENGELOLA_KINERJA', 'KEPEGAWAIAN', 'ADMIN')", name="role_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(24))

    user: Mapped[User] = relationship(back_populates="grants")


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship()
