"""The notification page (newest first, paged; mark one or all read, HTMX) and the unread counter in the top bar."""

from datetime import datetime

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user, login_required

from kinerja import clock
from kinerja.execution import bp, notifications
from kinerja.execution.feedback_forms import MarkReadForm
from kinerja.extensions import db
from kinerja.htmx import is_htmx, render_page_or_partial
from kinerja.rules import week as week_rules


def _unread_for_current_user() -> int:
    """Count the logged-in user's unread notifications (0 for anonymous visitors)."""
    if not current_user.is_authenticated or current_user.employee_id is None:
        return 0
    return notifications.unread_count(current_user.employee_id)


def local_time(moment: datetime | None) -> str:
    """Write a stored (naive UTC) timestamp in the viewer's unit zone: ``15-01-2026 10.00 WIB``."""
    if moment is None:
        return ""
    tz = clock.zone_of(current_user.employee if current_user.is_authenticated else None)
    local = clock.local(moment, tz)
    return f"{local:%d-%m-%Y %H.%M} {week_rules.timezone_label(tz, local)}"


@bp.app_context_processor
def notification_bell():
    """Give templates ``unread_notification_count()``: called only where the bell is drawn, so partials pay nothing."""
    return {"unread_notification_count": _unread_for_current_user,
            "notification_kind_labels": notifications.KIND_LABELS, "local_time": local_time}


@bp.route("/notifications", methods=["GET", "POST"], endpoint="notifications")
@login_required
def notifications_page():
    """List my notifications, newest first; mark one (``notification_id``) or all (``all``) read (POST)."""
    me = current_user.employee
    page = request.args.get("page", 1, type=int)
    if request.method == "POST":
        form = MarkReadForm()
        if not form.validate() or not (form.all.data or form.notification_id.data):
            abort(400, description="Pilih notifikasi yang ditandai sudah dibaca.")
        notifications.mark_read(me, None if form.all.data else form.notification_id.data)
        db.session.commit()
        page = form.page.data or page
        if not is_htmx():
            return redirect(url_for("execution.notifications", page=page), 303)
    items, pages = notifications.notifications_of(me.id, page, current_app.config.get("PAGE_SIZE") or 50)
    return render_page_or_partial("execution/notifications.html", "execution/_notification_list.html",
                                  items=items, page_number=min(max(page, 1), pages), pages=pages, bell_oob=is_htmx(),
                                  page_url=lambda p: url_for("execution.notifications", page=p))
