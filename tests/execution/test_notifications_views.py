"""The notification page (page and partial, newest first, paging), marking read (one, all, HTMX with the bell
out of band, plain POST redirects), another employee's notification untouched, and the unread bell."""

from datetime import UTC, datetime

from sqlalchemy import select

from kinerja.auth import services as auth_services
from kinerja.execution import notifications
from kinerja.execution.models import Notification
from kinerja.extensions import db
from tests.factories import login_as

HX = {"HX-Request": "true"}
URL = "/execution/notifications"


def login(client, employee):
    login_as(client, auth_services.user_for(employee))
    db.session.commit()


def notify(employee, n, **kwargs):
    item = notifications.notify(employee, kwargs.pop("kind", "FEEDBACK"), f"k:{n}", f"Pesan nomor {n}",
                                kwargs.pop("link", None), now=datetime(2026, 1, 10 + n, 1, 0, tzinfo=UTC))
    db.session.commit()
    return item


def bell(text):
    start = text.index('id="notification-bell"')
    return text[start:text.index("</a>", start)]


def test_anonymous_is_sent_to_login(client, people):
    for response in (client.get(URL), client.post(URL, data={"all": "y"})):
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_list_is_newest_first_as_page_and_partial(client, people):
    analis = people["analis"]
    notify(analis, 0, link="/execution/inbox")
    notify(analis, 1, kind="VISUM_RETURNED")
    notify(people["pelaksana"], 2)
    login(client, analis)
    page = client.get(URL).get_data(as_text=True)
    assert "<html" in page and page.index("Pesan nomor 1") < page.index("Pesan nomor 0")
    assert "Pesan nomor 2" not in page and '<a href="/execution/inbox">Pesan nomor 0</a>' in page
    assert "Visum dikembalikan" in page and '<span class="badge badge-err">2</span>' in bell(page)
    partial = client.get(URL, headers=HX).get_data(as_text=True)
    assert "<html" not in partial and 'id="notification-list"' in partial and 'hx-swap-oob="true"' in partial


def test_paging(client, people, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for n in range(5):
        notify(people["analis"], n)
    login(client, people["analis"])
    first = client.get(URL).get_data(as_text=True)
    assert "Pesan nomor 4" in first and "Pesan nomor 2" not in first and "Halaman 1 dari 3" in first
    last = client.get(URL + "?page=3", headers=HX).get_data(as_text=True)
    assert "Pesan nomor 0" in last and "Pesan nomor 4" not in last


def test_mark_one_read_inline_updates_the_bell(client, people):
    analis = people["analis"]
    first, second = notify(analis, 0), notify(analis, 1)
    login(client, analis)
    response = client.post(URL, data={"notification_id": first.id}, headers=HX)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'hx-swap-oob="true"' in bell(text) and '<span class="badge badge-err">1</span>' in bell(text)
    db.session.expire_all()
    assert db.session.get(Notification, first.id).read_at is not None
    assert db.session.get(Notification, second.id).read_at is None


def test_mark_all_read_and_plain_post_redirects(client, people):
    analis = people["analis"]
    for n in range(3):
        notify(analis, n)
    theirs = notify(people["pelaksana"], 9)
    login(client, analis)
    response = client.post(URL, data={"all": "y", "page": 1})
    assert response.status_code == 303 and response.headers["Location"].endswith(URL + "?page=1")
    assert notifications.unread_count(analis.id) == 0 and notifications.unread_count(people["pelaksana"].id) == 1
    page = client.get(URL).get_data(as_text=True)
    assert "badge-err" not in bell(page)
    # someone else's notification is never touched
    assert client.post(URL, data={"notification_id": theirs.id}, headers=HX).status_code == 200
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_post_without_a_choice_is_a_bad_request(client, people):
    login(client, people["analis"])
    assert client.post(URL, data={}, headers=HX).status_code == 400
    assert client.post(URL, data={"notification_id": "abc"}).status_code == 400


def test_bell_counts_only_the_users_unread_notifications(client, people):
    analis = people["analis"]
    for n in range(4):
        notify(analis, n)
    notifications.mark_read(analis, db.session.scalar(select(Notification.id).limit(1)))
    db.session.commit()
    notify(people["pelaksana"], 7)
    login(client, analis)
    html = client.get("/").get_data(as_text=True)
    assert 'href="/execution/notifications"' in bell(html) and '<span class="badge badge-err">3</span>' in bell(html)
    login(client, people["kepala"])
    assert "badge" not in bell(client.get("/").get_data(as_text=True))
