"""Feedback pages: the thread of a visum (HTMX partial and full page), every thread about an employee,
posting (assessor, superior, employee reply), 422 on an empty body, 403/404 and HR read-only, and the
row button partial."""

from datetime import datetime

import pytest
from flask import render_template
from sqlalchemy import select

from kinerja.auth import services as auth_services
from kinerja.execution import feedback
from kinerja.execution.models import Evidence, Feedback
from kinerja.extensions import db
from tests.execution.fixtures import NOW, file
from tests.factories import login_as

HX = {"HX-Request": "true"}


def login(client, employee):
    login_as(client, auth_services.user_for(employee))
    db.session.commit()


def comment(actor, employee, **kwargs):
    kwargs.setdefault("body", "Komentar pertama")
    item = feedback.post_feedback(actor, employee, now=NOW, **kwargs)
    db.session.commit()
    return item


@pytest.fixture
def visum(people):
    return file(people["pelaksana"])


def url(visum):
    return f"/execution/feedback/visum/{visum.id}"


def bodies():
    return [f.body for f in db.session.scalars(select(Feedback).order_by(Feedback.id))]


def test_anonymous_is_sent_to_login(client, people, visum):
    thread = f"/execution/feedback/{people['pelaksana'].nip}"
    for response in (client.get(url(visum)), client.post(url(visum), data={"body": "x"}),
                     client.get(thread), client.post(thread, data={"body": "x"})):
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert bodies() == []


def test_thread_is_a_partial_for_htmx_and_a_page_otherwise(client, people, visum):
    comment(people["direktur"], people["pelaksana"], topic="VISUM", visum=visum, body="Perlu bukti dukung")
    login(client, people["direktur"])
    partial = client.get(url(visum), headers=HX)
    assert partial.status_code == 200
    text = partial.get_data(as_text=True)
    assert "<html" not in text and "15-01-2026 10.00 WIB" in text  # the time in the viewer's zone
    assert f'id="feedback-visum-{visum.id}"' in text and "Perlu bukti dukung" in text
    assert 'name="body"' in text and f'hx-post="{url(visum)}"' in text
    page = client.get(url(visum))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<html" in html and "Perlu bukti dukung" in html and "Menyusun laporan" in html


def test_assessor_posts_a_comment_inline(client, people, visum):
    login(client, people["direktur"])
    response = client.post(url(visum), data={"body": "Sudah sesuai IKI."}, headers=HX)
    assert response.status_code == 200
    assert "Sudah sesuai IKI." in response.get_data(as_text=True)
    assert bodies() == ["Sudah sesuai IKI."]


def test_plain_post_redirects_to_the_thread(client, people, visum):
    login(client, people["deputi"])
    response = client.post(url(visum), data={"body": "Dari atasan penilai."})
    assert response.status_code == 303 and response.headers["Location"].endswith(url(visum))
    assert bodies() == ["Dari atasan penilai."]


def test_comment_on_evidence_through_the_form(client, people, visum):
    evidence = Evidence(visum_id=visum.id, kind="LINK", url="https://drive.example/foto",
                        created_at=datetime(2026, 1, 15))
    db.session.add(evidence)
    db.session.commit()
    login(client, people["direktur"])
    page = client.get(url(visum), headers=HX).get_data(as_text=True)
    assert "Bukti dukung: https://drive.example/foto" in page
    response = client.post(url(visum), data={"body": "Fotonya buram.", "evidence_id": evidence.id}, headers=HX)
    assert response.status_code == 200
    item = db.session.scalar(select(Feedback))
    assert (item.topic, item.evidence_id) == ("EVIDENCE", evidence.id)
    assert client.post(url(visum), data={"body": "x", "evidence_id": 999999}, headers=HX).status_code == 404


def test_empty_body_answers_422_with_the_error_on_the_form(client, people, visum):
    login(client, people["direktur"])
    response = client.post(url(visum), data={"body": "   "}, headers=HX)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Isi umpan balik wajib diisi." in text and f'id="feedback-visum-{visum.id}"' in text
    assert bodies() == []
    plain = client.post(url(visum), data={"body": ""})
    assert plain.status_code == 422 and "<html" in plain.get_data(as_text=True)


def test_employee_replies_in_his_thread_and_the_error_lands_on_that_reply_form(client, people, visum):
    root = comment(people["direktur"], people["pelaksana"], topic="VISUM", visum=visum)
    login(client, people["pelaksana"])
    page = client.get(url(visum), headers=HX).get_data(as_text=True)
    assert "Kirim balasan" in page and "Kirim umpan balik" not in page  # he replies, he does not start threads
    bad = client.post(url(visum), data={"body": "", "parent_id": root.id}, headers=HX)
    assert bad.status_code == 422
    assert '<details class="feedback-reply" open>' in bad.get_data(as_text=True)
    response = client.post(url(visum), data={"body": "Sudah diperbaiki.", "parent_id": root.id}, headers=HX)
    assert response.status_code == 200 and "Sudah diperbaiki." in response.get_data(as_text=True)
    assert db.session.scalar(select(Feedback).where(Feedback.body == "Sudah diperbaiki.")).parent_id == root.id


def test_employee_starting_a_thread_is_refused(client, people, visum):
    login(client, people["pelaksana"])
    assert client.post(url(visum), data={"body": "Saya mulai."}, headers=HX).status_code == 403
    assert bodies() == []


def test_a_parent_from_another_visum_is_not_found(client, people, visum):
    other = file(people["pelaksana"], visum.day.replace(day=14))
    root = comment(people["direktur"], people["pelaksana"], topic="VISUM", visum=other)
    login(client, people["direktur"])
    assert client.post(url(visum), data={"body": "x", "parent_id": root.id}, headers=HX).status_code == 404


def test_colleague_is_refused_and_unknown_visum_is_404(client, people, visum):
    login(client, people["analis"])
    assert client.get(url(visum), headers=HX).status_code == 403
    assert client.get(url(visum)).status_code == 403
    assert client.post(url(visum), data={"body": "x"}).status_code == 403
    assert client.get("/execution/feedback/visum/999999").status_code == 404


def test_hr_reads_but_does_not_post(client, people, visum):
    comment(people["direktur"], people["pelaksana"], topic="VISUM", visum=visum, body="Catatan penilai")
    login(client, people["hr"])
    page = client.get(url(visum), headers=HX)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Catatan penilai" in text and 'name="body"' not in text and "tidak dapat menambahkannya" in text
    assert client.post(url(visum), data={"body": "HR menulis"}, headers=HX).status_code == 403
    assert bodies() == ["Catatan penilai"]


# --- every thread about an employee -------------------------------------------------------------

def employee_url(employee, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/execution/feedback/{employee.nip}" + (f"?{query}" if query else "")


def test_employee_page_lists_visum_and_behaviour_threads(client, people, visum):
    pelaksana = people["pelaksana"]
    comment(people["direktur"], pelaksana, topic="VISUM", visum=visum, body="Tentang visum")
    comment(people["direktur"], pelaksana, topic="PERILAKU", perilaku="AKUNTABEL", body="Tentang perilaku")
    comment(people["direktur"], people["analis"], topic="PERILAKU", perilaku="LOYAL", body="Orang lain")
    login(client, pelaksana)
    page = client.get(employee_url(pelaksana))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<html" in text and "Tentang visum" in text and "Tentang perilaku" in text and "Orang lain" not in text
    assert "Perilaku: Akuntabel" in text and "Umpan balik perilaku kerja baru" not in text
    partial = client.get(employee_url(pelaksana), headers=HX).get_data(as_text=True)
    assert "<html" not in partial and 'id="feedback-employee"' in partial


def test_assessor_starts_a_behaviour_thread_and_422_without_a_value(client, people):
    pelaksana = people["pelaksana"]
    login(client, people["direktur"])
    page = client.get(employee_url(pelaksana), headers=HX).get_data(as_text=True)
    assert "Umpan balik perilaku kerja baru" in page and 'name="perilaku"' in page
    bad = client.post(employee_url(pelaksana), data={"body": "Disiplin", "perilaku": ""}, headers=HX)
    assert bad.status_code == 422 and "Pilih nilai perilaku kerja BerAKHLAK." in bad.get_data(as_text=True)
    good = client.post(employee_url(pelaksana), data={"body": "Disiplin waktu.", "perilaku": "AKUNTABEL"}, headers=HX)
    assert good.status_code == 200 and "Disiplin waktu." in good.get_data(as_text=True)
    plain = client.post(employee_url(pelaksana), data={"body": "Lagi.", "perilaku": "LOYAL"})
    assert plain.status_code == 303
    assert [(f.topic, f.perilaku) for f in db.session.scalars(select(Feedback).order_by(Feedback.id))] == [
        ("PERILAKU", "AKUNTABEL"), ("PERILAKU", "LOYAL")]


def test_employee_replies_on_his_page(client, people):
    pelaksana = people["pelaksana"]
    root = comment(people["direktur"], pelaksana, topic="PERILAKU", perilaku="HARMONIS")
    login(client, pelaksana)
    response = client.post(employee_url(pelaksana), data={"body": "Siap.", "parent_id": root.id}, headers=HX)
    assert response.status_code == 200
    reply = db.session.scalar(select(Feedback).where(Feedback.parent_id == root.id))
    assert (reply.topic, reply.perilaku, reply.author_id) == ("PERILAKU", "HARMONIS", pelaksana.id)
    other = comment(people["direktur"], people["analis"], topic="PERILAKU", perilaku="LOYAL")
    assert client.post(employee_url(pelaksana), data={"body": "x", "parent_id": other.id}).status_code == 404


def test_employee_page_access(client, people):
    pelaksana = people["pelaksana"]
    login(client, people["analis"])
    assert client.get(employee_url(pelaksana)).status_code == 403
    assert client.get("/execution/feedback/199001012020011999").status_code == 404
    login(client, people["hr"])
    assert client.get(employee_url(pelaksana)).status_code == 200
    response = client.post(employee_url(pelaksana), data={"body": "x", "perilaku": "LOYAL"}, headers=HX)
    assert response.status_code == 403
    login(client, people["deputi"])
    assert client.get(employee_url(pelaksana)).status_code == 200


def test_employee_page_pages(client, people, app, monkeypatch):
    pelaksana = people["pelaksana"]
    for n in range(22):
        comment(people["direktur"], pelaksana, topic="PERILAKU", perilaku="LOYAL", body=f"Catatan {n}")
    login(client, pelaksana)
    first = client.get(employee_url(pelaksana)).get_data(as_text=True)
    assert "Catatan 21" in first and "Catatan 1<" not in first and "Halaman 1 dari 2" in first
    second = client.get(employee_url(pelaksana, page=2), headers=HX).get_data(as_text=True)
    assert "Catatan 1<" in second and "Catatan 0<" in second and "Catatan 21" not in second


def test_feedback_button_partial(app, people, visum):
    with app.test_request_context():
        html = render_template("execution/_feedback_button.html", visum=visum, count=3)
        assert f'hx-get="/execution/feedback/visum/{visum.id}"' in html
        assert f'hx-target="#feedback-slot-{visum.id}"' in html and f'id="feedback-slot-{visum.id}"' in html
        assert '<span class="badge">3</span>' in html and f'href="/execution/feedback/visum/{visum.id}"' in html
        own = render_template("execution/_feedback_button.html", visum=visum, feedback_target="row-9-feedback")
        assert 'hx-target="#row-9-feedback"' in own and "feedback-slot" not in own and "badge" not in own
