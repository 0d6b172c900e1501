"""The assessor's inbox: approve one visum, a selection or a whole day, or return one with a reason,
all inline with HTMX; every answer carries the pending counter as an out-of-band swap.

Views stay thin: load -> access (the services check who may approve) -> form -> service -> render.
A visum somebody else decided meanwhile never gives an error page: approved already is the
service's quiet success (the row shows "Disetujui"), returned or edited since the page was
shown gives a polite message in the row. Reads: ``inbox_queries``; choices: ``docs/inbox.md``.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlencode

from flask import abort, flash, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import TextAreaField

from kinerja.execution import bp, inbox_queries, services
from kinerja.execution.feedback import feedback_counts
from kinerja.execution.models import Visum
from kinerja.extensions import db
from kinerja.forms import Form
from kinerja.htmx import hx_redirect, is_htmx, render_page_or_partial
from kinerja.org import relations
from kinerja.org.models import AssessorLink, Employee
from kinerja.refusals import attach, refuse
from kinerja.rules import week as week_rules
from kinerja.rules.planning import PlanningRuleError, WrongState
from kinerja.rules.visum import VisumStatus

PAGE = "execution/inbox.html"
LIST = "execution/_inbox.html"
ROW = "execution/_inbox_row.html"
MAX_NIP = 18

SKIP_REASONS = {
    "already_approved": "sudah disetujui sebelumnya",
    "wrong_state": "sudah dikembalikan kepada pegawai",
    "not_allowed": "bukan visum pegawai yang Anda nilai (atau visum Anda sendiri)",
    "not_found": "tidak ditemukan (mungkin sudah dihapus pegawai)",
}


class InboxReturnForm(Form):
    """The reason of a return; the service checks it (required, at most 500 characters)."""

    reason = TextAreaField("Alasan pengembalian")


@dataclass(frozen=True)
class InboxView:
    """What the assessor is looking at (filters and page), carried by every action's URL."""

    day: date | None = None
    nip: str | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "InboxView":
        """Read the filters from a query string; anything unreadable is simply no filter."""
        try:
            day = date.fromisoformat(args.get("day", "").strip()) if args.get("day", "").strip() else None
        except ValueError:
            day = None
        nip = args.get("nip", "").strip()
        try:
            page = max(1, int(args.get("page", 1)))
        except (TypeError, ValueError):
            page = 1
        return cls(day, nip if nip and len(nip) <= MAX_NIP else None, page)

    def args(self, **changes) -> dict:
        """Return the view as query arguments (empty ones left out)."""
        view = replace(self, **changes)
        values = {"day": view.day.isoformat() if view.day else None, "nip": view.nip,
                  "page": view.page if view.page > 1 else None}
        return {key: value for key, value in values.items() if value is not None}

    @property
    def query(self) -> str:
        """Return ``?day=…&nip=…&page=…`` (or an empty string) to append to an action URL."""
        args = self.args()
        return "?" + urlencode(args) if args else ""


def _me() -> Employee:
    return current_user.employee


def _view() -> InboxView:
    return InboxView.from_args(request.args)


def _inbox_url(view: InboxView) -> str:
    return url_for("execution.inbox", **view.args())


def _list_context(view: InboxView, **extra) -> dict:
    page = inbox_queries.inbox_page(_me(), day=view.day, nip=view.nip, page=view.page)
    view = replace(view, page=page.page)
    context = {"inbox": page, "summary": page.summary, "view": view, "oob": is_htmx(),
               "date_label": week_rules.date_label,
               "feedback_counts": feedback_counts([item.id for item in page.items]),
               "page_url": lambda number: url_for("execution.inbox", **view.args(page=number))}
    context.update(extra)
    return context


@bp.get("/inbox")
@login_required
def inbox():
    """Show the visum waiting for the user's approval (as Pejabat Penilai, PLT or PLH), oldest first."""
    return render_page_or_partial(PAGE, LIST, **_list_context(_view()))


# --- one visum ----------------------------------------------------------------------------------

def _visum_or_404(visum_id: int) -> tuple[Visum, AssessorLink | None]:
    """Load the visum and its employee's assessor link (hold the link: the services' check reads it), or 404."""
    loaded = inbox_queries.load_visum(visum_id)
    if loaded is None:
        abort(404, description="Visum tidak ditemukan; mungkin sudah dihapus oleh pegawai.")
    return loaded


def _may_decide(visum: Visum) -> None:
    """Refuse (403) anyone but the employee's current assessor or his PLT/PLH; never one's own visum."""
    me = _me()
    if not relations.is_assessor(me, visum.employee):
        abort(403)


def _changed_since_shown(visum: Visum) -> bool:
    """Tell whether the employee edited the (still pending) visum after the assessor's page showed it."""
    shown = request.form.get("version", "")
    return (visum.status == VisumStatus.SUBMITTED.value and shown.isdigit()
            and int(shown) != visum.version)


def _row(visum: Visum, view: InboxView, status: int = 200, **context):
    """Answer one row with the counter, the "shown N of M" line and the row's day header out of band.

    One counting query (``row_counts``), no list of assessees and no filter bar: this is the answer
    of every one-click approval. The filter bar's per-day/per-person counts refresh with the next
    list (a filter change, paging, a selection or day approval).
    """
    counts = inbox_queries.row_counts(_me(), visum, day=view.day, nip=view.nip)
    return render_template(ROW, item=inbox_queries.inbox_item(visum), view=view, summary=counts, row_oob=True,
                           feedback_counts={visum.id: counts.feedback}, date_label=week_rules.date_label,
                           **context), status


def _commit_keeping_state() -> None:
    """Commit without expiring what the request loaded: the answer shows the state just written.

    The decision's UPDATE already put the written values on the visum; reloading it, its employee
    and the user after the commit would cost four queries on every one-click approval.
    """
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def _not_htmx_done(message: str, category: str, view: InboxView):
    flash(message, category)
    return hx_redirect(_inbox_url(view))


def _polite(visum: Visum, view: InboxView, message: str, **context):
    """Say in the row (or a flash) why nothing was done: someone else decided, or the employee edited it."""
    if not is_htmx():
        return _not_htmx_done(message, "warning", view)
    return _row(visum, view, message=message, **context)


@bp.post("/inbox/<int:visum_id>/approve")
@login_required
def inbox_approve(visum_id):
    """Approve one visum with one click; the row says "Disetujui" and the counter updates."""
    (visum, _link), view = _visum_or_404(visum_id), _view()  # _link: held for the assessor check
    if _changed_since_shown(visum):
        _may_decide(visum)
        return _polite(visum, view, "Pegawai mengubah visum ini setelah halaman dimuat. Periksa isinya, "
                       "lalu setujui lagi.")
    try:
        services.approve_visum(_me(), visum)
    except WrongState:
        db.session.rollback()
        return _polite(visum, view, "Visum ini sudah dikembalikan kepada pegawai, jadi tidak dapat disetujui sekarang.")
    except PlanningRuleError as error:
        refuse(error)
    _commit_keeping_state()
    if not is_htmx():
        return _not_htmx_done(f"Visum {visum.employee.name} disetujui.", "success", view)
    return _row(visum, view)


@bp.post("/inbox/<int:visum_id>/return")
@login_required
def inbox_return(visum_id):
    """Return one visum with a reason (422 without one); the row says "Dikembalikan"."""
    (visum, _link), view = _visum_or_404(visum_id), _view()  # _link: held for the assessor check
    form = InboxReturnForm()
    if _changed_since_shown(visum):
        _may_decide(visum)
        return _polite(visum, view, "Pegawai mengubah visum ini setelah halaman dimuat. Periksa isinya sebelum "
                       "mengembalikannya.", open_return=visum.id, return_form=form)
    try:
        services.return_visum(_me(), visum, form.reason.data or "")
    except WrongState:
        db.session.rollback()
        return _polite(visum, view, "Visum ini sudah disetujui, jadi tidak dapat dikembalikan lagi.")
    except PlanningRuleError as error:
        if error.http_status != 400:
            refuse(error)
        db.session.rollback()
        attach(form, error)
        if not is_htmx():
            return render_template(PAGE, **_list_context(view, open_return=visum.id, return_form=form)), 422
        return _row(visum, view, 422, open_return=visum.id, return_form=form)
    _commit_keeping_state()
    if not is_htmx():
        return _not_htmx_done(f"Visum {visum.employee.name} dikembalikan.", "success", view)
    return _row(visum, view)


# --- many at once ------------------------------------------------------------------------------

@dataclass
class BulkOutcome:
    """What an "approve selected" or "approve the day" did, for the result panel."""

    title: str
    approved: list = field(default_factory=list)  # (name, day) of each visum approved now
    skipped: list = field(default_factory=list)  # (why, count)
    error: str | None = None

    @property
    def message(self) -> str:
        """Say it in one line (the flash of a plain request)."""
        if self.error:
            return self.error
        parts = [f"{len(self.approved)} visum disetujui"]
        parts += [f"{count} dilewati ({why})" for why, count in self.skipped]
        return "; ".join(parts) + "."


def _require_assessor() -> None:
    if not relations.assessees(_me()):
        abort(403)


def _outcome(title: str, result: services.ApproveManyResult) -> BulkOutcome:
    approved = []
    if result.approved:
        approved = list(db.session.execute(
            select(Employee.name, Visum.day).join(Employee, Employee.id == Visum.employee_id)
            .where(Visum.id.in_(result.approved)).order_by(Visum.day, Employee.name_key, Visum.id)))
    skipped = [(SKIP_REASONS[name], len(getattr(result, name))) for name in SKIP_REASONS if getattr(result, name)]
    return BulkOutcome(title, approved, skipped)


def _bulk_answer(outcome: BulkOutcome, view: InboxView, status: int = 200):
    if not is_htmx():
        return _not_htmx_done(outcome.message, "error" if outcome.error else "success", view)
    return render_template(LIST, **_list_context(view, outcome=outcome)), status


@bp.post("/inbox/approve-selected")
@login_required
def inbox_approve_selected():
    """Approve the checked visum in one go; ids the user may not approve are skipped and counted."""
    _require_assessor()
    view = _view()
    ids = request.form.getlist("visum_id")
    if not ids:
        return _bulk_answer(BulkOutcome("Setujui yang dipilih", error="Belum ada visum yang dipilih."), view, 422)
    result = services.approve_many(_me(), ids)
    db.session.commit()
    return _bulk_answer(_outcome("Setujui yang dipilih", result), view)


@bp.post("/inbox/approve-day")
@login_required
def inbox_approve_day():
    """Approve every pending visum of one day among the user's assessees (one person with ``approve_nip``)."""
    _require_assessor()
    view = _view()
    try:
        day = date.fromisoformat(request.form.get("approve_day", "").strip())
    except ValueError:
        return _bulk_answer(BulkOutcome("Setujui satu hari", error="Tanggal tidak valid."), view, 422)
    nip = request.form.get("approve_nip", "").strip() or None
    ids = inbox_queries.pending_ids_of_day(_me(), day, nip)
    result = services.approve_many(_me(), ids)
    db.session.commit()
    return _bulk_answer(_outcome(f"Setujui semua visum {week_rules.date_label(day)}", result), view)
