"""Turn a service's refusal into an answer, once for every page.

Services raise the rules' errors (``kinerja.rules.planning.PlanningRuleError`` and subclasses),
each with ``http_status``: ``NotAllowed`` 403, ``WrongState`` 409, ``VisumLocked`` 423, and
plain bad input 400. A page puts bad input on its form (re-rendered with 422) and answers the
others with an error page (or the error partial for HTMX; see ``kinerja.errors``).
"""

from collections.abc import Callable

from flask import abort

from kinerja.extensions import db
from kinerja.rules.planning import PlanningRuleError


def refuse(error: PlanningRuleError):
    """Roll back and abort with the error's own status (403, 409, 423; anything else 422)."""
    db.session.rollback()
    status = error.http_status if error.http_status != 400 else 422
    abort(status, description=error.message)


def attach(form, error: PlanningRuleError) -> None:
    """Put every problem of the error on its form field (``x`` or ``x_id``), or on the form as a whole."""
    for problem in error.problems:
        name = (problem.field or "").split("[")[0]
        field = getattr(form, name, None) if name else None
        if field is None and name:
            field = getattr(form, f"{name}_id", None)
        if field is not None and hasattr(field, "errors") and name != "csrf_token":
            field.errors = [*field.errors, problem.message]
        else:
            form.form_errors.append(problem.message)


def perform(call: Callable, form=None) -> PlanningRuleError | None:
    """Run a service call and commit; return its bad-input error (put on ``form``), or None.

    A refusal no form can carry (403, 409, 423) rolls back and aborts with ``refuse``; bad input
    (400) rolls back, goes on ``form`` when there is one, and is returned for the view to
    re-render with 422. Without a form, bad input aborts with 422 too.
    """
    try:
        call()
    except PlanningRuleError as error:
        if error.http_status != 400 or form is None:
            refuse(error)
        db.session.rollback()
        attach(form, error)
        return error
    db.session.commit()
    return None
