"""The assessor's inbox in a real browser: keyboard approval, inline return with a reason, a selection
— the counter follows every action out of band and the page never reloads."""

from datetime import date

from playwright.sync_api import Page, expect

from kinerja.execution.models import Visum
from kinerja.extensions import db
from tests.execution.fixtures import file
from tests.factories import PASSWORD, make_user
from tests.planning.skp_fixtures import frozen, org  # noqa: F401

MONDAY, TUESDAY = date(2026, 1, 12), date(2026, 1, 13)


def _status(visum_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Visum, visum_id).status


def test_keyboard_approve_return_and_select(page: Page, org):  # noqa: F811
    people = org["people"]
    first = file(people["analis"], MONDAY)
    second = file(people["pelaksana"], MONDAY)
    third = file(people["penyuluh"], TUESDAY)
    make_user(people["direktur"])
    page.goto("/login")
    page.fill("input[name=nip]", people["direktur"].nip)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("form.logout")).to_be_visible()

    page.goto("/execution/inbox")
    page.evaluate("window.__noReload = true")  # survives only if the page never reloads
    counter = page.locator("#inbox-count")
    expect(counter).to_have_text("3")

    page.keyboard.press("j")
    expect(page.locator(f"#inbox-visum-{first.id}")).to_be_focused()
    page.keyboard.press("a")
    expect(page.locator(f"#inbox-visum-{first.id}")).to_contain_text("Disetujui")
    expect(counter).to_have_text("2")
    expect(page.locator(f"#inbox-visum-{second.id}")).to_be_focused()  # the next pending row
    expect(page.locator(f"#inbox-day-{MONDAY.isoformat()}")).to_contain_text("1 menunggu")
    expect(page.locator("#inbox-showing")).to_contain_text("Ditampilkan 2 dari 2")
    done = page.locator(f"#inbox-visum-{first.id}")
    expect(done.locator("a.inbox-employee")).to_have_attribute(
        "href", f"/execution/visum/{people['analis'].nip}?week={MONDAY.isoformat()}")
    done.get_by_role("link", name="Umpan balik").click()  # the thread opens inside the row, no reload
    expect(done.locator(f"#feedback-visum-{first.id}")).to_contain_text("Belum ada umpan balik")
    page.locator(f"#inbox-visum-{second.id}").focus()  # back to the keyboard flow

    page.keyboard.press("r")
    reason = page.locator(f"#reason-{second.id}")
    expect(reason).to_be_focused()
    reason.fill("Lengkapi bukti kegiatan")
    page.keyboard.press("Enter")
    expect(page.locator(f"#inbox-visum-{second.id}")).to_contain_text("Dikembalikan")
    expect(counter).to_have_text("1")
    expect(page.locator(f"#inbox-day-{MONDAY.isoformat()}")).to_contain_text("0 menunggu")

    page.locator(f"#inbox-visum-{third.id}").focus()
    page.keyboard.press("x")
    expect(page.locator(f"#inbox-visum-{third.id} .inbox-check")).to_be_checked()
    page.get_by_role("button", name="Setujui yang dipilih").click()
    expect(page.locator("#inbox-outcome")).to_contain_text("1 visum disetujui")
    expect(counter).to_have_text("0")
    assert page.evaluate("window.__noReload") is True
    assert [_status(v.id) for v in (first, second, third)] == ["APPROVED", "RETURNED", "APPROVED"]
