# ruff: noqa: F811 - fixtures imported from the execution and realisation fixtures are used as parameters
"""``Idempotency-Key`` on the API's creates (kinerja/api/idempotency.py): a retry replays the first
answer, another body with the same key is 422, a refused create keeps nothing, and ten simultaneous
posts with one key against a real threaded server create one object (SQLite and PostgreSQL)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from sqlalchemy import func, select

from kinerja.api.models import IdempotencyKey
from kinerja.audit.models import AuditEntry
from kinerja.execution.models import IkiRealisasi, IkuRealisasi, Visum
from kinerja.extensions import db
from kinerja.planning.models import PerjanjianKinerja, Skp
from tests.api.test_contract import pk_body, rhk, skp_body, token, visum_body  # noqa: F401
from tests.execution.conftest import approved, people  # noqa: F401
from tests.execution.fixtures import iki_of
from tests.execution.realisasi_fixtures import planner  # noqa: F401
from tests.planning.pk_fixtures import signed_pk
from tests.planning.skp_fixtures import frozen, org  # noqa: F401


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def audit_count(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


@pytest.fixture
def pk(org, people):
    """A signed PK of DIT2 (DIT has the throw-away PK behind the Direktur's approved SKP)."""
    return signed_pk(None, org["units"]["DIT2"], people["direktur2"], people["deputi"])


@pytest.fixture
def create(people, approved, planner, pk, token):
    """Return, per create route, ``(who, path, body, other_body, created)``: ``created()`` counts what it made."""
    iki = iki_of(approved).id
    return {
        "pk": ("planner", "/api/v1/pk", pk_body(unit="SUBDIT"), pk_body(unit="SUBDIT", year=2027),
               lambda: count(PerjanjianKinerja)),
        "skp": ("pelaksana", "/api/v1/skp", skp_body(people["pelaksana"], rhk("CASCADING")),
                skp_body(people["pelaksana"], rhk("TIM_KERJA")), lambda: count(Skp)),
        "visum": ("analis", "/api/v1/visum", visum_body(iki), visum_body(iki, "Notulen"), lambda: count(Visum)),
        "pk-realisasi": ("planner", f"/api/v1/pk/{pk.id}/realisasi",
                         {"iku_code": "IKU-1", "period": "2026-01", "value": 5},
                         {"iku_code": "IKU-1", "period": "2026-01", "value": 6},
                         lambda: audit_count("realisasi.iku.create") + audit_count("realisasi.iku.update")),
        "skp-realisasi": ("analis", f"/api/v1/skp/{approved.id}/realisasi",
                          {"iki_id": iki, "period": "2026-01", "value": 2},
                          {"iki_id": iki, "period": "2026-01", "value": 3},
                          lambda: audit_count("realisasi.iki.create") + audit_count("realisasi.iki.update")),
    }


ROUTES = ["pk", "skp", "visum", "pk-realisasi", "skp-realisasi"]


def headers_for(token, people, planner, who: str, key: str | None) -> dict:
    headers = token(planner if who == "planner" else who)
    return {**headers, "Idempotency-Key": key} if key is not None else headers


@pytest.mark.parametrize("route", ROUTES)
def test_a_retry_with_the_same_key_replays_the_first_answer(client, people, planner, token, create, route):
    who, path, body, _, created = create[route]
    before = created()
    headers = headers_for(token, people, planner, who, "kunci-1")
    first = client.post(path, json=body, headers=headers)
    again = client.post(path, json=dict(reversed(body.items())), headers=headers)  # key order does not count
    assert first.status_code in (200, 201), first.json
    assert (again.status_code, again.get_data()) == (first.status_code, first.get_data())
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert created() == before + 1  # one object (or one audited write), not two


@pytest.mark.parametrize("route", ROUTES)
def test_the_same_key_with_another_body_is_422_and_creates_nothing(client, people, planner, token, create, route):
    who, path, body, other, created = create[route]
    headers = headers_for(token, people, planner, who, "kunci-2")
    assert client.post(path, json=body, headers=headers).status_code in (200, 201)
    before = created()
    response = client.post(path, json=other, headers=headers)
    assert response.status_code == 422 and "Idempotency-Key" in response.json["error"]
    assert created() == before


def test_without_the_header_nothing_changes(client, people, planner, token, create):
    who, path, body, _, created = create["visum"]
    headers = headers_for(token, people, planner, who, None)
    assert [client.post(path, json=body, headers=headers).status_code for _ in range(2)] == [201, 201]
    assert created() == 2 and count(IdempotencyKey) == 0


def test_the_same_key_on_another_route_is_422(client, people, planner, token, create):
    who, path, body, _, _ = create["visum"]
    headers = headers_for(token, people, planner, who, "kunci-3")
    assert client.post(path, json=body, headers=headers).status_code == 201
    _, skp_path, skp_realisasi, _, created = create["skp-realisasi"]
    response = client.post(skp_path, json=skp_realisasi, headers=headers)
    assert response.status_code == 422 and created() == 0


def test_a_key_is_per_user(client, people, planner, token, create):
    _, path, body, _, created = create["skp"]
    before = created()
    for who in ("pelaksana", "kasi"):
        response = client.post(path, json={**body, "nip": people[who].nip},
                               headers=headers_for(token, people, planner, who, "sama"))
        assert response.status_code == 201 and response.json["nip"] == people[who].nip
    assert created() == before + 2


def test_a_refused_create_keeps_nothing_and_the_key_stays_free(client, people, planner, token, create):
    who, path, body, _, created = create["visum"]
    headers = headers_for(token, people, planner, who, "kunci-4")
    refused = client.post(path, json={**body, "date": "2026-02-30"}, headers=headers)
    assert refused.status_code == 400 and count(IdempotencyKey) == 0
    locked = client.post(path, json={**body, "date": "2026-01-02"}, headers=headers)  # its week has closed
    assert locked.status_code == 423 and count(IdempotencyKey) == 0
    assert client.post(path, json=body, headers=headers).status_code == 201 and created() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "kunci\u00e9", "a\tb"])
def test_an_unreadable_key_is_400(client, people, planner, token, create, key):
    who, path, body, _, created = create["visum"]
    response = client.post(path, json=body, headers=headers_for(token, people, planner, who, key))
    assert response.status_code == 400 and response.json["details"] == {"header": "Idempotency-Key"}
    assert created() == 0


def test_a_realisation_replay_does_not_write_a_second_audited_correction(client, people, planner, token, pk):
    headers = headers_for(token, people, planner, "planner", "kunci-5")
    body = {"iku_code": "IKU-2", "period": "2026", "value": 40}
    answers = [client.post(f"/api/v1/pk/{pk.id}/realisasi", json=body, headers=headers) for _ in range(3)]
    assert [a.json["created"] for a in answers] == [True, True, True]  # the first answer, three times
    assert count(IkuRealisasi) == 1 and audit_count("realisasi.iku.update") == 0
    assert count(IkiRealisasi) == 0


# --- simultaneous retries against a real threaded server -------------------------------------------------

@pytest.mark.parametrize("route", ["visum", "skp"])
def test_ten_simultaneous_posts_with_one_key_create_one_object(live_api, people, planner, token, create, route):
    who, path, body, _, created = create[route]
    before = created()
    headers = headers_for(token, people, planner, who, f"serentak-{route}")
    db.session.commit()  # the server's threads see only what is committed
    start = Barrier(10)

    def post(_):
        start.wait()
        return live_api(path, body, headers)

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(post, range(10)))
    assert [status for status, _, _ in answers] == [201] * 10, answers
    assert all(answer == answers[0][2] for _, _, answer in answers)  # the winner's answer, replayed
    assert sum(1 for _, headers, _ in answers if headers.get("Idempotent-Replayed") == "true") == 9
    assert created() == before + 1
    assert count(IdempotencyKey) == 1
