"""The execution flows in a real browser (issue: Execution, "Done when").

1. an employee with an approved SKP files his week on /execution/visum (add, edit inline, copy
   yesterday, a link and a camera photo) without a page load, the missing days shrinking and the
   close shown in his unit's zone; his assessor approves inline from the inbox; he sees it;
2. the week closes at Sunday 23:59 local in WIT, then WITA, then WIB: the page offers the form
   before and shows the week closed after, and a stale form posted after the close is refused
   with its message and stores nothing;
3. the February gate: after 6 February an employee without an approved SKP sees why he cannot
   file (visum page and home page) and a forced POST is refused;
4. a Penyuluh KB on a phone: E-Visum words, no horizontal scroll, 44 px touch targets, a camera
   input; he files by tapping;
5. the demo: a demo employee files a visum today, his demo assessor approves it from the inbox.

Each test checks the database after the UI action as well as what the page shows.
"""

import io
import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from kinerja import demo
from kinerja.execution.models import Evidence, Visum
from kinerja.extensions import db
from kinerja.org.services import refresh_unit_tree
from tests.execution.conftest import approved, people, zoned  # noqa: F401
from tests.execution.fixtures import AFTER_SYNC, file
from tests.factories import PASSWORD, make_user
from tests.planning.skp_fixtures import frozen, org  # noqa: F401
from tests.test_demo_planning import _cheap_password_hash  # noqa: F401  (autouse: cheap demo/test hashes)

# The org fixture's clock: Thursday 15 January 2026 10:00 WIB (11:00 WITA, 12:00 WIT).
MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = (date(2026, 1, 12 + i) for i in range(5))
# Sunday 18 January 2026 23:59:00 local, as UTC instants.
WIT_CLOSE = datetime(2026, 1, 18, 14, 59, tzinfo=UTC)
WITA_CLOSE = datetime(2026, 1, 18, 15, 59, tzinfo=UTC)
WIB_CLOSE = datetime(2026, 1, 18, 16, 59, tzinfo=UTC)
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3,
         "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                       "Chrome/124.0 Mobile Safari/537.36"}
TOUCH = 44  # px, the smallest touch target


# --- helpers ---------------------------------------------------------------------------------------

@pytest.fixture
def open_page(browser: Browser, base_url):
    """Open a page in a new browser context (another person, another device); closed afterwards."""
    contexts = []

    def opener(**options) -> Page:
        context = browser.new_context(base_url=base_url, **options)
        contexts.append(context)
        new = context.new_page()
        new.set_default_timeout(10_000)
        return new

    yield opener
    for context in contexts:
        context.close()


def _login(page: Page, nip: str, password: str = PASSWORD, name: str | None = None) -> None:
    page.goto("/login")
    page.fill("input[name=nip]", nip)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("form.logout")).to_be_visible()
    page.wait_for_load_state("load")
    if name:
        expect(page.locator("form.logout")).to_contain_text(name)


def _nav(page: Page, link: str) -> None:
    """Follow a link of the menu and wait for the page's load (HTMX binds its forms before it)."""
    with page.expect_navigation(wait_until="load"):
        page.locator("nav").get_by_role("link", name=link).click()


def _settled(page: Page) -> None:
    """Wait until HTMX has finished its requests and settled what it swapped in."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')")


def _mark(page: Page) -> None:
    page.evaluate("window.__noReload = true")  # survives HTMX swaps, vanishes on a page load


def _not_reloaded(page: Page) -> bool:
    return page.evaluate("window.__noReload === true")


def _day(page: Page, day: date):
    return page.locator(f"#day-{day.isoformat()}")


def _visum(employee, day: date | None = None) -> list[Visum]:
    db.session.expire_all()
    stmt = select(Visum).where(Visum.employee_id == employee.id)
    if day is not None:
        stmt = stmt.where(Visum.day == day)
    return list(db.session.scalars(stmt.order_by(Visum.day, Visum.id)))


def _jpeg(size=(2400, 1800)) -> bytes:
    """A phone-sized photo (larger than the stored limit of 1600 px), small in bytes."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 140, 90)).save(buffer, "JPEG", quality=60)
    return buffer.getvalue()


def _add(page: Page, day: date, activity: str, *, iki: str | int | None = None, quantity: str = "", unit: str = "",
         open_form: bool = True) -> None:
    """File a visum on a day through its HTMX add form (``iki``: an option's label or index) and wait for the
    day to come back with it."""
    section = _day(page, day)
    add = section.locator("details.visum-add")
    if open_form and add.get_attribute("open") is None:
        add.locator("summary").click()
    form = add.locator("form")
    if isinstance(iki, int):
        form.get_by_label("IKI yang didukung").select_option(index=iki)
    elif iki is not None:
        form.get_by_label("IKI yang didukung").select_option(label=iki)
    form.locator("textarea[name=activity]").fill(activity)
    if quantity:
        form.locator("input[name=output_quantity]").fill(quantity)
    if unit:
        form.locator("input[name=output_unit]").fill(unit)
    form.get_by_role("button", name="Simpan visum").click()
    expect(section.locator(".visum-row").filter(has_text=activity)).to_have_count(1)
    _settled(page)


# --- 1. a week of visum, approved inline -------------------------------------------------------------

@pytest.fixture
def wita_team(org, approved):  # noqa: F811
    """Put the Direktorat (the analis, his approved SKP, the Direktur his assessor) in WITA."""
    org["units"]["DIT"].timezone = "Asia/Makassar"
    refresh_unit_tree()
    db.session.commit()
    return org["people"]


def test_employee_files_his_week_and_the_assessor_approves_it_inline(page: Page, open_page, wita_team):
    analis, direktur = wita_team["analis"], wita_team["direktur"]
    make_user(analis)
    make_user(direktur)
    iki = "RHK 1 — IKI 1.1 (dokumen)"

    _login(page, analis.nip, name=analis.name)
    _nav(page, "Visum saya")
    expect(page.get_by_role("heading", level=1)).to_have_text("Visum harian (SIVIKA)")
    summary = page.locator("#visum-summary")
    # the close in his unit's zone (WITA), not the server's: Thursday 11:00 WITA -> Sunday 23:59 WITA
    expect(summary.locator(".visum-close")).to_have_text(
        re.compile(r"Ditutup\s+Minggu, 18 Januari 2026 pukul 23\.59 WITA\s+\(sisa 3 hari 12 jam\)"))
    missing = summary.locator(".visum-banner-missing")
    expect(missing).to_contain_text("4 hari kerja belum diisi: Senin 12, Selasa 13, Rabu 14, Kamis 15.")
    expect(_day(page, FRIDAY)).to_contain_text("Belum waktunya.")  # the future offers no form
    expect(_day(page, FRIDAY).locator("details.visum-add")).to_have_count(0)
    _mark(page)

    # Monday and Tuesday through the day forms
    _add(page, MONDAY, "Menyusun draf kajian kebijakan KB", iki=iki, quantity="2", unit="dokumen")
    expect(missing).to_contain_text("3 hari kerja belum diisi: Selasa 13, Rabu 14, Kamis 15.")
    expect(_day(page, MONDAY).locator(".badge-err")).to_have_count(0)  # no longer "Belum diisi"
    _add(page, TUESDAY, "Rapat koordinasi dengan Direktorat Bina Lini Lapangan", iki=iki, quantity="1",
         unit="notula")
    expect(missing).to_contain_text("2 hari kerja belum diisi: Rabu 14, Kamis 15.")

    # edit Monday's visum inline
    monday_row = _day(page, MONDAY).locator(".visum-row")
    monday_row.get_by_role("link", name="Ubah").click()
    edit = _day(page, MONDAY).locator("form").filter(has=page.get_by_role("button", name="Simpan perubahan"))
    expect(edit.locator("textarea[name=activity]")).to_have_value("Menyusun draf kajian kebijakan KB")
    _settled(page)
    edit.locator("textarea[name=activity]").fill("Menyusun draf kajian kebijakan KB remaja")
    edit.locator("input[name=output_quantity]").fill("3")
    edit.get_by_role("button", name="Simpan perubahan").click()
    expect(monday_row).to_contain_text("Menyusun draf kajian kebijakan KB remaja")
    expect(monday_row).to_contain_text("Output: 3 dokumen")
    expect(_day(page, MONDAY).get_by_role("button", name="Simpan perubahan")).to_have_count(0)
    _settled(page)

    # Wednesday: copy yesterday (Tuesday)
    _day(page, WEDNESDAY).get_by_role("button", name="Salin visum hari sebelumnya").click()
    expect(_day(page, WEDNESDAY).locator(".visum-row")).to_contain_text(
        "Rapat koordinasi dengan Direktorat Bina Lini Lapangan")
    expect(missing).to_contain_text("1 hari kerja belum diisi: Kamis 15.")
    _settled(page)

    # evidence on Tuesday's visum: a link, then a photo from the camera input (sent on pick)
    tuesday_visum = _visum(analis, TUESDAY)[0]
    tuesday_row = page.locator(f"#visum-{tuesday_visum.id}")
    tuesday_row.locator("details.visum-evidence-add > summary").click()
    tuesday_row.get_by_label("atau tautan (http/https)").fill("https://drive.bkkbn.go.id/notula-rakor.pdf")
    tuesday_row.get_by_role("button", name="Simpan bukti").click()
    expect(tuesday_row.locator(".visum-evidence li")).to_have_count(1)
    expect(tuesday_row.locator(".visum-evidence")).to_contain_text("https://drive.bkkbn.go.id/notula-rakor.pdf")
    _settled(page)
    tuesday_row.locator("details.visum-evidence-add > summary").click()
    camera = tuesday_row.locator(f"#photo-{tuesday_visum.id}")
    expect(camera).to_have_attribute("accept", "image/*")
    camera.set_input_files({"name": "foto-rakor.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()})
    expect(tuesday_row.locator(".visum-evidence li")).to_have_count(2)
    photo_link = tuesday_row.locator(".visum-evidence a", has_text="foto-rakor.jpg")
    expect(photo_link).to_be_visible()
    _settled(page)

    # Thursday (today): its form is already open
    expect(_day(page, THURSDAY).locator("details.visum-add")).to_have_attribute("open", "")
    _add(page, THURSDAY, "Menelaah bahan paparan Direktur", iki=iki, open_form=False)
    expect(summary.locator(".visum-banner-missing")).to_have_count(0)
    expect(summary.locator(".visum-ok")).to_have_text("Semua hari kerja sampai hari ini sudah diisi (4/4).")
    assert _not_reloaded(page), "the week was filled with full page loads instead of HTMX swaps"

    # what was stored
    filed = _visum(analis)
    assert [(v.day, v.status, v.channel) for v in filed] == [
        (d, "SUBMITTED", "SIVIKA") for d in (MONDAY, TUESDAY, WEDNESDAY, THURSDAY)]
    assert all(v.iki is not None and v.iki.text == "IKI 1.1" for v in filed)
    assert filed[0].activity == "Menyusun draf kajian kebijakan KB remaja" and filed[0].output_quantity == 3
    assert filed[2].activity == filed[1].activity and filed[2].iki_id == filed[1].iki_id  # the copy
    kinds = sorted((e.kind, e.content_type or "") for e in db.session.scalars(
        select(Evidence).where(Evidence.visum_id == tuesday_visum.id)))
    assert kinds == [("FILE", "image/jpeg"), ("LINK", "")]
    # the photo is served to its owner, resized server-side to at most 1600 px
    response = page.request.get(photo_link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    assert max(Image.open(io.BytesIO(response.body())).size) <= 1600

    # the assessor approves Monday as a whole day, then Tuesday's row, inline
    boss = open_page()
    _login(boss, direktur.nip, name=direktur.name)
    _nav(boss, "Persetujuan visum")
    counter = boss.locator("#inbox-count")
    expect(counter).to_have_text("4")
    _mark(boss)
    monday_header = boss.locator(f"#inbox-day-{MONDAY.isoformat()}")
    expect(monday_header).to_contain_text("1 menunggu")
    monday_header.get_by_role("button", name="Setujui semua tanggal ini").click()
    expect(boss.locator("#inbox-outcome")).to_contain_text("1 visum disetujui")
    expect(counter).to_have_text("3")
    _settled(boss)
    row = boss.locator(f"#inbox-visum-{tuesday_visum.id}")
    expect(row).to_contain_text(analis.name)
    expect(row).to_contain_text("Bukti")
    row.get_by_role("button", name="Setujui").click()
    expect(row.locator(".badge-ok")).to_have_text("Disetujui")
    expect(counter).to_have_text("2")
    assert _not_reloaded(boss), "approving reloaded the inbox"
    assert [v.status for v in _visum(analis)] == ["APPROVED", "APPROVED", "SUBMITTED", "SUBMITTED"]
    assert {v.approved_by_id for v in _visum(analis)[:2]} == {direktur.id}

    # the employee sees them approved, no longer editable
    page.reload()
    for day in (MONDAY, TUESDAY):
        expect(_day(page, day).locator(".visum-row .badge-ok")).to_have_text("Disetujui")
        expect(_day(page, day).get_by_role("link", name="Ubah")).to_have_count(0)
    expect(_day(page, WEDNESDAY).locator(".visum-row .badge")).to_have_text("Menunggu persetujuan")
    expect(_day(page, WEDNESDAY).get_by_role("link", name="Ubah")).to_be_visible()


# --- 2. the week closes at Sunday 23:59 in each zone ----------------------------------------------------

def test_the_week_closes_at_sunday_2359_local_in_each_zone(page: Page, open_page, frozen, people,  # noqa: F811
                                                           zoned):  # noqa: F811
    wit, wita, wib = zoned["Asia/Jayapura"], zoned["Asia/Makassar"], people["pelaksana"]
    for employee in (wit, wita, wib):
        make_user(employee)
    frozen.move_to(datetime(2026, 1, 18, 14, 58, tzinfo=UTC))  # Sunday 23:58 WIT, 22:58 WITA, 21:58 WIB

    _login(page, wit.nip, name=wit.name)
    page.goto("/execution/visum")
    summary = page.locator("#visum-summary")
    expect(summary.locator(".visum-close")).to_have_text(
        re.compile(r"Ditutup\s+Minggu, 18 Januari 2026 pukul 23\.59 WIT\s+\(sisa 1 menit\)"))
    _mark(page)
    _add(page, FRIDAY, "Rekap pendataan keluarga distrik Abepura")
    assert [v.day for v in _visum(wit)] == [FRIDAY]
    # a form left open on Saturday, sent after the close
    saturday = _day(page, date(2026, 1, 17))
    saturday.locator("details.visum-add > summary").click()
    saturday.locator("textarea[name=activity]").fill("Terlambat: laporan lapangan Sabtu")
    frozen.move_to(WIT_CLOSE)  # 23:59:00 WIT: closed from this instant on
    saturday.get_by_role("button", name="Simpan visum").click()
    alert = page.locator("#flash [role=alert]")
    expect(alert).to_contain_text("Visum minggu ini sudah ditutup pada Minggu, 18 Januari 2026 pukul 23.59 WIT")
    expect(alert).to_contain_text("423")
    assert _not_reloaded(page)
    assert [v.day for v in _visum(wit)] == [FRIDAY], "a visum was stored in a closed week"

    # reloaded: the week is closed, no add form, no copy, no edit
    page.reload()
    expect(summary.locator(".visum-banner-closed")).to_have_text(
        "Minggu ini sudah ditutup pada Minggu, 18 Januari 2026 pukul 23.59 WIT. "
        "Visum tidak dapat ditambah, diubah atau dihapus.")
    expect(summary.locator(".visum-close")).to_have_count(0)
    expect(page.locator("details.visum-add")).to_have_count(0)
    expect(page.get_by_role("button", name="Salin visum hari sebelumnya")).to_have_count(0)
    expect(_day(page, FRIDAY).get_by_role("link", name="Ubah")).to_have_count(0)
    expect(_day(page, FRIDAY)).to_contain_text("Rekap pendataan keluarga distrik Abepura")

    # the same instant, one and two zones west: still open, and filing works
    west = open_page()
    _login(west, wib.nip, name=wib.name)
    west.goto("/execution/visum")
    expect(west.locator("#visum-summary .visum-close")).to_have_text(
        re.compile(r"Ditutup\s+Minggu, 18 Januari 2026 pukul 23\.59 WIB\s+\(sisa 2 jam\)"))
    _add(west, FRIDAY, "Menyusun laporan mingguan")
    assert [v.day for v in _visum(wib)] == [FRIDAY]
    middle = open_page()
    _login(middle, wita.nip, name=wita.name)
    middle.goto("/execution/visum")
    expect(middle.locator("#visum-summary .visum-close")).to_have_text(
        re.compile(r"Ditutup\s+Minggu, 18 Januari 2026 pukul 23\.59 WITA\s+\(sisa 1 jam\)"))
    expect(_day(middle, FRIDAY).locator("details.visum-add")).to_have_count(1)

    # an hour later WITA closes, WIB is still open; another hour and WIB closes too
    frozen.move_to(WITA_CLOSE)
    middle.reload()
    expect(middle.locator("#visum-summary .visum-banner-closed")).to_contain_text("pukul 23.59 WITA")
    expect(middle.locator("details.visum-add")).to_have_count(0)
    west.reload()
    expect(west.locator("#visum-summary .visum-close")).to_contain_text("(sisa 1 jam)")
    expect(west.locator("details.visum-add")).not_to_have_count(0)
    frozen.move_to(WIB_CLOSE)
    west.reload()
    expect(west.locator("#visum-summary .visum-banner-closed")).to_contain_text("pukul 23.59 WIB")
    expect(west.locator("details.visum-add")).to_have_count(0)
    assert _visum(wita) == []


# --- 3. the February gate ------------------------------------------------------------------------------

def test_without_an_approved_skp_the_february_gate_explains_and_refuses(page: Page, open_page, frozen,  # noqa: F811
                                                                         people, approved):  # noqa: F811
    pelaksana, analis = people["pelaksana"], people["analis"]
    make_user(pelaksana)
    make_user(analis)
    frozen.move_to(AFTER_SYNC)  # Tuesday 10 February 2026 10:00 WIB
    today = date(2026, 2, 10)

    _login(page, pelaksana.nip, name=pelaksana.name)
    page.goto("/execution/visum")
    gate = page.locator("#visum-summary .visum-banner-gate")
    expect(gate).to_contain_text("Visum tahun 2026 belum dapat diisi.")
    expect(gate).to_contain_text("Sejak 6 Februari visum tahun 2026 hanya dapat diisi dengan SKP tahun 2026 "
                                 "yang sudah disetujui.")
    expect(gate).to_contain_text("Anda belum memiliki SKP 2026.")
    expect(gate.get_by_role("link", name="Buka SKP saya")).to_be_visible()
    expect(page.locator("details.visum-add")).to_have_count(0)
    expect(page.get_by_role("button", name="Salin visum hari sebelumnya")).to_have_count(0)
    expect(_day(page, today)).to_contain_text("Tidak ada visum.")

    # the home page says it too
    with page.expect_navigation(wait_until="load"):
        page.locator("header .brand").click()
    card = page.locator(".today-gate")
    expect(card).to_contain_text("Visum terkunci")
    expect(card).to_contain_text("hanya dapat diisi dengan SKP tahun 2026 yang sudah disetujui")

    # forcing a POST from the session is refused, nothing stored
    response = page.request.post(f"/execution/visum/day/{today.isoformat()}",
                                 form={"activity": "Menyusun laporan", "client_token": "forced"},
                                 headers={"HX-Request": "true"})
    assert response.status == 403 and "SKP" in response.text()
    assert _visum(pelaksana) == []

    # a colleague whose SKP is approved files the same day, with an IKI of it
    other = open_page()
    _login(other, analis.nip, name=analis.name)
    other.goto("/execution/visum")
    expect(other.locator(".visum-banner-gate")).to_have_count(0)
    _add(other, today, "Menyusun telaahan staf", iki="RHK 1 — IKI 1.1 (dokumen)", open_form=False)
    assert [(v.day, v.iki.text) for v in _visum(analis)] == [(today, "IKI 1.1")]


# --- 4. a Penyuluh KB on a phone ------------------------------------------------------------------------

def _no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths[0]} px wide in a {widths[1]} px window"


def _tall_enough(locator, what: str) -> None:
    box = locator.bounding_box()
    assert box is not None, f"{what} is not displayed"
    assert box["height"] >= TOUCH, f"{what} is {box['height']:.0f} px high (< {TOUCH})"


def test_penyuluh_files_e_visum_on_a_phone(open_page, people):  # noqa: F811
    penyuluh = people["penyuluh"]
    make_user(penyuluh)
    monday = file(penyuluh, MONDAY, activity="Penyuluhan KB di Balai Desa Sukamaju")
    phone = open_page(**PHONE)

    _login(phone, penyuluh.nip, name=penyuluh.name)
    phone.goto("/execution/visum")
    assert phone.evaluate("() => [window.innerWidth, navigator.maxTouchPoints > 0]") == [390, True]
    expect(phone.get_by_role("heading", level=1)).to_have_text("E-Visum Penyuluh KB / PLKB")
    expect(phone.locator(".visum-channel")).to_contain_text("Kanal: E-Visum")
    _no_horizontal_scroll(phone)

    today = _day(phone, THURSDAY)
    form = today.locator("details.visum-add form")
    expect(form).to_be_visible()  # today's form is open
    expect(form.get_by_label("Uraian kegiatan lapangan")).to_be_visible()
    expect(form.get_by_label("Jumlah hasil kegiatan")).to_be_visible()
    for what, target in (("the IKI select", form.locator("select[name=iki_id]")),
                         ("the activity", form.locator("textarea[name=activity]")),
                         ("the quantity", form.locator("input[name=output_quantity]")),
                         ("the unit", form.locator("input[name=output_unit]")),
                         ("the save button", form.get_by_role("button", name="Simpan visum")),
                         ("the copy button", today.get_by_role("button", name="Salin visum hari sebelumnya")),
                         ("the add button of Tuesday", _day(phone, TUESDAY).locator("details.visum-add > summary"))):
        _tall_enough(target, what)

    # Monday's visum: evidence words of the field, a camera input, touch-sized pickers
    row = phone.locator(f"#visum-{monday.id}")
    expect(row.locator(".visum-evidence h3")).to_have_text("Bukti kegiatan lapangan")
    row.locator("details.visum-evidence-add > summary").tap()
    camera = row.locator(f"#photo-{monday.id}")
    expect(camera).to_have_attribute("accept", "image/*")
    expect(camera).to_have_attribute("capture", re.compile(r"^(environment|user|)$"))
    _tall_enough(row.locator("label.camera"), "the camera button")
    _tall_enough(row.get_by_role("button", name="Simpan bukti"), "the evidence save button")
    _tall_enough(row.get_by_role("link", name="Ubah"), "the edit button")
    _no_horizontal_scroll(phone)

    # filing by tapping
    _mark(phone)
    form.locator("textarea[name=activity]").tap()
    form.locator("textarea[name=activity]").fill("Konseling KB bagi PUS di Posyandu Melati, Desa Sukamaju")
    form.locator("input[name=output_quantity]").fill("8")
    form.locator("input[name=output_unit]").fill("PUS")
    form.get_by_role("button", name="Simpan visum").tap()
    expect(today.locator(".visum-row")).to_contain_text("Konseling KB bagi PUS di Posyandu Melati")
    expect(today.locator(".visum-row")).to_contain_text("Hasil kegiatan: 8 PUS")
    _no_horizontal_scroll(phone)
    assert _not_reloaded(phone)
    filed = _visum(penyuluh, THURSDAY)
    assert [(v.channel, v.output_quantity, v.output_unit) for v in filed] == [("E-VISUM", 8, "PUS")]


# --- 5. the demo ------------------------------------------------------------------------------------------

DEMO_NOW = datetime(2026, 11, 19, 3, 0, tzinfo=UTC)  # Thursday 19 November 2026, 10:00 WIB


@pytest.fixture
def demo_built(app):
    with time_machine.travel(DEMO_NOW, tick=False):
        demo.build_demo()
        yield


def test_demo_employee_files_today_and_his_demo_assessor_approves_inline(page: Page, open_page, demo_built):
    employee, assessor = demo.demo_employee("pranata_humas"), demo.demo_employee("karo_umum")
    today = date(2026, 11, 19)
    seeded = _visum(employee, today)
    assert len(seeded) == 1  # the demo filed today's visum already

    _login(page, employee.nip, demo.DEMO_PASSWORD, name=employee.name)
    _nav(page, "Visum saya")
    expect(page.locator("#visum-summary .visum-ok")).to_have_text(
        "Semua hari kerja sampai hari ini sudah diisi (4/4).")
    section = _day(page, today)
    expect(section.locator(".visum-row")).to_have_count(1)
    _mark(page)
    _add(page, today, "Menyusun siaran pers Hari Keluarga Nasional", iki=1, quantity="1", unit="siaran pers")
    expect(section.locator(".visum-row")).to_have_count(2)
    assert _not_reloaded(page)
    mine = [v for v in _visum(employee, today) if v.id != seeded[0].id]
    assert len(mine) == 1 and mine[0].status == "SUBMITTED" and mine[0].iki_id is not None
    assert mine[0].activity == "Menyusun siaran pers Hari Keluarga Nasional"

    boss = open_page()
    _login(boss, assessor.nip, demo.DEMO_PASSWORD, name=assessor.name)
    _nav(boss, "Persetujuan visum")
    counter = boss.locator("#inbox-count")
    expect(counter).to_have_text(re.compile(r"^\d+$"))
    pending = int(counter.inner_text())
    assert pending >= 2  # the seeded visum of his team and the new one
    row = boss.locator(f"#inbox-visum-{mine[0].id}")
    expect(row).to_contain_text(employee.name)
    expect(row).to_contain_text("Menyusun siaran pers Hari Keluarga Nasional")
    expect(row).to_contain_text("1 siaran pers")
    _mark(boss)
    row.get_by_role("button", name="Setujui").click()
    expect(row.locator(".badge-ok")).to_have_text("Disetujui")
    expect(counter).to_have_text(str(pending - 1))
    assert _not_reloaded(boss)
    approved_visum = _visum(employee, today)
    assert {v.id: v.status for v in approved_visum} == {seeded[0].id: "SUBMITTED", mine[0].id: "APPROVED"}
    assert next(v for v in approved_visum if v.id == mine[0].id).approved_by_id == assessor.id

    page.reload()
    expect(page.locator(f"#visum-{mine[0].id} .badge-ok")).to_have_text("Disetujui")
