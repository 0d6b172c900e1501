"""Feedback services: who may post (employee replies, assessor chain incl. PLT, colleague and HR refused),
threads and replies, topics (visum, evidence, BerAKHLAK behaviour), bad input, the week lock does not
apply, audit rows and the FEEDBACK notifications."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from kinerja.audit.models import AuditEntry
from kinerja.execution import feedback
from kinerja.execution.models import Evidence, Feedback, Notification
from kinerja.extensions import db
from kinerja.org import services as org_services
from kinerja.org.assessors import refresh_assessor_links
from kinerja.rules.planning import NotAllowed, PlanningRuleError
from tests.execution.fixtures import NOW, file

AFTER_CLOSE = datetime(2026, 1, 20, 3, 0, tzinfo=UTC)  # Tuesday of the next week: 12-18 January is closed


def post(actor, employee, **kwargs):
    kwargs.setdefault("body", "Bagus, lanjutkan.")
    item = feedback.post_feedback(actor, employee, now=NOW, **kwargs)
    db.session.commit()
    return item


def notifications_of(employee):
    return list(db.session.scalars(select(Notification).where(Notification.employee_id == employee.id)
                                   .order_by(Notification.id)))


def link_evidence(visum):
    evidence = Evidence(visum_id=visum.id, kind="LINK", url="https://drive.example/laporan",
                        created_at=datetime(2026, 1, 15, 3, 0))
    db.session.add(evidence)
    db.session.commit()
    return evidence


def test_assessor_comments_on_a_visum_with_audit_and_a_notification(people):
    pelaksana, direktur = people["pelaksana"], people["direktur"]
    visum = file(pelaksana)
    item = post(direktur, pelaksana, topic="VISUM", visum=visum, body="  Lampirkan notulen rapatnya.  ")
    assert (item.topic, item.visum_id, item.parent_id, item.author_id) == ("VISUM", visum.id, None, direktur.id)
    assert item.body == "Lampirkan notulen rapatnya." and item.created_at == datetime(2026, 1, 15, 3, 0)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "feedback.create"))
    assert entry.actor_id == direktur.id and entry.object_id == str(item.id)
    assert entry.after["body"] == "Lampirkan notulen rapatnya."
    [note] = notifications_of(pelaksana)
    assert note.kind == "FEEDBACK" and note.key == f"feedback:{item.id}"
    assert "Direktur" in note.message and "visum Kamis, 15 Januari 2026" in note.message
    assert note.link == f"/execution/feedback/visum/{visum.id}"
    assert notifications_of(direktur) == []


def test_assessors_superior_may_comment(people):
    visum = file(people["pelaksana"])
    item = post(people["deputi"], people["pelaksana"], topic="VISUM", visum=visum)
    assert item.author_id == people["deputi"].id


def test_plt_of_the_assessor_may_comment(org, people):
    org_services.add_acting(None, employee=people["kasubdit"], unit=org["units"]["DIT"], kind="PLT",
                            start=date(2026, 1, 1), end=date(2026, 3, 31))
    refresh_assessor_links()
    db.session.commit()
    visum = file(people["pelaksana"])
    assert feedback.can_comment(people["kasubdit"], people["pelaksana"])
    assert post(people["kasubdit"], people["pelaksana"], topic="VISUM", visum=visum).id


@pytest.mark.parametrize("who", ["analis", "hr", "direktur2", "kasi"])
def test_colleagues_hr_and_other_units_may_not_post(people, who):
    visum = file(people["pelaksana"])
    with pytest.raises(NotAllowed) as caught:
        feedback.post_feedback(people[who], people["pelaksana"], body="x", topic="VISUM", visum=visum, now=NOW)
    assert caught.value.code == "NOT_IN_CHAIN" and caught.value.http_status == 403
    db.session.rollback()
    assert db.session.scalars(select(Feedback)).all() == []


def test_nobody_posts_without_an_actor(people):
    visum = file(people["pelaksana"])
    with pytest.raises(NotAllowed):
        feedback.post_feedback(None, people["pelaksana"], body="x", topic="VISUM", visum=visum)


def test_employee_replies_but_does_not_start_a_thread(people):
    pelaksana, direktur = people["pelaksana"], people["direktur"]
    visum = file(pelaksana)
    with pytest.raises(NotAllowed) as caught:
        feedback.post_feedback(pelaksana, pelaksana, body="Catatan saya", topic="VISUM", visum=visum, now=NOW)
    assert caught.value.code == "EMPLOYEE_REPLIES_ONLY"
    db.session.rollback()
    root = post(direktur, pelaksana, topic="VISUM", visum=visum)
    reply = post(pelaksana, pelaksana, body="Sudah saya lampirkan.", parent=root, topic="PERILAKU", perilaku="LOYAL")
    assert (reply.parent_id, reply.topic, reply.visum_id, reply.perilaku) == (root.id, "VISUM", visum.id, None)
    [note] = notifications_of(direktur)  # the commenter hears of the reply
    assert note.kind == "FEEDBACK" and "membalas" in note.message and note.key == f"feedback:{reply.id}"


def test_a_reply_to_a_reply_joins_the_first_comments_thread(people):
    pelaksana, direktur = people["pelaksana"], people["direktur"]
    root = post(direktur, pelaksana, topic="VISUM", visum=file(pelaksana))
    reply = post(pelaksana, pelaksana, parent=root, body="Baik.")
    again = post(direktur, pelaksana, parent=reply, body="Terima kasih.")
    assert again.parent_id == root.id
    db.session.expire_all()
    [thread] = feedback.visum_threads(root.visum)
    assert [r.body for r in thread.replies] == ["Baik.", "Terima kasih."]
    assert len(notifications_of(pelaksana)) == 2  # the first comment and the assessor's reply


@pytest.mark.parametrize(("body", "code"), [("", "BODY_REQUIRED"), ("   \n ", "BODY_REQUIRED"), (None, "BODY_REQUIRED"),
                                            ("x" * 4001, "TOO_LONG")])
def test_body_is_required_and_bounded(people, body, code):
    visum = file(people["pelaksana"])
    with pytest.raises(PlanningRuleError) as caught:
        feedback.post_feedback(people["direktur"], people["pelaksana"], body=body, topic="VISUM", visum=visum)
    assert (caught.value.code, caught.value.field, caught.value.http_status) == (code, "body", 400)


def test_body_of_4000_characters_is_accepted(people):
    item = post(people["direktur"], people["pelaksana"], topic="VISUM", visum=file(people["pelaksana"]),
                body="y" * 4000)
    assert len(item.body) == 4000


def test_behaviour_feedback_takes_a_berakhlak_value(people):
    item = post(people["direktur"], people["pelaksana"], topic="PERILAKU", perilaku="KOLABORATIF",
                body="Aktif membantu tim lintas unit.")
    assert (item.topic, item.perilaku, item.visum_id) == ("PERILAKU", "KOLABORATIF", None)
    [note] = notifications_of(people["pelaksana"])
    assert "perilaku Kolaboratif" in note.message and note.link == f"/execution/feedback/{people['pelaksana'].nip}"
    for bad in (None, "", "RAJIN"):
        with pytest.raises(PlanningRuleError) as caught:
            feedback.post_feedback(people["direktur"], people["pelaksana"], body="x", topic="PERILAKU", perilaku=bad)
        assert caught.value.field == "perilaku"


def test_evidence_feedback_is_tied_to_its_visum(people):
    visum = file(people["pelaksana"])
    evidence = link_evidence(visum)
    item = post(people["direktur"], people["pelaksana"], topic="EVIDENCE", evidence=evidence)
    assert (item.topic, item.evidence_id, item.visum_id) == ("EVIDENCE", evidence.id, visum.id)
    with pytest.raises(PlanningRuleError) as caught:
        feedback.post_feedback(people["direktur"], people["pelaksana"], body="x", topic="EVIDENCE", visum=visum)
    assert caught.value.field == "evidence_id"


def test_unknown_topic_missing_or_foreign_visum_are_refused(people):
    pelaksana, direktur = people["pelaksana"], people["direktur"]
    other = file(people["analis"])
    cases = [({"topic": "GOSIP", "visum": file(pelaksana)}, "topic"), ({"topic": "VISUM"}, "visum_id"),
             ({"topic": "VISUM", "visum": other}, "visum_id")]
    for kwargs, field in cases:
        with pytest.raises(PlanningRuleError) as caught:
            feedback.post_feedback(direktur, pelaksana, body="x", **kwargs)
        assert caught.value.field == field and caught.value.http_status == 400


def test_a_parent_about_someone_else_is_refused(people):
    root = post(people["direktur"], people["analis"], topic="VISUM", visum=file(people["analis"]))
    with pytest.raises(PlanningRuleError) as caught:
        feedback.post_feedback(people["direktur"], people["pelaksana"], body="x", parent=root)
    assert caught.value.code == "NOT_HIS_THREAD"


def test_feedback_on_a_closed_week_is_fine(people):
    visum = file(people["pelaksana"])
    item = feedback.post_feedback(people["direktur"], people["pelaksana"], body="Minggu lalu baik.", topic="VISUM",
                                  visum=visum, now=AFTER_CLOSE)
    reply = feedback.post_feedback(people["pelaksana"], people["pelaksana"], body="Terima kasih.", parent=item,
                                   now=AFTER_CLOSE)
    db.session.commit()
    assert item.id and reply.parent_id == item.id


def test_threads_of_an_employee_and_counts_per_visum(people):
    pelaksana, direktur = people["pelaksana"], people["direktur"]
    first, second = file(pelaksana), file(pelaksana, date(2026, 1, 14))
    root = post(direktur, pelaksana, topic="VISUM", visum=first)
    post(pelaksana, pelaksana, parent=root, body="Baik.")
    post(direktur, pelaksana, topic="PERILAKU", perilaku="ADAPTIF")
    post(direktur, people["analis"], topic="PERILAKU", perilaku="ADAPTIF")
    threads, pages = feedback.employee_threads(pelaksana)
    assert pages == 1 and [t.topic for t in threads] == ["PERILAKU", "VISUM"]
    assert feedback.feedback_counts([first.id, second.id]) == {first.id: 2}
    assert feedback.feedback_counts([]) == {}
    page, pages = feedback.employee_threads(pelaksana, page=2, per_page=1)
    assert pages == 2 and [t.topic for t in page] == ["VISUM"]
