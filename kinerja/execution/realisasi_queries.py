"""Read helpers of realisation: the realisation grid of a PK, the Monev RAPK data (trajectory against
realisation per month, capaian, IKU behind target, rencana aksi progress), dialogs of a unit's year,
and the realisation of an SKP's IKI. Nothing here changes a row (see ``kinerja.execution.realisasi``).

Realisation of an IKU is read by unit, year and IKU code, so the rows entered under an earlier
version of the PK show under the version in force.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from kinerja.execution.models import DialogOrganisasi, IkiRealisasi, IkuRealisasi
from kinerja.extensions import db
from kinerja.planning.models import Iki, Iku, PerjanjianKinerja, RencanaAksi, Skp
from kinerja.rules.capaian import (
    DEFAULT_CAP,
    MonthProgress,
    latest_measured,
    monthly_progress,
    months_of,
    nko,
    yearly_capaian,
    yearly_realisation,
)


def realisations_of(unit_id: int, year: int) -> dict[str, dict[str, IkuRealisasi]]:
    """Return a unit's IKU realisation rows of a year: ``{iku_code: {period: row}}`` (one query)."""
    rows = db.session.scalars(select(IkuRealisasi).where(IkuRealisasi.unit_id == unit_id, IkuRealisasi.year == year)
                              .order_by(IkuRealisasi.iku_code, IkuRealisasi.period))
    found: dict[str, dict[str, IkuRealisasi]] = {}
    for row in rows:
        found.setdefault(row.iku_code, {})[row.period] = row
    return found


def get_iku_realisasi(realisasi_id: int) -> IkuRealisasi | None:
    """Load one IKU realisation row."""
    return db.session.get(IkuRealisasi, realisasi_id)


@dataclass
class IkuMonev:
    """One IKU on the realisation and Monev pages."""

    iku: Iku
    periods: tuple[str, ...]  # the twelve months
    trajectory: dict[str, float]  # the IKU's own trajectory points
    rows: dict[str, IkuRealisasi]  # realisation rows by period (months and the year)
    progress: list[MonthProgress]
    latest: MonthProgress | None
    yearly_value: float | None
    yearly_capaian: float | None

    @property
    def behind(self) -> bool:
        """Tell whether the latest month with a realisation is behind the trajectory."""
        return self.latest is not None and self.latest.behind is True


@dataclass
class Monev:
    """What the Monev RAPK page shows for a PK."""

    pk: PerjanjianKinerja
    items: list[IkuMonev]
    actions: list[tuple[Iku, RencanaAksi]] = field(default_factory=list)
    dialogs: list[DialogOrganisasi] = field(default_factory=list)

    @property
    def behind(self) -> list[IkuMonev]:
        """Return the IKU behind target at their latest month with a realisation."""
        return [item for item in self.items if item.behind]

    @property
    def nko_to_date(self) -> float | None:
        """Return the NKO so far: yearly capaian by the yearly rule, an IKU without realisation counting 0."""
        if not any(item.yearly_capaian is not None for item in self.items):
            return None
        return nko((item.iku.weight, item.yearly_capaian or 0.0) for item in self.items)


def iku_monev(pk: PerjanjianKinerja, *, cap: float = DEFAULT_CAP) -> list[IkuMonev]:
    """Compare each IKU of a PK month by month with its trajectory, and compute its yearly capaian."""
    found = realisations_of(pk.unit_id, pk.year)
    items = []
    for iku in pk.iku:
        rows = found.get(iku.code, {})
        values = {period: row.value for period, row in rows.items()}
        trajectory = iku.trajectory_dict()
        progress = monthly_progress(pk.year, iku.aggregation, iku.polarity, trajectory, values, cap=cap)
        items.append(IkuMonev(
            iku=iku, periods=months_of(pk.year), trajectory=trajectory, rows=rows, progress=progress,
            latest=latest_measured(progress), yearly_value=yearly_realisation(values, pk.year),
            yearly_capaian=yearly_capaian(values, iku.target, iku.polarity, pk.year, cap=cap)))
    return items


def monev(pk: PerjanjianKinerja, *, cap: float = DEFAULT_CAP) -> Monev:
    """Gather the Monev RAPK data of a PK: IKU against trajectory, rencana aksi progress, the unit's dialogs."""
    actions = [(iku, action) for iku in pk.iku for action in iku.actions]
    return Monev(pk=pk, items=iku_monev(pk, cap=cap), actions=actions, dialogs=dialogs_of(pk.unit_id, pk.year))


def dialogs_of(unit_id: int, year: int) -> list[DialogOrganisasi]:
    """Return the Dialog Penilaian Kinerja Organisasi records of a unit's year, newest first."""
    return list(db.session.scalars(select(DialogOrganisasi).where(
        DialogOrganisasi.unit_id == unit_id, DialogOrganisasi.year == year)
        .order_by(DialogOrganisasi.held_on.desc(), DialogOrganisasi.id.desc())))


def rencana_aksi(action_id: int) -> RencanaAksi | None:
    """Load one rencana aksi."""
    return db.session.get(RencanaAksi, action_id)


# --- SKP -----------------------------------------------------------------------------------------

def skp_realisations(skp: Skp) -> dict[int, dict[str, IkiRealisasi]]:
    """Return the realisation rows of an SKP: ``{iki_id: {period: row}}`` (one query)."""
    rows = db.session.scalars(select(IkiRealisasi).where(IkiRealisasi.skp_id == skp.id)
                              .order_by(IkiRealisasi.iki_id, IkiRealisasi.period))
    found: dict[int, dict[str, IkiRealisasi]] = {}
    for row in rows:
        found.setdefault(row.iki_id, {})[row.period] = row
    return found


def skp_months(skp: Skp) -> tuple[str, ...]:
    """Return the months an SKP covers (its period start to end, within its year)."""
    start = skp.period_start.month if skp.period_start.year == skp.year else 1
    end = skp.period_end.month if skp.period_end.year == skp.year else 12
    return months_of(skp.year)[start - 1:end]


def skp_ikis(skp: Skp) -> list[Iki]:
    """Return the IKI of an SKP in page order."""
    return [iki for rhk in skp.rhk for iki in rhk.iki]
