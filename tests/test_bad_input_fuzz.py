"""Hostile input at every route: no answer is a 5xx.

Hypothesis throws values an attacker sends (ids above 2^63, negative ids, lone surrogates,
9999-12-31 and 0001-01-01, JSON nested 100,000 levels deep, empty and very long strings,
wrong types, nulls) at every JSON API route and every POST route of the pages, walking the
URL map so a route added later is covered too. Path parameters get the demo's real ids or
hostile ones; API bodies and query strings get the API's field names, forms the field names
of every form class. It runs logged in as HR (Kepegawaian) and as a plain employee (who owns
the ids). Under ``TESTING`` an unhandled exception propagates out of the test client, so an
error that would have been a 500 fails the test as loudly as a 5xx status.

Bounded for CI (both databases): a few examples per route and user, the demo built once.
"""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from wtforms.fields.core import UnboundField

from kinerja import demo
from kinerja.auth import services as auth_services
from kinerja.execution.models import Evidence, Visum
from kinerja.extensions import db
from kinerja.org.models import ActingAssignment, Unit
from kinerja.planning.models import (
    Anggaran,
    Iki,
    Iku,
    PenugasanTambahan,
    PeranHasil,
    PerjanjianKinerja,
    RencanaAksi,
    RencanaHasilKerja,
    SasaranStrategis,
    Skp,
)
from tests.conftest import _empty_all_tables
from tests.factories import login_as

# examples per route and user: the API is cheap to call, a page renders HTML
API_EXAMPLES, FORM_EXAMPLES, PAGE_EXAMPLES = 25, 12, 8
SKIPPED = {"static", "auth.logout"}  # logging out would only make the rest of the run anonymous

HUGE_INTS = [2**63, 2**63 - 1, 2**64, 10**20, 2**31, 2**31 - 1, -1, 0, -(2**63) - 1]


class Shown(str):
    """A long string shown by a short name when Hypothesis reports a failing example."""

    def __new__(cls, value, name):
        text = super().__new__(cls, value)
        text.name = name
        return text

    def __repr__(self):
        return self.name


class Body(bytes):
    """A raw request body shown by a short name."""

    def __new__(cls, value, name):
        body = super().__new__(cls, value)
        body.name = name
        return body

    def __repr__(self):
        return self.name


HOSTILE_TEXT = ["", " ", "\ud800", "a\udfffb", Shown("x" * 20_000, "'x' * 20000"), "9999-12-31", "0001-01-01",
                "9999-12-31T23:59", "0001-01-01T00:00", "2026-02-30", "99999999999999999999",
                "-99999999999999999999", "-1", "0", "1e309", "NaN", "null", "true", "\x00", "\r\n",
                "=HYPERLINK(\"http://x\")", "<script>", "KUANTITAS", "UTAMA", "TIM_KERJA", "DARING"]
RAW_BODIES = [Body(b"[" * 100_000 + b"]" * 100_000, "JSON array 100000 deep"),
              Body(b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "JSON object 100000 deep"),
              Body(b"[" * 900 + b"]" * 900, "JSON array 900 deep"),
              Body(b"", "empty"), Body(b"null", "null"), Body(b"[]", "[]"), Body(b"\xff\xfe", "not UTF-8"),
              Body(b'{"activity": "\\ud800", "reason": "\\ud800", "nip": "\\ud800"}', "surrogates"),
              Body(b"{bukan json", "not JSON"), Body(b'"teks"', "a JSON string"),
              Body(b"12345678901234567890123", "a huge JSON number")]
API_FIELDS = ["date", "activity", "output", "iki_id", "nip", "client_token", "reason", "year", "rhk", "unit",
              "sasaran", "iku_code", "period", "value", "note", "evidence_url", "from", "to", "kind", "text",
              "source", "target", "quantity"]


def hostile_json(ids):
    """Any JSON value a client could send, weighted towards the hostile ones."""
    scalars = st.one_of(st.sampled_from(HUGE_INTS), st.sampled_from(HOSTILE_TEXT), st.none(), st.booleans(),
                        st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
                        st.sampled_from(sorted({str(v) for v in ids.values()}) + [v for v in ids.values()
                                                                                  if isinstance(v, int)]))
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.sampled_from(API_FIELDS), inner, max_size=4), max_leaves=8)


def form_text(ids):
    """A form value: hostile text, a number too big, or a real id."""
    return st.one_of(st.sampled_from(HOSTILE_TEXT), st.sampled_from([str(n) for n in HUGE_INTS]),
                     st.sampled_from(sorted({str(v) for v in ids.values()})), st.text(max_size=20))


def path_value(name: str, ids, integer: bool):
    """A path parameter: the demo's real one, or a hostile one (the int converter is unsigned)."""
    if integer:
        return st.one_of(st.just(str(ids.get(name, 1))), st.sampled_from([str(n) for n in HUGE_INTS if n >= 0]))
    real = st.just(str(ids.get(name, "x")))
    if name == "day":
        return st.one_of(real, st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "99999-01-01", "x"]))
    return st.one_of(real, st.sampled_from(["9" * 40, "x" * 300, "%ED%A0%80", "0"]))


def form_field_names() -> list[str]:
    """Return the field names of every form class of the application (and their ``edit-`` forms)."""
    from flask_wtf import FlaskForm

    import kinerja.auth.forms  # noqa: F401
    import kinerja.execution.feedback_forms  # noqa: F401
    import kinerja.execution.hr_forms  # noqa: F401
    import kinerja.execution.realisasi_forms  # noqa: F401
    import kinerja.execution.visum_forms  # noqa: F401
    import kinerja.org.forms  # noqa: F401
    import kinerja.planning.changes_forms  # noqa: F401
    import kinerja.planning.pk_forms  # noqa: F401
    import kinerja.planning.skp_forms  # noqa: F401

    names, pending = set(), [FlaskForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        names |= {name for name in dir(cls) if isinstance(getattr(cls, name, None), UnboundField)}
    names.discard("csrf_token")
    return sorted(names | {f"edit-{name}" for name in names})


def urlencoded(pairs) -> bytes:
    """Encode form pairs as the browser does, but keep lone surrogates (as their UTF-8-like bytes)."""
    return "&".join(f"{quote(key)}={quote(value.encode('utf-8', 'surrogatepass'))}" for key, value in pairs
                    ).encode("ascii")


def first(model, *where):
    return db.session.scalar(select(model.id).where(*where).order_by(model.id).limit(1))


@pytest.fixture(scope="module")
def demo_app(_app):
    """The application with the demo organisation, built once for this module (emptied at its end).

    The attacks change data as they go (a real id may be deleted by one example, then answers 404):
    what is checked is only that no answer is a server error.
    """
    with _app.app_context():
        demo.build_demo()
        yield _app
        db.session.rollback()
        _empty_all_tables()


@pytest.fixture
def client(demo_app):
    return demo_app.test_client()


@pytest.fixture(scope="module")
def ids(demo_app):
    """Real ids of one Pelaksana's objects (and his organisation's), by route argument name."""
    owner = demo.demo_employee("delegasi")
    kespro = db.session.scalar(select(Unit).where(Unit.code == "DIT-KESPRO"))
    pk = first(PerjanjianKinerja, PerjanjianKinerja.unit_id == kespro.id)
    iku = first(Iku, Iku.pk_id == pk)
    skp = first(Skp, Skp.employee_id == owner.id)
    rhk = first(RencanaHasilKerja, RencanaHasilKerja.skp_id == skp)
    visum = first(Visum, Visum.employee_id == owner.id)
    return {"nip": owner.nip, "code": "DIT-KESPRO-REMAJA", "pk_id": pk, "iku_id": iku, "skp_id": skp,
            "rhk_id": rhk, "iki_id": first(Iki, Iki.rhk_id == rhk), "visum_id": visum,
            "evidence_id": first(Evidence, Evidence.visum_id == visum) or 1,
            "sasaran_id": first(SasaranStrategis, SasaranStrategis.pk_id == pk),
            "line_id": first(Anggaran, Anggaran.pk_id == pk) or 1,
            "item_id": first(PenugasanTambahan) or 1, "action_id": first(RencanaAksi, RencanaAksi.iku_id == iku),
            "share_id": first(PeranHasil) or 1, "acting_id": first(ActingAssignment), "realisasi_id": 1,
            "holiday_id": 1, "kind": "leave", "value": "BERORIENTASI_PELAYANAN", "day": "2026-01-05"}


def routes(app, api: bool):
    """Yield (rule, method) for the API's routes, or for the pages' POST routes."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIPPED or rule.rule.startswith("/api/") != api:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if api or method == "POST":
                yield rule, method


def url_for_rule(rule, draw, ids) -> str:
    url = rule.rule
    for name in rule.arguments:
        integer = f"<int:{name}>" in url
        value = draw(path_value(name, ids, integer))
        url = url.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
    return url


def assert_no_server_error(response, method, url, sent):
    assert response.status_code < 500, f"{response.status_code} {method} {url} with {sent!r:.300}"




def run_fuzz(check, examples: int) -> None:
    """Run ``check(draw)`` on ``examples`` Hypothesis examples (a failure is shrunk to the smallest)."""
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def attack(data):
        check(data.draw)

    attack()


@pytest.mark.parametrize("who", ["hr", "delegasi"])
def test_page_query_strings_answer_hostile_input_without_a_server_error(demo_app, client, ids, who):
    """GET pages with hostile path parameters and query values (``?week=9999-12-31``, ``?year=``, ``?page=``)."""
    user = auth_services.user_for(demo.demo_employee(who))
    db.session.commit()
    names = ["week", "year", "page", "day", "nip", "q", "unit", "date", "source", "parent_rhk_id", "iku_id",
             "a", "b", "status", "kind", "period", "month"]
    text = form_text(ids)

    def call(rule, draw):
        login_as(client, user)
        url = url_for_rule(rule, draw, ids)
        query = draw(st.lists(st.tuples(st.sampled_from(names), text), max_size=4))
        url += "?" + urlencoded(query).decode("ascii")
        response = client.get(url, headers={"HX-Request": "true"} if draw(st.booleans()) else {})
        db.session.rollback()
        assert_no_server_error(response, "GET", url, query)

    for rule in sorted(demo_app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" in rule.methods and not rule.rule.startswith("/api/") and rule.endpoint not in SKIPPED:
            run_fuzz(lambda draw, rule=rule: call(rule, draw), PAGE_EXAMPLES)


@pytest.mark.parametrize("who", ["hr", "delegasi"])
def test_api_routes_answer_hostile_input_without_a_server_error(demo_app, client, ids, who):
    token = auth_services.create_token(None, demo.demo_employee(who))
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    values = hostile_json(ids)

    def call(rule, method, draw):
        url = url_for_rule(rule, draw, ids)
        query = draw(st.dictionaries(st.sampled_from(API_FIELDS), st.sampled_from(HOSTILE_TEXT), max_size=3))
        url += "?" + urlencoded(query.items()).decode("ascii")
        if draw(st.booleans()):
            body = draw(st.sampled_from(RAW_BODIES))
        else:
            document = draw(st.dictionaries(st.sampled_from(API_FIELDS), values, max_size=6) | values)
            body = json.dumps(document).encode("ascii")  # \ud800 travels escaped, as a client sends it
        response = client.open(url, method=method, data=body, headers=headers)
        db.session.rollback()
        assert_no_server_error(response, method, url, body)

    for rule, method in routes(demo_app, api=True):
        run_fuzz(lambda draw, rule=rule, method=method: call(rule, method, draw), API_EXAMPLES)


@pytest.mark.parametrize("who", ["hr", "delegasi"])
def test_page_forms_answer_hostile_input_without_a_server_error(demo_app, client, ids, who):
    user = auth_services.user_for(demo.demo_employee(who))
    db.session.commit()
    fields = form_field_names()
    text = form_text(ids)

    def call(rule, method, draw):
        login_as(client, user)
        url = url_for_rule(rule, draw, ids)
        pairs = draw(st.lists(st.tuples(st.sampled_from(fields), text), max_size=12))
        headers = {"HX-Request": "true"} if draw(st.booleans()) else {}
        response = client.open(url, method=method, data=urlencoded(pairs), headers=headers,
                               content_type="application/x-www-form-urlencoded")
        db.session.rollback()
        assert_no_server_error(response, method, url, pairs)

    for rule, method in routes(demo_app, api=False):
        run_fuzz(lambda draw, rule=rule, method=method: call(rule, method, draw), FORM_EXAMPLES)
