"""The Planning main flows in a real browser (issue: Planning, "Done when").

a) the planning officer sets up the PK of a Perwakilan aligned to the signed PK of Kepala BKKBN:
   SS, IKU, the monthly trajectory typed inline (running sum and gap checked as you type, an
   invalid trajectory refused with its message, the SVG chart), then the Kepala Perwakilan and
   Kepala BKKBN sign it;
b) an employee creates his SKP, cascades an RHK from his assessor's RHK, adds an IKI and submits;
   the assessor approves it inline in "Persetujuan SKP"; the employee sees it approved;
c) the assessor returns an SKP inline with a reason (an empty reason is refused).

The demo organisation (``kinerja.demo.build_demo``) is the cast. Its own planning rows, if it
seeds any, are for the current year; these flows plan for next year, so they start from empty
and never collide with seeded PKs or SKPs. What the flows build on (the PK above, the
assessor's SKP) is set up through the real services.
"""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from kinerja import clock, demo
from kinerja.extensions import db
from kinerja.org.models import Unit
from kinerja.planning import pk as pk_services
from kinerja.planning import skp as skp_services
from kinerja.planning.models import PerjanjianKinerja, Skp
from kinerja.rules.trajectory import expected_periods


@pytest.fixture
def year(app) -> int:
    """Build the demo organisation and return the year these flows plan (next year)."""
    demo.build_demo()
    plan_year = clock.today().year + 1
    assert db.session.scalar(select(PerjanjianKinerja.id).where(PerjanjianKinerja.year == plan_year)) is None
    assert db.session.scalar(select(Skp.id).where(Skp.year == plan_year)) is None
    return plan_year


# --- set-up through the services -----------------------------------------------------------------

def _unit(code: str) -> Unit:
    return db.session.scalar(select(Unit).where(Unit.code == code))


def _signed_pk(unit_code: str, year: int, code: str, name: str, head: str, superior: str | None = None,
               parent_iku=None):
    """Create a PK with one SS and one IKU (target 100 %, cumulative monthly path) and sign it."""
    pk = pk_services.create_pk(None, _unit(unit_code), year)
    ss = pk_services.add_sasaran(None, pk, f"Sasaran strategis {unit_code} {year}")
    iku = pk_services.add_iku(None, ss, code=code, name=name, polarity="MAX", weight=100,
                              unit_of_measure="persen", target=100, parent_iku=parent_iku)
    periods = expected_periods(year, "MONTHLY")
    pk_services.set_trajectory(None, iku, {p: round(100 * (i + 1) / len(periods), 2) if i < 11 else 100
                                           for i, p in enumerate(periods)})
    pk_services.sign_pk(demo.demo_employee(head), pk)
    if superior:
        pk_services.sign_pk(demo.demo_employee(superior), pk)
    db.session.commit()
    return pk, iku


def _assessor_rhk(year: int):
    """Give the Kepala Biro Umum dan Humas an approved SKP whose RHK comes from his unit's signed PK."""
    _, iku = _signed_pk("BIRUMAS", year, "IKU-BIRUMAS-1", "Indeks kepuasan layanan kehumasan", "karo_umum",
                        "sestama")
    karo = demo.demo_employee("karo_umum")
    leader = skp_services.create_skp(karo, karo, year)
    rhk = skp_services.add_rhk(karo, leader, text="Meningkatnya kepuasan publik atas layanan kehumasan BKKBN",
                               kind="UTAMA", source="PK", iku=iku)
    skp_services.add_iki(karo, rhk, text="Indeks kepuasan layanan kehumasan", aspek="KUALITAS", target=85,
                         unit_of_measure="indeks")
    skp_services.submit_skp(karo, leader)
    skp_services.approve_skp(demo.demo_employee("sestama"), leader)
    db.session.commit()
    return rhk


def _submitted_skp(key: str, year: int, parent_rhk) -> Skp:
    """Create, fill and submit an employee's SKP cascaded from his assessor's RHK."""
    employee = demo.demo_employee(key)
    item = skp_services.create_skp(employee, employee, year)
    rhk = skp_services.add_rhk(employee, item, text="Tersusunnya arsip dinamis kehumasan yang tertib",
                               kind="UTAMA", source="CASCADING", parent_rhk=parent_rhk)
    skp_services.add_iki(employee, rhk, text="Jumlah berkas arsip yang ditata", aspek="KUANTITAS", target=120,
                         unit_of_measure="berkas")
    skp_services.submit_skp(employee, item)
    db.session.commit()
    return item


# --- browser helpers -----------------------------------------------------------------------------

def _login(page: Page, key: str) -> None:
    page.goto("/login")
    page.fill("input[name=nip]", demo.DEMO_NIPS[key])
    page.fill("input[name=password]", demo.DEMO_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("form.logout")).to_contain_text(demo.demo_employee(key).name)


def _logout(page: Page) -> None:
    page.locator("form.logout").get_by_role("button", name="Keluar").click()
    expect(page.locator("input[name=nip]")).to_be_visible()


def _details(scope, summary: str):
    """Open the <details> (inside ``scope``) whose summary reads exactly ``summary`` and return it."""
    page = scope if isinstance(scope, Page) else scope.page
    details = scope.locator("details").filter(
        has=page.locator("summary", has_text=re.compile(f"^{re.escape(summary)}$")))
    details.locator("summary").click()
    return details


def _settled(page: Page) -> None:
    """Wait until HTMX has finished its requests and settled what it swapped in.

    HTMX binds the hx-* attributes of swapped-in content only when it settles (20 ms after the
    swap): a robot typing into it sooner would type into an input that sends nothing yet.
    """
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')")


def _mark(page: Page) -> None:
    """Leave a mark in the window: it survives HTMX swaps and vanishes on a page load."""
    page.evaluate("window.__noReload = true")


def _not_reloaded(page: Page) -> bool:
    return page.evaluate("window.__noReload === true")


def _show_skp_of_year(page: Page, year: int) -> None:
    page.get_by_role("link", name="SKP saya").first.click()
    page.get_by_label("Tahun").fill(str(year))
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Sasaran Kinerja Pegawai {year}")


# --- a) PK from Kepala BKKBN down to a Perwakilan --------------------------------------------------

def test_planner_sets_up_a_perwakilan_pk_that_both_parties_sign(page: Page, year):
    _, bkkbn_iku = _signed_pk("BKKBN", year, "IKU-BKKBN-1", "Angka kelahiran total (TFR)", "kepala")
    kaper, kepala = demo.demo_employee("kaper_sulsel"), demo.demo_employee("kepala")

    _login(page, "perencana")
    page.goto("/planning/pk")  # no menu entry leads to the PK list (see the report)
    create = page.locator("#pk-create")
    create.get_by_label("Kode unit kerja").fill("PERWAKILAN-SULSEL")
    create.get_by_label("Tahun").fill(str(year))
    create.get_by_role("button", name="Buat draf PK").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Perjanjian Kinerja {year} · Perwakilan BKKBN Provinsi Sulawesi Selatan")
    header = page.locator("#pk-header")
    expect(header).to_contain_text("Draf")
    expect(header).to_contain_text(kaper.name)  # pihak pertama: the Kepala Perwakilan
    expect(header).to_contain_text(kepala.name)  # pihak kedua: Kepala BKKBN, the head above
    expect(header).to_contain_text("PK unit di atas: Badan Kependudukan dan Keluarga Berencana Nasional")
    _mark(page)

    # a Sasaran Strategis, added in place
    sasaran = page.locator("#pk-sasaran")
    add_ss = _details(sasaran, "Tambah sasaran strategis")
    add_ss.get_by_label("Sasaran strategis").fill("Menurunnya angka kelahiran total di Sulawesi Selatan")
    add_ss.get_by_role("button", name="Tambah sasaran").click()
    expect(sasaran.get_by_role("heading", name="SS 1. Menurunnya angka kelahiran total di Sulawesi Selatan")) \
        .to_be_visible()
    _settled(page)

    # an IKU aligned to the IKU of Kepala BKKBN, its periods added up (JUMLAH)
    add_iku = _details(page.locator("#pk-sasaran"), "Tambah IKU")
    add_iku.get_by_label("Kode IKU").fill("IKU-SULSEL-1")
    add_iku.get_by_label("Indikator kinerja utama").fill("Jumlah peserta KB baru di Sulawesi Selatan")
    add_iku.get_by_label("Bobot (%)").fill("100")
    add_iku.get_by_label("Target tahunan").fill("120")
    add_iku.get_by_label("Satuan").fill("ribu peserta")
    add_iku.get_by_label("Konsolidasi (periode target)").select_option(label="Bulanan")
    add_iku.get_by_label("Cara agregasi").select_option(label="Jumlah")
    add_iku.get_by_label("IKU atasan yang didukung").select_option(value=str(bkkbn_iku.id))
    add_iku.get_by_role("button", name="Tambah IKU").click()

    iku = page.locator("article.pk-iku").filter(has_text="IKU-SULSEL-1")
    expect(iku).to_contain_text("Mendukung IKU atasan IKU-BKKBN-1")
    expect(iku).to_contain_text("Target 120 ribu peserta")
    _settled(page)

    # the trajectory: twelve inputs; the running sum and its gap follow the typing
    traj = iku.locator(".pk-traj")
    summary = traj.locator(".traj-summary")
    expect(summary).to_contain_text("Belum ada target periodik; target tahunan 120.")
    for month in range(1, 7):
        traj.get_by_label(f"{month:02d}", exact=True).fill("10")
    expect(summary).to_contain_text("Jumlah: 60 dari target 120 (kurang 60)")
    expect(summary).to_contain_text("6 dari 12 periode terisi")
    expect(summary).to_contain_text("Belum disimpan")
    for month in range(7, 12):
        traj.get_by_label(f"{month:02d}", exact=True).fill("10")
    traj.get_by_label("12", exact=True).fill("5")
    expect(summary).to_contain_text("Jumlah: 115 dari target 120 (kurang 5)")
    expect(summary).to_contain_text("Belum mencapai target")
    _settled(page)

    # saving a trajectory short of the target is refused with its message, nothing saved
    traj.get_by_role("button", name="Simpan trajektori").click()
    error = iku.locator(".traj-summary [role=alert]")
    expect(error).to_contain_text("Jumlah target periodik (115) tidak sama dengan target tahunan 120.")
    expect(page.locator("#pk-header")).to_contain_text("Belum dapat ditandatangani")
    _settled(page)

    # too much is reported as such while typing; the right value matches the target
    iku.locator(".pk-traj").get_by_label("12", exact=True).fill("25")
    expect(iku.locator(".traj-summary")).to_contain_text("Jumlah: 135 dari target 120 (lebih 15)")
    iku.locator(".pk-traj").get_by_label("12", exact=True).fill("10")
    expect(iku.locator(".traj-summary")).to_contain_text("Jumlah: 120 dari target 120 (sesuai)")
    expect(iku.locator(".traj-summary")).to_contain_text("Mencapai target")
    _settled(page)
    iku.locator(".pk-traj").get_by_role("button", name="Simpan trajektori").click()
    expect(page.locator("#flash")).to_contain_text("Trajektori IKU-SULSEL-1 disimpan.")
    expect(iku.locator(".traj-summary")).not_to_contain_text("Belum disimpan")
    chart = iku.get_by_role("img", name="Trajektori IKU-SULSEL-1")
    expect(chart).to_be_visible()
    expect(chart.locator("polyline, path").first).to_be_attached()
    expect(page.locator("#pk-header")).to_contain_text("Lengkap: siap ditandatangani.")
    assert _not_reloaded(page), "the PK was edited with full page loads instead of HTMX swaps"
    # the planner is neither party: no signing button for him
    expect(page.get_by_role("button", name=re.compile("^Tandatangani"))).to_have_count(0)
    _logout(page)

    # the Kepala Perwakilan signs as pihak pertama (his PK is on the list of his branch)
    _login(page, "kaper_sulsel")
    page.goto("/planning/pk")
    filters = page.get_by_role("form", name="Pilih tahun dan unit")
    filters.get_by_label("Tahun").fill(str(year))
    filters.get_by_role("button", name="Tampilkan").click()
    expect(page).to_have_url(re.compile(f"year={year}"))
    page.locator("#pk-list tr").filter(has_text="PERWAKILAN-SULSEL").get_by_role("link", name="Versi 1").click()
    page.get_by_role("button", name="Tandatangani sebagai pihak pertama").click()
    expect(page.locator("#flash")).to_contain_text("Tanda tangan Anda tercatat; menunggu pihak lain.")
    expect(page.locator("#pk-header")).to_contain_text("Draf")
    expect(page.get_by_role("button", name=re.compile("^Tandatangani"))).to_have_count(0)
    _logout(page)

    # Kepala BKKBN finds it in the cascade tree and signs as pihak kedua
    _login(page, "kepala")
    page.goto("/planning/pk")
    page.get_by_role("link", name=re.compile("^Pohon cascading")).click()
    page.get_by_label("Tahun").fill(str(year))
    page.get_by_role("button", name="Tampilkan").click()
    node = page.locator("#cascade-tree summary").filter(has_text="PERWAKILAN-SULSEL")
    expect(node).to_contain_text("Draf")
    node.get_by_role("link", name="PK v1").click()
    page.get_by_role("button", name="Tandatangani sebagai pihak kedua").click()
    expect(page.locator("#flash")).to_contain_text("Perjanjian Kinerja ditandatangani kedua pihak dan berlaku.")
    header = page.locator("#pk-header")
    expect(header.locator(".badge").first).to_have_text("Ditandatangani")
    expect(header.locator(".badge-ok").filter(has_text="Ditandatangani")).to_have_count(3)  # status + both sides
    # a signed PK is read-only: no add forms, the trajectory is shown, not edited
    expect(page.locator("#pk-sasaran form")).to_have_count(0)
    expect(page.locator("#pk-sasaran")).to_contain_text("Mendukung IKU atasan IKU-BKKBN-1")


# --- b) an SKP cascaded from the assessor, submitted and approved inline -------------------------------

def test_employee_cascades_his_skp_and_the_assessor_approves_it_inline(page: Page, year):
    leader_rhk = _assessor_rhk(year)
    karo = demo.demo_employee("karo_umum")

    _login(page, "pranata_humas")
    _show_skp_of_year(page, year)
    expect(page.locator("#skp-empty")).to_contain_text(f"Anda belum memiliki SKP tahun {year}.")
    page.get_by_role("button", name=f"Buat SKP {year}").click()
    expect(page.locator("#flash")).to_contain_text(f"SKP {year} dibuat.")
    header = page.locator("#skp-header")
    expect(header).to_contain_text(karo.name)  # his Pejabat Penilai
    expect(page.locator("#skp-status")).to_contain_text("Draf")
    _mark(page)

    # the cascading helper offers the assessor's RHK; picking it fills the add form
    helper = page.locator("#skp-helper")
    offered = helper.get_by_role("listitem").filter(has_text=leader_rhk.text)
    offered.get_by_role("link", name="Turunkan").click()
    form = page.locator("#rhk-form")
    expect(form.get_by_label("Sumber RHK")).to_have_value("CASCADING")
    expect(form.get_by_label("RHK Pejabat Penilai yang diintervensi")).to_have_value(str(leader_rhk.id))
    expect(form.get_by_label("Rencana hasil kerja")).to_have_value(leader_rhk.text)
    _settled(page)
    form.get_by_label("Rencana hasil kerja").fill("Terpublikasinya 120 konten edukasi KB di kanal media BKKBN")
    form.get_by_role("button", name="Tambah RHK").click()
    expect(page.locator("#flash")).to_contain_text("RHK ditambahkan.")

    rhk = page.locator("#rhk-table-utama tbody.rhk-item").filter(has_text="Terpublikasinya 120 konten edukasi KB")
    expect(rhk.locator("tr.rhk-row")).to_contain_text(leader_rhk.text)  # the RHK above it supports
    expect(rhk).to_contain_text("Turunan pekerjaan (cascading) dari Pejabat Penilai")
    expect(rhk).to_contain_text("Belum ada IKI.")
    _settled(page)

    # an IKI, inline in the RHK's block
    add_iki = _details(rhk, "Tambah IKI")
    add_iki.get_by_label("Aspek").select_option(label="Kuantitas")
    add_iki.get_by_label("Indikator kinerja individu").fill("Jumlah konten edukasi KB yang terbit")
    add_iki.get_by_label("Target").fill("120")
    add_iki.get_by_label("Satuan").fill("konten")
    add_iki.get_by_role("button", name="Tambah IKI").click()
    expect(rhk.locator("tr.iki-row")).to_contain_text("Jumlah konten edukasi KB yang terbit")
    expect(rhk.locator("tr.iki-row")).to_contain_text("120 konten")
    expect(rhk).not_to_contain_text("Belum ada IKI.")
    _settled(page)
    assert _not_reloaded(page), "the SKP was edited with full page loads instead of HTMX swaps"

    page.once("dialog", lambda dialog: dialog.accept())  # "Ajukan SKP ini kepada Pejabat Penilai?"
    page.get_by_role("button", name="Ajukan kepada Pejabat Penilai").click()
    expect(page.locator("#flash")).to_contain_text("SKP diajukan kepada Pejabat Penilai.")
    expect(page.locator("#skp-status")).to_contain_text("Diajukan")
    expect(page.get_by_role("button", name="Ajukan kepada Pejabat Penilai")).to_have_count(0)
    skp_id = int(re.search(r"/planning/skp/(\d+)", page.url).group(1))
    _logout(page)

    # the assessor approves it from his queue, in place
    _login(page, "karo_umum")
    page.locator("nav").get_by_role("link", name="Persetujuan SKP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Persetujuan SKP")
    counter = page.locator("#queue-count")
    pending = int(counter.inner_text())
    assert pending >= 1
    row = page.locator(f"#queue-skp-{skp_id}")
    expect(row).to_contain_text(demo.demo_employee("pranata_humas").name)
    expect(row.locator("td").nth(2)).to_have_text(str(year))
    expect(row.locator("td").nth(3)).to_have_text("1")  # RHK
    expect(row.locator("td").nth(4)).to_have_text("1")  # IKI
    _mark(page)
    row.get_by_role("button", name="Setujui").click()
    expect(row.locator(".badge-ok")).to_have_text("Disetujui")
    expect(row.get_by_role("button", name="Setujui")).to_have_count(0)
    expect(counter).to_have_text(str(pending - 1))
    assert _not_reloaded(page), "approving reloaded the queue page"
    _logout(page)

    # the employee sees his SKP approved
    _login(page, "pranata_humas")
    _show_skp_of_year(page, year)
    expect(page.locator("#skp-status")).to_contain_text("Disetujui")
    expect(page.locator("#skp-status")).to_contain_text(f"oleh {karo.name}")
    expect(page.locator("#rhk-form")).to_have_count(0)  # no longer editable in place


# --- c) returning an SKP needs a reason -------------------------------------------------------------

def test_assessor_returns_an_skp_inline_and_a_reason_is_required(page: Page, year):
    leader_rhk = _assessor_rhk(year)
    item = _submitted_skp("birumas_jf_iva", year, leader_rhk)
    employee = demo.demo_employee("birumas_jf_iva")

    _login(page, "karo_umum")
    page.locator("nav").get_by_role("link", name="Persetujuan SKP").click()
    counter = page.locator("#queue-count")
    pending = int(counter.inner_text())
    row = page.locator(f"#queue-skp-{item.id}")
    expect(row).to_contain_text(employee.name)
    _mark(page)

    row.get_by_role("link", name="Kembalikan…").click()
    reason = row.get_by_label("Alasan pengembalian")
    expect(reason).to_be_visible()
    _settled(page)

    # an empty reason: the browser will not even send the form
    row.get_by_role("button", name="Kembalikan").click()
    assert reason.evaluate("el => el.validity.valueMissing")
    expect(row.locator(".badge")).to_have_count(0)

    # blanks pass the browser but not the server: the row shows the error, the SKP stays submitted
    reason.fill("   ")
    row.get_by_role("button", name="Kembalikan").click()
    expect(row.locator(".field-error")).to_have_text("Alasan pengembalian wajib diisi.")
    expect(counter).to_have_text(str(pending))
    _settled(page)

    # cancel closes the form; the row is as before
    row.get_by_role("link", name="Batal").click()
    expect(row.get_by_role("button", name="Setujui")).to_be_visible()
    _settled(page)

    row.get_by_role("link", name="Kembalikan…").click()
    expect(row.get_by_label("Alasan pengembalian")).to_be_visible()
    _settled(page)
    row.get_by_label("Alasan pengembalian").fill("IKI belum menyebut standar kualitas arsip; tambahkan aspek kualitas.")
    row.get_by_role("button", name="Kembalikan").click()
    expect(row.locator(".badge-err")).to_have_text("Dikembalikan")
    expect(counter).to_have_text(str(pending - 1))
    assert _not_reloaded(page), "returning reloaded the queue page"
    _logout(page)

    _login(page, "birumas_jf_iva")
    _show_skp_of_year(page, year)
    expect(page.locator("#skp-status")).to_contain_text("Dikembalikan")
    expect(page.locator("#skp-return-reason")).to_contain_text("IKI belum menyebut standar kualitas arsip")
    # a returned SKP can be changed and submitted again
    expect(page.get_by_role("button", name="Ajukan kepada Pejabat Penilai")).to_be_visible()
