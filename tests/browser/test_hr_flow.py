"""HR's flows in a real browser: HR logs in, searches the employee list, opens an employee and sees
his Pejabat Penilai with the rule that produced it; HR keeps the holidays inline."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from kinerja import demo


def _login(page, nip: str, password: str = demo.DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.fill("input[name=nip]", nip)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("form.logout")).to_be_visible()


def test_hr_finds_an_employee_and_sees_his_assessor(page, app):
    demo.build_demo()
    pranata_humas = demo.demo_employee("pranata_humas")
    karo_umum = demo.demo_employee("karo_umum")
    _login(page, demo.DEMO_NIPS["hr"])

    page.get_by_role("link", name="Pegawai", exact=True).click()
    expect(page.locator("#employee-results table")).to_be_visible()

    # typing searches as you type (HTMX), without a page load, and the URL follows
    page.fill("input[name=q]", "nurul")
    results = page.locator("#employee-results tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text(pranata_humas.name)
    expect(page).to_have_url(re.compile(r"q=nurul"))

    results.first.get_by_role("link", name=pranata_humas.nip).click()
    panel = page.locator("#assessor-panel")
    expect(panel).to_contain_text(karo_umum.name)
    expect(panel).to_contain_text("JF Pranata Humas di BKKBN Pusat")


def test_wrong_password_keeps_the_user_out(page, app):
    demo.build_demo()
    page.goto("/login")
    page.fill("input[name=nip]", demo.DEMO_NIPS["hr"])
    page.fill("input[name=password]", "salah-sandi")
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("form.logout")).to_have_count(0)
    expect(page.locator("input[name=nip]")).to_be_visible()


def test_an_employee_sees_his_own_assessor_but_not_the_hr_pages(page, app):
    demo.build_demo()
    _login(page, demo.DEMO_NIPS["pranata_humas"])
    expect(page.get_by_role("link", name="Pegawai", exact=True)).to_have_count(0)
    response = page.goto("/org/employees")
    assert response is not None and response.status == 403


def _next_weekday(weekday: int) -> date:
    """A day of that weekday in next week or later: its week is not closed yet in any zone."""
    day = date.today() + timedelta(days=8)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def test_hr_keeps_the_holidays_inline(page, app):
    demo.build_demo()
    _login(page, demo.DEMO_NIPS["hr"])
    page.on("dialog", lambda dialog: dialog.accept())  # "Hapus … dari hari libur?"
    page.get_by_role("link", name="Hari libur", exact=True).click()
    panel = page.locator("#hr-holidays")
    wednesday, saturday = _next_weekday(2), _next_weekday(5)

    # a Saturday is refused on the form itself, and what was typed stays
    page.fill("input[name=day]", saturday.isoformat())
    page.fill("input[name=name]", "Libur keliru")
    panel.get_by_role("button", name="Tambah hari libur").click()
    expect(panel.locator(".field-error")).to_contain_text("Sabtu dan Minggu sudah bukan hari kerja")
    expect(page.locator("input[name=name]")).to_have_value("Libur keliru")

    page.fill("input[name=day]", wednesday.isoformat())
    page.fill("input[name=name]", "Cuti bersama uji")
    panel.get_by_role("button", name="Tambah hari libur").click()
    row = panel.locator("tbody tr", has_text="Cuti bersama uji")
    expect(row).to_have_count(1)
    expect(panel.locator(".flash")).to_contain_text("dicatat sebagai hari libur")
    expect(panel.locator(".field-error")).to_have_count(0)

    row.get_by_role("button", name="Hapus").click()
    expect(panel.locator(".flash")).to_contain_text("dihapus dari hari libur")
    expect(panel.locator("tbody tr", has_text="Cuti bersama uji")).to_have_count(0)
