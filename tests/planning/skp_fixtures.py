"""A small organisation for the SKP service, mid-year and API tests (time frozen in January 2026).

Pusat: BKKBN (Kepala) > DEPUTI (JPT Madya) > DIT (JPT Pratama) > SUBDIT (Administrator) > SEKSI
(Pengawas), and DIT2 (another JPT Pratama) for transfers. A JF and a Pelaksana work in DIT; the
table gives both the Direktur as Pejabat Penilai. ``hr`` holds KEPEGAWAIAN.
"""

from datetime import UTC, date, datetime

import pytest
import time_machine

from kinerja.extensions import db
from kinerja.org.assessors import refresh_assessor_links
from kinerja.planning import skp as services

YEAR = 2026
START = date(2026, 1, 1)
NOW = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)  # 10:00 WIB, before the 6 February sync


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def org(app, frozen, make_unit, make_employee):
    """Units and people keyed by short names; ``hr`` has an account with the KEPEGAWAIAN role."""
    units = {}
    units["BKKBN"] = make_unit("BKKBN", "BADAN")
    units["DEPUTI"] = make_unit("DEPUTI", "ESELON_I", units["BKKBN"])
    units["DIT"] = make_unit("DIT", "ESELON_II", units["DEPUTI"])
    units["SUBDIT"] = make_unit("SUBDIT", "ESELON_III", units["DIT"])
    units["SEKSI"] = make_unit("SEKSI", "ESELON_IV", units["SUBDIT"])
    units["DIT2"] = make_unit("DIT2", "ESELON_II", units["DEPUTI"])
    people = {}

    def add(key, unit, jenjang, **kwargs):
        kwargs.setdefault("effective", START)
        people[key] = make_employee(units[unit], jenjang, name=key.title(), **kwargs)

    add("kepala", "BKKBN", "KEPALA", is_head=True, golongan="IV/e")
    add("deputi", "DEPUTI", "JPT_MADYA", is_head=True, golongan="IV/e")
    add("direktur", "DIT", "JPT_PRATAMA", is_head=True, golongan="IV/d")
    add("kasubdit", "SUBDIT", "ADMINISTRATOR", is_head=True, golongan="IV/b")
    add("kasi", "SEKSI", "PENGAWAS", is_head=True, golongan="III/d")
    add("direktur2", "DIT2", "JPT_PRATAMA", is_head=True, golongan="IV/d")
    add("analis", "DIT", "JF", jf_name="Analis Kebijakan", golongan="III/c")
    add("pelaksana", "DIT", "PELAKSANA", golongan="III/b")
    add("staf2", "DIT2", "PELAKSANA", golongan="III/b")
    add("hr", "DEPUTI", "PELAKSANA", golongan="III/a")
    add("penyuluh", "DIT", "PPPK_PENYULUH_KB", status="PPPK", jf_name="Penyuluh KB", golongan="IX")
    refresh_assessor_links()
    from kinerja.auth import services as auth_services

    auth_services.grant_role(None, people["hr"], "KEPEGAWAIAN")  # an account without a password is enough
    db.session.commit()
    return {"units": units, "people": people}


def full_skp(owner, *, actor=None, source="CASCADING", parent=None, rhk_count=1, iki_per_rhk=1, **kwargs):
    """Create an SKP with RHK and IKI ready to submit (actor defaults to the owner)."""
    actor = actor or owner
    skp = services.create_skp(actor, owner, YEAR, **kwargs)
    for r in range(rhk_count):
        rhk = services.add_rhk(actor, skp, text=f"RHK {r + 1}", kind="UTAMA", source=source, parent_rhk=parent)
        for i in range(iki_per_rhk):
            services.add_iki(actor, rhk, text=f"IKI {r + 1}.{i + 1}", aspek="KUANTITAS", target=12,
                             unit_of_measure="dokumen")
    db.session.commit()
    return skp


def leader_skp(leader, *, approve_by=None):
    """Create (and approve, when ``approve_by`` is given) a JPT Pratama's SKP with a PK-free RENCANA_AKSI-less
    RHK via the system actor: returns the SKP and its first RHK."""
    skp = services.create_skp(None, leader, YEAR)
    rhk = _system_rhk(skp, "Meningkatnya kualitas kebijakan")
    services.add_iki(None, rhk, text="Indeks kualitas kebijakan", aspek="KUALITAS", target=80,
                     unit_of_measure="indeks")
    if approve_by is not None:
        services.submit_skp(leader, skp)
        services.approve_skp(approve_by, skp)
    db.session.commit()
    return skp, rhk


def _system_rhk(skp, text):
    """Add an RHK sourced from a Rencana Aksi of a throw-away PK of the SKP's unit."""
    from kinerja.planning.models import Iku, PerjanjianKinerja, RencanaAksi, SasaranStrategis

    pk = PerjanjianKinerja(unit_id=skp.unit_id, year=skp.year, created_at=datetime(2026, 1, 2))
    ss = SasaranStrategis(name="SS 1")
    pk.sasaran.append(ss)
    iku = Iku(pk=pk, code=f"IKU-{skp.id}", name="IKU 1", weight=100, unit_of_measure="indeks", target=80)
    ss.iku.append(iku)
    action = RencanaAksi(description="Rencana aksi 1")
    iku.actions.append(action)
    db.session.add(pk)
    db.session.flush()
    return services.add_rhk(None, skp, text=text, kind="UTAMA", source="RENCANA_AKSI", rencana_aksi=action)
