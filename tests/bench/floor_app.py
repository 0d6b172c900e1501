"""The floor of the load test: the Kinerja app with one more POST route that only passes CSRF and
Flask-Login (the session's user with his employee and roles) and answers a string.

No route that needs a logged-in user can be faster than this on the same stack, so the load test
reports it beside the bare Flask route and the inline approvals.
"""

from flask_login import login_required

from app import app


@app.post("/_floor")
@login_required
def floor():
    return "ok"
