"""Read helpers of organisation planning: the current PK of a unit, its versions, who may see it,
the IKU a lower PK may support, the diff between two versions and the cascade tree of a year.

Nothing here changes state (see ``kinerja.planning.pk``). The cascade tree loads the units, PKs
and IKU of a year in a handful of statements as plain rows and builds the tree in Python: the
whole agency is ~2,000 units and ~10,000 IKU.
"""

from dataclasses import dataclass, field

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kinerja.auth.models import User
from kinerja.extensions import db
from kinerja.org import relations
from kinerja.org.models import Employee, Unit
from kinerja.planning.models import (
    Iku,
    PerjanjianKinerja,
    SasaranStrategis,
)

VIEWER_ROLES = ("PENGELOLA_KINERJA", "KEPEGAWAIAN")  # ADMIN holds every role


def _with_contents():
    return (
        selectinload(PerjanjianKinerja.sasaran).selectinload(SasaranStrategis.iku).selectinload(Iku.trajectory),
        selectinload(PerjanjianKinerja.sasaran).selectinload(SasaranStrategis.iku).selectinload(Iku.actions),
        selectinload(PerjanjianKinerja.sasaran).selectinload(SasaranStrategis.iku).selectinload(Iku.parent),
        selectinload(PerjanjianKinerja.anggaran),
        selectinload(PerjanjianKinerja.penugasan),
    )


def current_pk(unit: Unit | None, year: int) -> PerjanjianKinerja | None:
    """Return the PK of a unit in force for a year: the signed version, else the newest draft.

    An amendment being drafted does not replace the signed version until it is signed itself.
    """
    if unit is None:
        return None
    stmt = (select(PerjanjianKinerja)
            .where(PerjanjianKinerja.unit_id == unit.id, PerjanjianKinerja.year == year,
                   PerjanjianKinerja.status != "SUPERSEDED")
            .options(*_with_contents()))
    versions = list(db.session.scalars(stmt))
    signed = [pk for pk in versions if pk.status == "SIGNED"]
    chosen = signed or versions
    return max(chosen, key=lambda pk: pk.version) if chosen else None


def latest_pk(unit: Unit, year: int) -> PerjanjianKinerja | None:
    """Return the newest version of a unit's PK for a year (an amendment draft included)."""
    stmt = (select(PerjanjianKinerja)
            .where(PerjanjianKinerja.unit_id == unit.id, PerjanjianKinerja.year == year)
            .order_by(PerjanjianKinerja.version.desc()).limit(1))
    return db.session.scalar(stmt)


def pk_versions(pk: PerjanjianKinerja) -> list[PerjanjianKinerja]:
    """Return every version of the PK's unit and year, oldest first."""
    stmt = (select(PerjanjianKinerja)
            .where(PerjanjianKinerja.unit_id == pk.unit_id, PerjanjianKinerja.year == pk.year)
            .options(selectinload(PerjanjianKinerja.amendment_approved_by))
            .order_by(PerjanjianKinerja.version))
    return list(db.session.scalars(stmt))


def load_pk(pk_id: int) -> PerjanjianKinerja | None:
    """Load a PK with everything its page shows."""
    stmt = select(PerjanjianKinerja).where(PerjanjianKinerja.id == pk_id).options(*_with_contents())
    return db.session.scalar(stmt)


def get_pk_or_404(pk_id: int, user) -> PerjanjianKinerja:
    """Load a PK; 404 when unknown, 403 when the user may not see it."""
    pk = load_pk(pk_id)
    if pk is None:
        abort(404, description="Perjanjian Kinerja tidak ditemukan.")
    if not can_view_unit_pk(user, pk.unit):
        abort(403)
    return pk


# --- who may see -------------------------------------------------------------------------------

def _own_paths(user: User) -> list[str]:
    employee = user.employee
    return [employee.unit.path, *(u.path for u in relations.headed_units(employee, definitive=False))]


def sees_everything(user: User | None) -> bool:
    """Tell whether a user sees the organisation planning of the whole agency (planners, HR, admin)."""
    return user is not None and user.has_role(*VIEWER_ROLES)


def can_view_unit_pk(user: User | None, unit: Unit) -> bool:
    """Tell whether a user may read a unit's PK: planners and HR; anyone placed (or acting) in the unit,
    in a unit above it (its leadership) or in a unit below it (who cascade from it)."""
    if user is None:
        return False
    if sees_everything(user):
        return True
    return any(unit.path.startswith(path) or path.startswith(unit.path) for path in _own_paths(user))


def can_view_subtree(user: User | None, unit: Unit) -> bool:
    """Tell whether a user may see the cascade tree below a unit: planners, HR, and the staff of the unit
    or of a unit above it (every unit of the subtree is then on their branch)."""
    if user is None:
        return False
    if sees_everything(user):
        return True
    return any(unit.path.startswith(path) for path in _own_paths(user))


def default_tree_unit(user: User) -> Unit | None:
    """Return where a user's cascade tree starts: the root for planners and HR, else his own unit."""
    if sees_everything(user):
        return db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id).limit(1))
    return user.employee.unit


def parent_iku_choices(pk: PerjanjianKinerja) -> list[Iku]:
    """Return the IKU a lower PK may support: those of the current PK of the unit above, same year."""
    parent_unit = pk.unit.parent
    above = current_pk(parent_unit, pk.year) if parent_unit is not None else None
    return above.iku if above is not None else []


def pks_of_units(units: list[Unit], year: int) -> dict[int, PerjanjianKinerja]:
    """Return the current PK of each given unit for a year, by unit id (one query)."""
    if not units:
        return {}
    stmt = select(PerjanjianKinerja).where(PerjanjianKinerja.unit_id.in_([u.id for u in units]),
                                           PerjanjianKinerja.year == year,
                                           PerjanjianKinerja.status != "SUPERSEDED")
    found: dict[int, PerjanjianKinerja] = {}
    for pk in db.session.scalars(stmt):
        held = found.get(pk.unit_id)
        if held is None or _rank(pk) > _rank(held):
            found[pk.unit_id] = pk
    return found


def _rank(pk) -> tuple[int, int]:
    return (1 if pk.status == "SIGNED" else 0, pk.version)


# --- diff between versions ---------------------------------------------------------------------

@dataclass
class PkDiff:
    """What changed from one version of a PK to another."""

    old: PerjanjianKinerja
    new: PerjanjianKinerja
    officials: list[tuple[str, str, str]] = field(default_factory=list)  # (role, old name, new name)
    iku_added: list[Iku] = field(default_factory=list)
    iku_removed: list[Iku] = field(default_factory=list)
    iku_changed: list[tuple[Iku, list[tuple[str, object, object]]]] = field(default_factory=list)
    sasaran_added: list[str] = field(default_factory=list)
    sasaran_removed: list[str] = field(default_factory=list)
    anggaran_added: list[tuple] = field(default_factory=list)
    anggaran_removed: list[tuple] = field(default_factory=list)
    penugasan_added: list[str] = field(default_factory=list)
    penugasan_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any((self.officials, self.iku_added, self.iku_removed, self.iku_changed, self.sasaran_added,
                        self.sasaran_removed, self.anggaran_added, self.anggaran_removed, self.penugasan_added,
                        self.penugasan_removed))


IKU_COMPARED = (("name", "Nama"), ("sasaran", "Sasaran strategis"), ("polarity", "Polaritas"),
                ("weight", "Bobot"), ("unit_of_measure", "Satuan"), ("target", "Target"),
                ("consolidation", "Konsolidasi"), ("aggregation", "Agregasi"), ("target_kind", "Jenis target"),
                ("trajectory", "Trajektori"))


def _iku_facts(iku: Iku) -> dict:
    return {"name": iku.name, "sasaran": iku.sasaran.name, "polarity": iku.polarity, "weight": iku.weight,
            "unit_of_measure": iku.unit_of_measure, "target": iku.target, "consolidation": iku.consolidation,
            "aggregation": iku.aggregation, "target_kind": iku.target_kind, "trajectory": iku.trajectory_dict()}


def _person(employee: Employee | None) -> str:
    return f"{employee.name} ({employee.nip})" if employee is not None else "—"


def diff_pk(old: PerjanjianKinerja, new: PerjanjianKinerja) -> PkDiff:
    """Compare two versions of a PK: IKU (matched by code) added, removed or changed, officials, SS,
    anggaran and penugasan lines added or removed."""
    diff = PkDiff(old=old, new=new)
    for label, before, after in (("Pihak pertama", old.head, new.head), ("Pihak kedua", old.superior, new.superior)):
        if (before.id if before else None) != (after.id if after else None):
            diff.officials.append((label, _person(before), _person(after)))
    old_iku = {i.code: i for i in old.iku}
    new_iku = {i.code: i for i in new.iku}
    diff.iku_added = [new_iku[c] for c in new_iku if c not in old_iku]
    diff.iku_removed = [old_iku[c] for c in old_iku if c not in new_iku]
    for code, iku in new_iku.items():
        if code in old_iku:
            before, after = _iku_facts(old_iku[code]), _iku_facts(iku)
            changes = [(label, before[key], after[key]) for key, label in IKU_COMPARED if before[key] != after[key]]
            if changes:
                diff.iku_changed.append((iku, changes))
    old_ss = [s.name for s in old.sasaran]
    new_ss = [s.name for s in new.sasaran]
    diff.sasaran_added = [s for s in new_ss if s not in old_ss]
    diff.sasaran_removed = [s for s in old_ss if s not in new_ss]

    def lines(pk):
        return [(a.program, a.kegiatan, a.amount, a.dipa_ref) for a in pk.anggaran]

    old_lines, new_lines = lines(old), lines(new)
    diff.anggaran_added = [line for line in new_lines if line not in old_lines]
    diff.anggaran_removed = [line for line in old_lines if line not in new_lines]
    old_tasks = [p.description for p in old.penugasan]
    new_tasks = [p.description for p in new.penugasan]
    diff.penugasan_added = [t for t in new_tasks if t not in old_tasks]
    diff.penugasan_removed = [t for t in old_tasks if t not in new_tasks]
    return diff


# --- cascade tree ------------------------------------------------------------------------------

@dataclass(slots=True)
class IkuLine:
    """An IKU in the cascade tree (plain values)."""

    id: int
    code: str
    name: str
    weight: float
    target: float
    unit_of_measure: str
    parent_code: str | None = None  # code of the supported IKU in the unit above
    unaligned: bool = False  # no (valid) parent although the unit above has a PK
    supporters: int = 0  # IKU of the PKs directly below that support it
    unsupported: bool = False  # the unit has sub-units with a PK, none of whose IKU supports this one


@dataclass(slots=True)
class CascadeNode:
    """A unit in the cascade tree with its current PK (if any) and its IKU."""

    unit_id: int
    code: str
    name: str
    depth: int
    pk_id: int | None = None
    pk_status: str | None = None
    pk_version: int | None = None
    head_name: str | None = None
    iku: list[IkuLine] = field(default_factory=list)
    children: list["CascadeNode"] = field(default_factory=list)
    unaligned: int = 0  # in this unit's PK
    unsupported: int = 0  # in this unit's PK
    problems_below: int = 0  # unaligned + unsupported IKU in the whole subtree (this unit included)
    missing_below: int = 0  # units without a PK in the subtree (this one included)


@dataclass
class CascadeTree:
    root: CascadeNode | None
    year: int
    units: int = 0
    with_pk: int = 0
    iku: int = 0
    unaligned: int = 0
    unsupported: int = 0


def cascade_tree(top: Unit, year: int) -> CascadeTree:
    """Build the cascade tree of a year from a unit down: each unit's current PK with its IKU, the IKU
    without a valid link to the PK above, and those nobody below supports.

    Three queries (a fourth only when links point to superseded versions), plain tuples, one pass
    per level of work: the whole agency is ~2,000 units and ~10,000 IKU.
    """
    unit_rows = db.session.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.parent_id, Unit.depth)
        .where(Unit.path.startswith(top.path)).order_by(Unit.code)
    ).all()
    unit_parent = {uid: parent for uid, _c, _n, parent, _d in unit_rows}
    unit_parent[top.id] = top.parent_id  # the top's own links are judged against the PK above it
    wanted = set(unit_parent)
    if top.parent_id is not None:
        wanted.add(top.parent_id)

    current: dict[int, tuple] = {}  # unit id -> (pk id, status, version, head name)
    for pk_id, unit_id, status, version, head_name in db.session.execute(
        select(PerjanjianKinerja.id, PerjanjianKinerja.unit_id, PerjanjianKinerja.status, PerjanjianKinerja.version,
               Employee.name)
        .outerjoin(Employee, Employee.id == PerjanjianKinerja.head_id)
        .where(PerjanjianKinerja.year == year, PerjanjianKinerja.status != "SUPERSEDED")
    ):
        if unit_id not in wanted:
            continue
        held = current.get(unit_id)
        if held is None or (status == "SIGNED", version) > (held[1] == "SIGNED", held[2]):
            current[unit_id] = (pk_id, status, version, head_name)
    pk_unit = {value[0]: unit_id for unit_id, value in current.items()}

    # every IKU of the year's live PKs (filtered to the current ones here: a draft amendment and
    # its signed version are both live), in SS then IKU order
    iku_rows = db.session.execute(
        select(Iku.id, Iku.pk_id, Iku.code, Iku.name, Iku.weight, Iku.target, Iku.unit_of_measure,
               Iku.parent_iku_id)
        .join(SasaranStrategis, SasaranStrategis.id == Iku.sasaran_id)
        .join(PerjanjianKinerja, PerjanjianKinerja.id == Iku.pk_id)
        .where(PerjanjianKinerja.year == year, PerjanjianKinerja.status != "SUPERSEDED")
        .order_by(Iku.pk_id, SasaranStrategis.position, Iku.position)
    ).all()

    lines_by_pk: dict[int, list[IkuLine]] = {}
    iku_where: dict[int, tuple[int, str]] = {}  # iku id -> (unit id, code)
    links: list[tuple[IkuLine, int | None, int]] = []
    for iku_id, pk_id, code, name, weight, target, uom, parent_id in iku_rows:
        unit_id = pk_unit.get(pk_id)
        if unit_id is None:
            continue
        line = IkuLine(iku_id, code, name, weight, target, uom)
        bucket = lines_by_pk.get(pk_id)
        if bucket is None:
            lines_by_pk[pk_id] = [line]
        else:
            bucket.append(line)
        iku_where[iku_id] = (unit_id, code)
        links.append((line, parent_id, unit_id))

    # links to IKU of superseded versions (or of drafts no longer current) follow the code to the
    # current version of the same unit: one query for those few ids
    stale = {parent for _l, parent, _u in links if parent is not None and parent not in iku_where}
    remap: dict[int, int | None] = {}
    if stale:
        by_unit_code = {where: iku_id for iku_id, where in iku_where.items()}
        for iku_id, code, unit_id in db.session.execute(
                select(Iku.id, Iku.code, PerjanjianKinerja.unit_id)
                .join(PerjanjianKinerja, PerjanjianKinerja.id == Iku.pk_id).where(Iku.id.in_(stale))):
            remap[iku_id] = by_unit_code.get((unit_id, code))

    supporters: dict[int, int] = {}
    for line, parent_id, unit_id in links:
        parent_unit = unit_parent.get(unit_id)
        if parent_id is not None:
            parent_id = remap.get(parent_id, parent_id)
            where = iku_where.get(parent_id)
            if where is not None and where[0] == parent_unit:
                line.parent_code = where[1]
                supporters[parent_id] = supporters.get(parent_id, 0) + 1
                continue
        if parent_unit in current:
            line.unaligned = True

    nodes: dict[int, CascadeNode] = {}
    for uid, code, name, _parent, depth in unit_rows:
        node = CascadeNode(uid, code, name, depth)
        pk = current.get(uid)
        if pk is not None:
            node.pk_id, node.pk_status, node.pk_version, node.head_name = pk
            node.iku = lines_by_pk.get(pk[0], [])
        nodes[uid] = node
    for uid, _c, _n, parent, _d in unit_rows:
        if uid != top.id and parent in nodes:
            nodes[parent].children.append(nodes[uid])

    tree = CascadeTree(root=nodes.get(top.id), year=year, units=len(unit_rows))
    if tree.root is None:
        return tree
    # deepest first: flags that need the children, and subtree counters
    for node in sorted(nodes.values(), key=lambda n: -n.depth):
        has_children_with_pk = any(child.pk_id is not None for child in node.children)
        for line in node.iku:
            count = supporters.get(line.id, 0)
            line.supporters = count
            if has_children_with_pk and not count:
                line.unsupported = True
                node.unsupported += 1
            if line.unaligned:
                node.unaligned += 1
        missing, problems = (node.pk_id is None), node.unaligned + node.unsupported
        for child in node.children:
            missing += child.missing_below
            problems += child.problems_below
        node.missing_below, node.problems_below = missing, problems
        tree.with_pk += node.pk_id is not None
        tree.iku += len(node.iku)
        tree.unaligned += node.unaligned
        tree.unsupported += node.unsupported
    return tree


def unit_path(unit: Unit) -> list[Unit]:
    """Return the units from the root down to this one."""
    ids = unit.ancestor_ids()
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    return [units[i] for i in ids if i in units]


def awaiting_signature(employee: Employee, year: int) -> list[PerjanjianKinerja]:
    """Return the draft PKs of a year that wait for this employee's signature, as either party."""
    stmt = (
        select(PerjanjianKinerja)
        .where(
            PerjanjianKinerja.year == year,
            PerjanjianKinerja.status == "DRAFT",
            ((PerjanjianKinerja.head_id == employee.id) & PerjanjianKinerja.signed_by_head_at.is_(None))
            | ((PerjanjianKinerja.superior_id == employee.id) & PerjanjianKinerja.signed_by_superior_at.is_(None)),
        )
        .options(selectinload(PerjanjianKinerja.unit), selectinload(PerjanjianKinerja.head))
        .order_by(PerjanjianKinerja.unit_id)
    )
    return list(db.session.scalars(stmt))
