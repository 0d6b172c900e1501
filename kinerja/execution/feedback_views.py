"""Pages of continuous feedback: the thread of one visum (an HTMX partial below its row) and every
thread about one employee, behaviour included.

Seen by the employee, his assessor chain and HR (read-only: the service refuses HR's posts with
403). Load or 404 -> access -> form -> ``feedback.post_feedback`` -> render; an empty or too long
body re-renders the thread with 422 and the error on the form it came from.
"""

from flask import abort, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kinerja.auth.access import can_view_employee, get_employee_or_404
from kinerja.execution import bp
from kinerja.execution import feedback as services
from kinerja.execution.feedback_forms import FeedbackForm
from kinerja.execution.models import Evidence, Feedback, Visum
from kinerja.extensions import db
from kinerja.htmx import is_htmx, render_page_or_partial
from kinerja.planning.skp_forms import BERAKHLAK_LABELS
from kinerja.refusals import perform
from kinerja.rules.week import date_label


def _visum_or_404(visum_id: int) -> Visum:
    visum = db.session.scalar(select(Visum).where(Visum.id == visum_id)
                              .options(selectinload(Visum.employee), selectinload(Visum.evidence)))
    if visum is None:
        abort(404, description="Visum tidak ditemukan.")
    if not can_view_employee(current_user, visum.employee):
        abort(403)
    return visum


def _parent_or_404(form: FeedbackForm, employee_id: int, visum_id: int | None = None) -> Feedback | None:
    if not form.parent_id.data:
        return None
    parent = db.session.get(Feedback, form.parent_id.data)
    if parent is None or parent.employee_id != employee_id or (visum_id is not None and parent.visum_id != visum_id):
        abort(404, description="Percakapan tidak ditemukan.")
    return parent


def _evidence_or_404(form: FeedbackForm, visum: Visum) -> Evidence | None:
    if not form.evidence_id.data:
        return None
    found = next((e for e in visum.evidence if e.id == form.evidence_id.data), None)
    if found is None:
        abort(404, description="Bukti dukung tidak ditemukan.")
    return found


def _handle_post(post, done_url: str):
    """Read the posted form and run ``post(form)``; return (the form to re-render with 422, or None; a redirect).

    A plain POST that succeeds is redirected to ``done_url`` (303); an HTMX one re-renders the thread.
    """
    form = FeedbackForm()
    if not form.validate() or perform(lambda: post(form), form) is not None:
        return form, None
    return None, (None if is_htmx() else redirect(done_url, 303))


def _context(employee, form: FeedbackForm | None):
    me = current_user.employee
    return {"employee": employee, "can_comment": services.can_comment(me, employee),
            "can_reply": services.can_reply(me, employee), "form": form, "failed": form.target if form else None,
            "topic_labels": services.TOPIC_LABELS, "perilaku_labels": BERAKHLAK_LABELS, "date_label": date_label,
            "max_body": services.MAX_BODY}


@bp.route("/feedback/visum/<int:visum_id>", methods=["GET", "POST"])
@login_required
def feedback_thread(visum_id: int):
    """Show the feedback threads of a visum and its evidence; add a comment or a reply (POST)."""
    visum = _visum_or_404(visum_id)
    failed = None
    if request.method == "POST":
        def post(form):
            parent, evidence = _parent_or_404(form, visum.employee_id, visum.id), _evidence_or_404(form, visum)
            services.post_feedback(current_user.employee, visum.employee, body=form.body.data, parent=parent,
                                   visum=visum, topic="EVIDENCE" if evidence is not None else "VISUM",
                                   evidence=evidence)

        failed, done = _handle_post(post, url_for("execution.feedback_thread", visum_id=visum.id))
        if done is not None:
            return done
    return render_page_or_partial("execution/feedback_thread.html", "execution/_feedback_thread.html",
                                  422 if failed else 200, visum=visum, threads=services.visum_threads(visum),
                                  **_context(visum.employee, failed))


@bp.route("/feedback/<nip>", methods=["GET", "POST"])
@login_required
def feedback(nip: str):
    """Show every feedback thread about an employee; start a behaviour thread or reply (POST)."""
    employee = get_employee_or_404(nip)
    page = request.args.get("page", 1, type=int)
    failed = None
    if request.method == "POST":
        def post(form):
            services.post_feedback(current_user.employee, employee, body=form.body.data, topic="PERILAKU",
                                   perilaku=form.perilaku.data or None, parent=_parent_or_404(form, employee.id))

        failed, done = _handle_post(post, url_for("execution.feedback", nip=employee.nip))
        if done is not None:
            return done
    threads, pages = services.employee_threads(employee, page)
    return render_page_or_partial("execution/feedback.html", "execution/_feedback_list.html", 422 if failed else 200,
                                  threads=threads, page_number=min(max(page, 1), pages), pages=pages,
                                  page_url=lambda p: url_for("execution.feedback", nip=employee.nip, page=p),
                                  **_context(employee, failed))

