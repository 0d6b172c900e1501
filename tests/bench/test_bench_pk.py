"""Planning benchmark (issue: Planning): the cascade tree of the whole agency (~2,150 units, a PK with
5 IKU for every unit, ~10,750 IKU) must render in < 300 ms. Figures go in the closing note."""

from datetime import datetime

import pytest
from sqlalchemy import func, insert, select

from kinerja import clock
from kinerja.extensions import db
from kinerja.org.models import Employee, Unit
from kinerja.planning.models import Iku, PerjanjianKinerja, SasaranStrategis

IKU_PER_PK = 5


def _build_pks(year: int) -> int:
    """Insert a signed PK with 2 SS and 5 IKU for every unit, each IKU supporting one of the PK above
    (every seventh left unaligned, so the flags have work to do)."""
    units = db.session.execute(select(Unit.id, Unit.parent_id).order_by(Unit.depth, Unit.id)).all()
    heads = dict(db.session.execute(select(Employee.unit_id, Employee.id).where(Employee.is_head.is_(True))).all())
    now = datetime(year, 1, 15)
    pks, sasaran, ikus = [], [], []
    first_iku: dict[int, int] = {}  # unit id -> id of its PK's first IKU
    for n, unit in enumerate(units, start=1):
        pks.append(dict(id=n, unit_id=unit.id, year=year, version=1, status="SIGNED", head_id=heads.get(unit.id),
                        superior_id=heads.get(unit.parent_id), created_at=now, signed_by_head_at=now,
                        signed_by_superior_at=now))
        for s in range(2):
            sasaran.append(dict(id=2 * n - 1 + s, pk_id=n, name=f"Sasaran {unit.id}.{s}", position=s))
        base = (n - 1) * IKU_PER_PK + 1
        first_iku[unit.id] = base
        for k in range(IKU_PER_PK):
            iku_id = base + k
            parent = None
            if unit.parent_id is not None and iku_id % 7:
                parent = first_iku[unit.parent_id] + k % IKU_PER_PK
            ikus.append(dict(id=iku_id, pk_id=n, sasaran_id=2 * n - 1 + (k >= 3), parent_iku_id=parent,
                             code=f"IKU-{unit.id}-{k}", name=f"Indikator {k} unit {unit.id}", polarity="MAX",
                             weight=20.0, unit_of_measure="persen", target=100.0, consolidation="MONTHLY",
                             aggregation="KUMULATIF", target_kind="OUTCOME", position=k))
    db.session.execute(insert(PerjanjianKinerja), pks)
    db.session.execute(insert(SasaranStrategis), sasaran)
    db.session.execute(insert(Iku), ikus)
    db.session.commit()
    return len(ikus)


@pytest.fixture
def planner_client(bench_ctx):
    from tests.factories import login_as, make_user

    year = clock.today().year
    if not db.session.scalar(select(func.count()).select_from(PerjanjianKinerja).where(
            PerjanjianKinerja.year == year)):
        _build_pks(year)
    user = make_user(db.session.get(Employee, 2), "PENGELOLA_KINERJA")
    client = bench_ctx.test_client()
    login_as(client, user)
    return client


def test_bench_cascade_tree_query(bench_ctx, planner_client, benchmark):
    from kinerja.planning.pk_queries import cascade_tree

    root = db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)))
    tree = benchmark(cascade_tree, root, clock.today().year)
    assert tree.units == bench_ctx.config["BENCH_COUNTS"]["units"]
    assert tree.with_pk == tree.units and tree.iku == tree.units * IKU_PER_PK
    assert tree.unaligned > 0


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "partial"])
def test_bench_cascade_tree_page(planner_client, benchmark, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    url = f"/planning/cascade?year={clock.today().year}"
    response = benchmark(planner_client.get, url, headers=headers)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<details") > 2000
