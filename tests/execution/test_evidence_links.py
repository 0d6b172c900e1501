# ruff: noqa: F811 - fixtures imported from realisasi_fixtures are used as test parameters
"""Evidence given as a link opens the address itself, wherever evidence is listed (inbox, week page,
read-only week, realisation page); only complete http/https addresses are stored or become links, and a
stored value of any other kind (an old row) is shown as text, never as a link."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja import clock
from kinerja.execution import evidence, realisasi, services
from kinerja.execution.models import Evidence, IkuRealisasi
from kinerja.extensions import db
from kinerja.rules.planning import PlanningRuleError
from tests.execution.fixtures import NOW
from tests.execution.realisasi_fixtures import HX, login, pk, planner  # noqa: F401

MONDAY = date(2026, 1, 12)
LINK = "https://drive.bkkbn.go.id/notulen?id=7&v=2"
HOSTILE = "javascript:alert(document.cookie)"


def file(employee, day):
    """File a visum as the employee himself, now (the frozen clock), and commit."""
    visum = services.file_visum(employee, employee, day=day, activity="Menyusun laporan")
    db.session.commit()
    return visum


def _link(visum, url: str) -> Evidence:
    """Store a link row as it is (an old row from before the check, or imported), bypassing the service."""
    row = Evidence(visum_id=visum.id, kind="LINK", url=url, created_at=NOW.replace(tzinfo=None))
    db.session.add(row)
    db.session.commit()
    return row


def _anchors(html: str) -> list[str]:
    return re.findall(r"<a\b[^>]*>", html)


def _assert_opens_the_address(html: str, row: Evidence) -> None:
    escaped = LINK.replace("&", "&amp;")
    anchor = next((a for a in _anchors(html) if f'href="{escaped}"' in a), None)
    assert anchor is not None, "the link does not point at the address itself"
    assert 'target="_blank"' in anchor and 'rel="noopener noreferrer"' in anchor
    assert f'href="/execution/evidence/{row.id}"' not in html  # never the file route (404 for a link)


def _assert_shown_as_text(html: str) -> None:
    assert "javascript:alert(document.cookie)" in html  # the stored value is visible to the reader
    assert not [a for a in _anchors(html) if "javascript:" in a]
    assert "bukan tautan http/https" in html


@pytest.mark.parametrize("value, expected", [
    ("https://a.id/x", True), ("http://a.id", True), ("HTTPS://A.ID/x?y=1#z", True),
    ("javascript:alert(1)", False), ("JavaScript:alert(1)", False), ("data:text/html,<b>x</b>", False),
    ("file:///etc/passwd", False), ("ftp://a.id/x", False), ("//a.id/x", False), ("/execution/inbox", False),
    ("https://", False), ("https:///x", False), ("https://a.id/\u00a0x", False), ("https://a.id/\x00", False),
    ("https://a b.id", False), ("", False), (None, False), ("https://[::1", False),
])
def test_only_a_complete_http_or_https_address_is_a_web_url(value, expected):
    assert evidence.is_web_url(value) is expected


@pytest.mark.parametrize("url", [HOSTILE, "data:text/html,x", "vbscript:x", "//a.id/x"])
def test_the_visum_link_service_refuses_other_schemes_in_indonesian(people, url):
    visum = file(people["pelaksana"], MONDAY)
    with pytest.raises(PlanningRuleError) as caught:
        evidence.add_link_evidence(people["pelaksana"], visum, url)
    assert caught.value.code == "INVALID_URL" and "http:// atau https://" in caught.value.message
    db.session.rollback()
    assert db.session.scalar(select(func.count(Evidence.id))) == 0


def test_the_inbox_opens_a_link_itself(client, people):
    visum = file(people["analis"], MONDAY)
    row = _link(visum, LINK)
    login(client, people["direktur"])
    for headers in (HX, {}):
        html = client.get("/execution/inbox", headers=headers).get_data(as_text=True)
        _assert_opens_the_address(html, row)


def test_the_inbox_shows_a_stored_hostile_value_as_text(client, people):
    _link(file(people["analis"], MONDAY), HOSTILE)
    login(client, people["direktur"])
    _assert_shown_as_text(client.get("/execution/inbox").get_data(as_text=True))


@pytest.mark.parametrize("reader", ["analis", "direktur"])  # his own week page; the assessor's read-only week
def test_the_week_pages_open_a_link_itself_and_show_a_hostile_value_as_text(client, people, reader):
    visum = file(people["analis"], MONDAY)
    good = _link(visum, LINK)
    _link(visum, HOSTILE)
    login(client, people[reader])
    url = (f"/execution/visum?week={MONDAY.isoformat()}" if reader == "analis"
           else f"/execution/visum/{people['analis'].nip}?week={MONDAY.isoformat()}")
    for headers in (HX, {}):
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        _assert_opens_the_address(html, good)
        _assert_shown_as_text(html)


def test_the_realisation_page_opens_a_link_itself_and_shows_a_hostile_value_as_text(client, planner, pk):
    iku = pk.iku[0]
    for period, url in (("2026-01", LINK), ("2026", HOSTILE)):
        db.session.add(IkuRealisasi(unit_id=pk.unit_id, year=2026, iku_code=iku.code, period=period, value=1.0,
                                    pk_id=pk.id, evidence_url=url, created_at=clock.stamp(), updated_at=clock.stamp()))
    db.session.commit()
    login(client, planner)
    html = client.get(f"/execution/pk/{pk.id}/realisasi").get_data(as_text=True)
    escaped = LINK.replace("&", "&amp;")
    anchor = next(a for a in _anchors(html) if f'href="{escaped}"' in a)
    assert 'target="_blank"' in anchor and 'rel="noopener noreferrer"' in anchor
    _assert_shown_as_text(html)


def test_the_realisation_service_refuses_other_schemes_in_indonesian(planner, pk):
    for url in (HOSTILE, "http:/x.id", "data:text/html,x"):
        with pytest.raises(PlanningRuleError) as caught:
            realisasi.record_iku_realisasi(planner, pk, pk.iku[0].code, "2026-01", 3, evidence_url=url)
        assert caught.value.code == "INVALID_URL" and "tidak diterima" in caught.value.message
        db.session.rollback()
    assert db.session.scalar(select(func.count(IkuRealisasi.id))) == 0


def test_the_evidence_file_route_still_refuses_a_link(client, people):
    row = _link(file(people["analis"], MONDAY), LINK)
    login(client, people["analis"])
    assert client.get(f"/execution/evidence/{row.id}").status_code == 404
