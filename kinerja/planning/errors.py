"""The errors planning services raise; views answer 422 / 400, 403 and 409 from them.

They are the pure rules' own classes (``kinerja.rules.planning``), so an error raised by a rule
such as ``transition()`` and one raised by a service are caught by the same ``except``:

- ``PlanningError(message, field=None)``: bad input (a page re-renders with 422, the API 400);
- ``NotAllowed``: the actor may not do this (403);
- ``WrongState``: the object is not in a state where this is possible (409).

Each carries ``message`` (Bahasa Indonesia), ``field``, ``code``, ``problems`` and ``http_status``.
"""

from kinerja.rules.planning import NotAllowed, PlanningRuleError, WrongState

PlanningError = PlanningRuleError

__all__ = ["NotAllowed", "PlanningError", "WrongState"]
