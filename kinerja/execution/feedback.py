"""Continuous feedback (umpan balik): threads about an employee's visum, its evidence or his behaviour.

A thread is a first comment (``parent_id`` None) and its replies, one level deep: a reply to a
reply joins the first comment's thread. The employee's assessor chain (Pejabat Penilai, Atasan
Pejabat Penilai, and whoever acts for them as PLT/PLH) starts threads and replies; the employee
replies in threads about him; HR reads. Feedback is not bound by the week lock. Services write an
audit row and never commit. Choices: ``docs/feedback-notifications.md``.
"""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from kinerja import clock
from kinerja.audit.services import record, snapshot
from kinerja.auth.access import in_assessor_chain
from kinerja.execution.models import FEEDBACK_TOPIC, Evidence, Feedback, Visum
from kinerja.execution.notifications import notify
from kinerja.extensions import db
from kinerja.org.models import Employee
from kinerja.org.queries import paginate
from kinerja.planning.models import BERAKHLAK
from kinerja.rules.planning import NotAllowed, PlanningRuleError, required_text
from kinerja.rules.week import date_label

MAX_BODY = 4000
FEEDBACK_FIELDS = ("employee_id", "topic", "visum_id", "evidence_id", "perilaku", "parent_id", "author_id", "body")
TOPIC_LABELS = {"VISUM": "Visum", "EVIDENCE": "Bukti dukung", "PERILAKU": "Perilaku kerja"}
FEEDBACK_LINK = "/execution/feedback"  # execution.feedback (built as text: services see no request)


def can_comment(actor: Employee | None, employee: Employee) -> bool:
    """Tell whether ``actor`` may start a feedback thread about ``employee`` (his assessor chain, never himself)."""
    return actor is not None and actor.id != employee.id and in_assessor_chain(actor, employee)


def can_reply(actor: Employee | None, employee: Employee) -> bool:
    """Tell whether ``actor`` may reply in threads about ``employee`` (the employee or his assessor chain)."""
    return actor is not None and (actor.id == employee.id or in_assessor_chain(actor, employee))


def _body(value) -> str:
    return required_text(value, "body", "Umpan balik", MAX_BODY, "Isi umpan balik wajib diisi.", "BODY_REQUIRED")


def _subject(employee: Employee, topic, visum: Visum | None, evidence: Evidence | None,
             perilaku) -> tuple[str, Visum | None, Evidence | None, str | None]:
    """Check what a new thread is about; return (topic, visum, evidence, perilaku) to store."""
    if topic not in FEEDBACK_TOPIC:
        raise PlanningRuleError("Topik umpan balik tidak dikenal.", "topic", code="UNKNOWN_VALUE")
    if topic == "PERILAKU":
        if perilaku not in BERAKHLAK:
            raise PlanningRuleError("Pilih nilai perilaku kerja BerAKHLAK.", "perilaku", code="PERILAKU_REQUIRED")
        return topic, None, None, perilaku
    if topic == "EVIDENCE":
        if evidence is None:
            raise PlanningRuleError("Pilih bukti dukung yang dikomentari.", "evidence_id", code="EVIDENCE_REQUIRED")
        visum = evidence.visum
    if visum is None:
        raise PlanningRuleError("Pilih visum yang dikomentari.", "visum_id", code="VISUM_REQUIRED")
    if visum.employee_id != employee.id:
        raise PlanningRuleError("Visum itu bukan milik pegawai ini.", "visum_id", code="NOT_HIS_VISUM")
    return topic, visum, evidence if topic == "EVIDENCE" else None, None


def post_feedback(actor: Employee | None, employee: Employee, *, body: str, topic: str = "VISUM",
                  visum: Visum | None = None, evidence: Evidence | None = None, perilaku: str | None = None,
                  parent: Feedback | None = None, now: datetime | None = None) -> Feedback:
    """Add a comment about an employee's visum, evidence or behaviour, or a reply in a thread about him.

    A reply (``parent``) takes its thread's topic, visum, evidence and perilaku. A new comment by
    someone else notifies the employee; the employee's reply notifies the thread's first author.

    :raise NotAllowed: not the employee nor his assessor chain (``NOT_IN_CHAIN``); the employee
        starting a thread (``EMPLOYEE_REPLIES_ONLY``)
    :raise PlanningRuleError: no or too long body (``BODY_REQUIRED``, ``TOO_LONG``), unknown topic,
        a missing or foreign visum/evidence, perilaku not a BerAKHLAK value, a parent of someone else
    """
    if not can_reply(actor, employee):
        raise NotAllowed("Hanya pegawai yang bersangkutan dan Pejabat Penilai serta atasannya yang dapat "
                         "memberi umpan balik.", code="NOT_IN_CHAIN")
    root = None
    if parent is not None:
        root = parent if parent.parent_id is None else db.session.get(Feedback, parent.parent_id)
        if root.employee_id != employee.id:
            raise PlanningRuleError("Percakapan itu bukan tentang pegawai ini.", "parent_id", code="NOT_HIS_THREAD")
        topic, visum, evidence, perilaku = root.topic, root.visum, root.evidence, root.perilaku
    elif actor.id == employee.id:
        raise NotAllowed("Pegawai membalas umpan balik tentang dirinya; percakapan baru dimulai oleh Pejabat "
                         "Penilai atau atasannya.", code="EMPLOYEE_REPLIES_ONLY")
    else:
        topic, visum, evidence, perilaku = _subject(employee, topic, visum, evidence, perilaku)
    text = _body(body)
    item = Feedback(employee_id=employee.id, topic=topic, visum_id=visum.id if visum is not None else None,
                    evidence_id=evidence.id if evidence is not None else None, perilaku=perilaku,
                    parent_id=root.id if root is not None else None, author_id=actor.id, body=text,
                    created_at=clock.stamp(now))
    db.session.add(item)
    db.session.flush()
    record(actor, "feedback.create", "feedback", item.id, None, snapshot(item, FEEDBACK_FIELDS))
    _notify(actor, employee, item, root, now)
    return item


def _about(item: Feedback) -> str:
    if item.topic == "PERILAKU":
        from kinerja.planning.skp_forms import BERAKHLAK_LABELS

        return f"perilaku {BERAKHLAK_LABELS.get(item.perilaku, item.perilaku)}"
    visum = item.visum
    return f"visum {date_label(visum.day)}" if visum is not None else "visum"


def _notify(actor: Employee, employee: Employee, item: Feedback, root: Feedback | None, now) -> None:
    if actor.id != employee.id:
        recipient, message = employee, f"{actor.name} memberi umpan balik tentang {_about(item)}."
    elif root is not None and root.author_id not in (None, employee.id):
        recipient, message = root.author, f"{employee.name} membalas umpan balik Anda tentang {_about(item)}."
    else:
        return
    link = (f"{FEEDBACK_LINK}/visum/{item.visum_id}" if item.visum_id is not None
            else f"{FEEDBACK_LINK}/{employee.nip}")
    notify(recipient, "FEEDBACK", f"feedback:{item.id}", message, link, now)


# --- reading -----------------------------------------------------------------------------------

def _threads(condition):
    """Select the first comments matching ``condition``, newest first, replies and authors loaded."""
    return (select(Feedback).where(condition, Feedback.parent_id.is_(None))
            .options(selectinload(Feedback.author), selectinload(Feedback.evidence), selectinload(Feedback.visum),
                     selectinload(Feedback.replies).selectinload(Feedback.author))
            .order_by(Feedback.created_at.desc(), Feedback.id.desc()))


def visum_threads(visum: Visum) -> list[Feedback]:
    """Return the threads about a visum and its evidence, newest first, replies and authors loaded."""
    return list(db.session.scalars(_threads(Feedback.visum_id == visum.id)))


def employee_threads(employee: Employee, page: int = 1, per_page: int = 20) -> tuple[list[Feedback], int]:
    """Return one page of every thread about an employee (visum, evidence, behaviour), newest first, and the pages."""
    about = Feedback.employee_id == employee.id
    found = paginate(_threads(about), select(func.count()).select_from(Feedback)
                  .where(about, Feedback.parent_id.is_(None)), page, per_page)
    return found.items, found.pages


def feedback_counts(visum_ids) -> dict[int, int]:
    """Count the comments (first ones and replies) on each visum, in one grouped query (for the row buttons)."""
    ids = list(visum_ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(Feedback.visum_id, func.count(Feedback.id))
                                   .where(Feedback.visum_id.in_(ids)).group_by(Feedback.visum_id)).all())
