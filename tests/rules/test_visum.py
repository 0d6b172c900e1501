"""Visum rules (kinerja.rules.visum): channel, February gate, completeness, approval, reminders."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.calendar import working_days
from kinerja.rules.planning import NotAllowed, PlanningRuleError, WrongState
from kinerja.rules.visum import (
    APPROVAL_LIMIT,
    VISUM_ACTION_LABELS,
    VISUM_CHANNEL_LABELS,
    VISUM_FLOW,
    VISUM_STATUS_LABELS,
    GateRefusal,
    VisumAction,
    VisumChannel,
    VisumStatus,
    WeeklyCompleteness,
    allowed_visum_actions,
    approval_overdue,
    approval_waiting_days,
    can_approve_visum,
    ensure_can_approve_visum,
    ensure_visum_deletable,
    ensure_visum_gate,
    gate_in_force,
    is_penyuluh_kb_name,
    sync_date,
    visum_channel,
    visum_gate,
    visum_transition,
    weekly_completeness,
)
from kinerja.rules.vocabulary import Jenjang
from kinerja.rules.week import is_visum_writable, local_date

D = date.fromisoformat


# --- channel ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("jenjang", "jf_name", "channel"), [
    ("JF", "Penyuluh KB", "E-VISUM"),
    ("JF", "Penyuluh KB Ahli Muda", "E-VISUM"),
    ("JF", "Penyuluh KB Terampil", "E-VISUM"),
    ("JF", "penyuluh  kb ahli pertama", "E-VISUM"),
    ("JF", "Penyuluh K.B. Penyelia", "E-VISUM"),
    ("JF", "Penyuluh Keluarga Berencana Ahli Madya", "E-VISUM"),
    ("JF", "  Penyuluh KB  ", "E-VISUM"),
    ("JF_UTAMA", "Penyuluh KB Ahli Utama", "E-VISUM"),
    (Jenjang.JF, "Penyuluh KB", VisumChannel.E_VISUM),
    ("PPPK_PENYULUH_KB", "Penyuluh KB", "E-VISUM"),
    ("PPPK_PENYULUH_KB", None, "E-VISUM"),
    ("PLKB", "", "E-VISUM"),
    ("PLKB", None, "E-VISUM"),
    ("JF", "Pranata Humas", "SIVIKA"),
    ("JF", "Penyuluh Kesehatan Masyarakat", "SIVIKA"),
    ("JF", "Penyuluh Pertanian", "SIVIKA"),
    ("JF", "Penyuluh KBX", "SIVIKA"),
    ("JF", "Analis Kebijakan", "SIVIKA"),
    ("JF", None, "SIVIKA"),
    ("JF", "", "SIVIKA"),
    ("PELAKSANA", "Penyuluh KB", "SIVIKA"),  # jf_name counts for JF only (it is empty for others)
    ("PELAKSANA", None, "SIVIKA"),
    ("PENGAWAS", None, "SIVIKA"),
    ("ADMINISTRATOR", None, "SIVIKA"),
    ("KEPALA_PERWAKILAN", None, "SIVIKA"),
    ("JPT_PRATAMA", None, "SIVIKA"),
    ("JPT_MADYA", None, "SIVIKA"),
    ("KEPALA", None, "SIVIKA"),
])
def test_visum_channel(jenjang, jf_name, channel):
    result = visum_channel(jenjang, jf_name)
    assert result == channel
    assert isinstance(result, VisumChannel)


def test_channel_words_and_labels():
    assert VisumChannel.E_VISUM.value == "E-VISUM"
    assert VisumChannel.SIVIKA.value == "SIVIKA"
    assert VISUM_CHANNEL_LABELS[VisumChannel.E_VISUM] == "E-Visum"
    assert set(VISUM_CHANNEL_LABELS) == set(VisumChannel)


def test_channel_of_an_unknown_jenjang_is_refused():
    with pytest.raises(PlanningRuleError) as caught:
        visum_channel("PENYULUH", "Penyuluh KB")
    assert (caught.value.code, caught.value.field) == ("UNKNOWN_VALUE", "jenjang")


def test_penyuluh_kb_name():
    assert is_penyuluh_kb_name("Penyuluh KB Ahli Madya")
    assert not is_penyuluh_kb_name(None)
    assert not is_penyuluh_kb_name("Penyuluh Agama")


# --- February gate ------------------------------------------------------------------------------

Y = 2026
SYNC = D("2026-02-06")  # a Friday


def gate(day, today, *, skp=True, iki=True, period=None, sync_day=(2, 6)):
    return visum_gate(D(day), D(today), has_approved_skp=skp, iki_in_skp=iki, skp_period=period, sync_day=sync_day)


def test_sync_date_and_when_the_gate_is_in_force():
    assert sync_date(Y) == SYNC
    assert sync_date(Y, (3, 1)) == D("2026-03-01")
    assert not gate_in_force(D("2026-02-05"), D("2026-02-05"))
    assert gate_in_force(D("2026-02-06"), D("2026-02-06"))
    assert gate_in_force(D("2026-01-30"), D("2026-02-06"))  # decided by the filing date
    assert not gate_in_force(D("2026-01-30"), D("2026-02-05"))
    assert gate_in_force(D("2025-12-31"), D("2026-01-02"))  # a 2025 visum: the 2025 gate is long in force


@pytest.mark.parametrize(("day", "today"), [
    ("2026-01-05", "2026-01-05"),
    ("2026-01-30", "2026-02-01"),
    ("2026-02-02", "2026-02-05"),  # before the sync day any visum may wait for its IKI
    ("2026-02-05", "2026-02-05"),
])
def test_without_skp_before_the_sync_day_a_visum_without_iki_is_allowed(day, today):
    assert gate(day, today, skp=False, iki=None) is None


@pytest.mark.parametrize(("day", "today"), [
    ("2026-02-06", "2026-02-06"),
    ("2026-02-05", "2026-02-06"),  # Thursday's visum filed on Friday the 6th
    ("2026-01-30", "2026-02-06"),  # a January visum filed from the sync day on (e.g. a reopened week)
    ("2026-07-15", "2026-07-15"),
    ("2026-12-31", "2027-01-02"),  # a 2026 visum filed in January 2027: the 2026 gate holds
])
def test_without_approved_skp_from_the_sync_day_filing_is_403(day, today):
    refusal = gate(day, today, skp=False, iki=None)
    assert isinstance(refusal, GateRefusal)
    assert (refusal.code, refusal.http_status) == ("NO_APPROVED_SKP", 403)
    assert f"SKP tahun {D(day).year}" in refusal.message
    assert "6 Februari" in refusal.message
    assert gate(day, today, skp=False, iki=False).code == "NO_APPROVED_SKP"


def test_from_the_sync_day_an_iki_is_required():
    refusal = gate("2026-02-06", "2026-02-06", skp=True, iki=None)
    assert (refusal.code, refusal.field, refusal.http_status) == ("IKI_REQUIRED", "iki_id", 403)
    assert gate("2026-02-06", "2026-02-06", skp=True, iki=True) is None
    assert gate("2026-01-30", "2026-02-06", skp=True, iki=True) is None


def test_an_skp_approved_later_is_usable_from_its_approval():
    # Blocked on 10 March; approved on 11 March: the same day's visum is then accepted.
    assert gate("2026-03-10", "2026-03-10", skp=False, iki=None).code == "NO_APPROVED_SKP"
    assert gate("2026-03-11", "2026-03-11", skp=True, iki=True) is None


def test_the_iki_must_be_in_the_approved_skp_at_any_time():
    for today in ("2026-01-10", "2026-02-10"):
        refusal = gate(today, today, skp=True, iki=False)
        assert (refusal.code, refusal.field, refusal.http_status) == ("IKI_NOT_IN_SKP", "iki_id", 403)
    # In January, an IKI given without any approved SKP cannot be in one.
    assert gate("2026-01-10", "2026-01-10", skp=False, iki=False).code == "IKI_NOT_IN_SKP"
    assert gate("2026-01-10", "2026-01-10", skp=False, iki=True).code == "IKI_NOT_IN_SKP"
    # In January, an approved SKP's IKI may already be used.
    assert gate("2026-01-10", "2026-01-10", skp=True, iki=True) is None


def test_a_date_the_skp_period_does_not_cover_is_refused():
    period = (D("2026-07-01"), D("2026-12-31"))  # new position from July
    refusal = gate("2026-06-30", "2026-07-01", period=period)
    assert (refusal.code, refusal.field, refusal.http_status) == ("OUTSIDE_SKP_PERIOD", "date", 403)
    assert "01-07-2026 s.d. 31-12-2026" in refusal.message
    assert gate("2026-07-01", "2026-07-01", period=period) is None
    assert gate("2026-12-31", "2027-01-02", period=period) is None
    short = (D("2026-01-01"), D("2026-06-30"))  # cuti of a year or more from July
    assert gate("2026-07-01", "2026-07-02", period=short).code == "OUTSIDE_SKP_PERIOD"
    # Before the sync day with no IKI nothing links the visum to the SKP: no period check.
    assert gate("2026-01-10", "2026-01-12", iki=None, period=(D("2026-03-01"), D("2026-12-31"))) is None


@pytest.mark.parametrize(("day", "today"), [("2026-02-09", "2026-02-08"), ("2027-01-01", "2026-12-31"),
                                            ("2026-01-06", "2026-01-05")])
def test_a_future_date_is_refused_first(day, today):
    for skp, iki in [(True, True), (False, None), (True, False)]:
        refusal = gate(day, today, skp=skp, iki=iki)
        assert (refusal.code, refusal.field, refusal.http_status) == ("DATE_IN_FUTURE", "date", 400)


def test_today_is_the_employees_local_today():
    # 15:30 UTC on Sunday 8 February is Monday 00:30 in WIT: Monday's visum may be filed there, not in WIB.
    now = datetime(2026, 2, 8, 15, 30, tzinfo=UTC)
    monday = D("2026-02-09")
    assert gate("2026-02-09", local_date(now, "Asia/Jayapura").isoformat()) is None
    assert gate("2026-02-09", local_date(now, "Asia/Jakarta").isoformat()).code == "DATE_IN_FUTURE"
    # A Sunday visum at 23:59 WIB is in a closed week; Monday's is in an open week but still in the future.
    sunday_2359 = datetime(2026, 2, 8, 23, 59, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert not is_visum_writable(D("2026-02-08"), sunday_2359, "Asia/Jakarta")
    assert is_visum_writable(monday, sunday_2359, "Asia/Jakarta")
    assert gate("2026-02-09", local_date(sunday_2359, "Asia/Jakarta").isoformat()).code == "DATE_IN_FUTURE"


def test_weekend_visum_pass_the_gate():
    assert gate("2026-02-07", "2026-02-08") is None  # Saturday
    assert gate("2026-02-08", "2026-02-08") is None  # Sunday


def test_configurable_sync_day():
    assert gate("2026-02-20", "2026-02-20", skp=False, iki=None, sync_day=(3, 1)) is None
    assert gate("2026-03-01", "2026-03-01", skp=False, iki=None, sync_day=(3, 1)).code == "NO_APPROVED_SKP"
    assert gate("2026-01-20", "2026-01-20", skp=False, iki=None, sync_day=(1, 15)).code == "NO_APPROVED_SKP"


def test_ensure_visum_gate_raises_the_matching_error():
    ensure_visum_gate(D("2026-02-10"), D("2026-02-10"), has_approved_skp=True, iki_in_skp=True)
    with pytest.raises(NotAllowed) as caught:
        ensure_visum_gate(D("2026-02-10"), D("2026-02-10"), has_approved_skp=False, iki_in_skp=None)
    assert (caught.value.http_status, caught.value.code, caught.value.field) == (403, "NO_APPROVED_SKP", "date")
    with pytest.raises(PlanningRuleError) as caught:
        ensure_visum_gate(D("2026-02-11"), D("2026-02-10"), has_approved_skp=True, iki_in_skp=True)
    assert not isinstance(caught.value, NotAllowed)
    assert (caught.value.http_status, caught.value.code) == (400, "DATE_IN_FUTURE")


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)), st.integers(0, 400),
       st.booleans(), st.sampled_from([None, True, False]))
def test_gate_properties(day, late, has_skp, iki):
    today = day + timedelta(days=late)
    refusal = visum_gate(day, today, has_approved_skp=has_skp, iki_in_skp=iki)
    gated = today >= date(day.year, 2, 6)
    # Allowed exactly when: (no IKI and before the sync day) or (approved SKP and its IKI).
    allowed = (iki is None and not gated) or (has_skp and iki is True)
    assert (refusal is None) is allowed
    if refusal is not None:
        assert refusal.http_status == 403 and refusal.message


# --- weekly completeness ------------------------------------------------------------------------

MON = D("2026-02-02")
WEEK = [MON + timedelta(days=n) for n in range(7)]  # Mon 2 .. Sun 8 February 2026


def test_a_full_week():
    result = weekly_completeness(MON, set(WEEK[:5]))
    assert result == WeeklyCompleteness(5, 5, [], 100.0)
    assert result.filed == 5 and result.percent == 100.0


def test_missing_days_in_order():
    filed, expected, missing, percent = weekly_completeness(MON, {WEEK[0], WEEK[3]})
    assert (filed, expected, missing) == (2, 5, [WEEK[1], WEEK[2], WEEK[4]])
    assert percent == pytest.approx(40.0)


def test_weekend_visum_are_allowed_but_not_counted():
    result = weekly_completeness(MON, {WEEK[5], WEEK[6], WEEK[0]})
    assert (result.filed, result.expected, len(result.missing)) == (1, 5, 4)
    assert weekly_completeness(MON, {WEEK[5], WEEK[6]}).percent == 0.0


def test_holidays_and_cuti_are_not_expected():
    holidays = {D("2026-02-04")}
    leave = {D("2026-02-05"), D("2026-02-06"), D("2026-02-07")}  # cuti over a Saturday changes nothing more
    result = weekly_completeness(MON, {WEEK[0]}, holidays, leave)
    assert (result.filed, result.expected, result.missing) == (1, 2, [WEEK[1]])
    assert result.percent == 50.0
    # A visum on a holiday or on cuti is allowed and not counted.
    result = weekly_completeness(MON, {WEEK[2], WEEK[3]}, holidays, leave)
    assert (result.filed, result.expected) == (0, 2)


def test_a_week_with_nothing_expected_is_complete():
    result = weekly_completeness(MON, set(), leave_days=set(WEEK[:5]))
    assert result == WeeklyCompleteness(0, 0, [], 100.0)


def test_visum_of_other_weeks_are_ignored():
    result = weekly_completeness(MON, {D("2026-01-30"), D("2026-02-09"), WEEK[1]})
    assert (result.filed, result.expected) == (1, 5)


def test_the_running_week_counts_up_to_today():
    result = weekly_completeness(MON, {WEEK[0]}, until=WEEK[2])
    assert (result.filed, result.expected, result.missing) == (1, 3, [WEEK[1], WEEK[2]])
    assert weekly_completeness(MON, set(), until=MON - timedelta(days=1)) == WeeklyCompleteness(0, 0, [], 100.0)
    assert weekly_completeness(MON, set(WEEK[:5]), until=WEEK[6]).percent == 100.0


def test_week_start_must_be_a_monday():
    with pytest.raises(PlanningRuleError) as caught:
        weekly_completeness(WEEK[2], set())
    assert (caught.value.code, caught.value.field) == ("NOT_A_MONDAY", "week_start")


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
       st.sets(st.integers(0, 6)), st.sets(st.integers(0, 6)), st.sets(st.integers(0, 6)))
def test_completeness_adds_up(day, filed_offsets, holiday_offsets, leave_offsets):
    monday = day - timedelta(days=day.weekday())

    def days(offsets):
        return {monday + timedelta(days=n) for n in offsets}

    holidays, leave = days(holiday_offsets), days(leave_offsets)
    result = weekly_completeness(monday, days(filed_offsets), holidays, leave)
    assert result.filed + len(result.missing) == result.expected
    assert result.expected == working_days(monday, monday + timedelta(days=6), holidays) - len(
        {d for d in leave if d.weekday() < 5 and d not in holidays})
    assert all(d.weekday() < 5 and d not in holidays and d not in leave for d in result.missing)
    assert 0.0 <= result.percent <= 100.0
    assert result.missing == sorted(result.missing)


# --- approval -----------------------------------------------------------------------------------

def test_only_the_current_assessor_or_his_acting_official_approves():
    assert can_approve_visum(10, 1, {10})
    assert can_approve_visum(11, 1, {10, 11})  # PLT/PLH of the assessor
    assert not can_approve_visum(12, 1, {10, 11})  # a former assessor or a colleague
    assert not can_approve_visum(10, 1, set())  # vacant post, nobody acting
    assert not can_approve_visum(1, 1, {1, 10})  # never his own, even as PLT of his own assessor's post


def test_ensure_can_approve_visum_errors():
    ensure_can_approve_visum(10, 1, {10})
    with pytest.raises(NotAllowed) as caught:
        ensure_can_approve_visum(1, 1, {1})
    assert (caught.value.http_status, caught.value.code) == (403, "OWN_VISUM")
    with pytest.raises(NotAllowed) as caught:
        ensure_can_approve_visum(12, 1, {10})
    assert (caught.value.http_status, caught.value.code) == (403, "NOT_ASSESSOR")


@pytest.mark.parametrize(("status", "action", "reason", "expected"), [
    ("SUBMITTED", "APPROVE", None, "APPROVED"),
    ("SUBMITTED", "RETURN", "Bukti dukung belum dilampirkan", "RETURNED"),
    ("SUBMITTED", "EDIT", None, "SUBMITTED"),
    ("RETURNED", "EDIT", None, "SUBMITTED"),
    (VisumStatus.SUBMITTED, VisumAction.APPROVE, None, VisumStatus.APPROVED),
])
def test_visum_transitions(status, action, reason, expected):
    result = visum_transition(status, action, reason)
    assert result == expected
    assert isinstance(result, VisumStatus)


@pytest.mark.parametrize(("status", "action"), [
    ("APPROVED", "APPROVE"),  # a double click or a second assessor: the service treats it as done
    ("APPROVED", "RETURN"),
    ("APPROVED", "EDIT"),  # approved is final, even while the week is open
    ("RETURNED", "APPROVE"),  # the employee edits first
    ("RETURNED", "RETURN"),
])
def test_wrong_state_is_409(status, action):
    with pytest.raises(WrongState) as caught:
        visum_transition(status, action, "alasan")
    assert (caught.value.http_status, caught.value.code, caught.value.field) == (409, "WRONG_STATE", "status")


@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_return_needs_a_reason(reason):
    with pytest.raises(PlanningRuleError) as caught:
        visum_transition("SUBMITTED", "RETURN", reason)
    assert (caught.value.http_status, caught.value.code, caught.value.field) == (400, "REASON_REQUIRED", "reason")


def test_state_is_checked_before_the_reason():
    with pytest.raises(WrongState):
        visum_transition("APPROVED", "RETURN", None)


@pytest.mark.parametrize(("status", "action", "field"), [("DRAFT", "EDIT", "status"), ("SUBMITTED", "DELETE", "action"),
                                                         ("submitted", "APPROVE", "status")])
def test_unknown_words_are_400(status, action, field):
    with pytest.raises(PlanningRuleError) as caught:
        visum_transition(status, action)
    assert (caught.value.http_status, caught.value.code, caught.value.field) == (400, "UNKNOWN_VALUE", field)


def test_allowed_actions_match_the_flow():
    assert allowed_visum_actions("SUBMITTED") == {VisumAction.APPROVE, VisumAction.RETURN, VisumAction.EDIT}
    assert allowed_visum_actions("RETURNED") == {VisumAction.EDIT}
    assert allowed_visum_actions("APPROVED") == frozenset()
    for status in VisumStatus:
        for action in VisumAction:
            try:
                visum_transition(status, action, "alasan")
            except WrongState:
                assert action not in allowed_visum_actions(status)
            else:
                assert action in allowed_visum_actions(status)


def test_delete_only_before_approval():
    ensure_visum_deletable("SUBMITTED")
    ensure_visum_deletable(VisumStatus.RETURNED)
    with pytest.raises(WrongState) as caught:
        ensure_visum_deletable("APPROVED")
    assert caught.value.code == "WRONG_STATE"
    with pytest.raises(PlanningRuleError):
        ensure_visum_deletable("GONE")


def test_words_and_labels_cover_every_member():
    assert [s.value for s in VisumStatus] == ["SUBMITTED", "APPROVED", "RETURNED"]
    assert set(VISUM_STATUS_LABELS) == set(VisumStatus)
    assert set(VISUM_ACTION_LABELS) == set(VisumAction) == set(VISUM_FLOW)


# --- reminders ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("submitted", "today", "waiting", "overdue"), [
    ("2026-02-02", "2026-02-02", 0, False),  # Monday, same day
    ("2026-02-02", "2026-02-05", 3, False),  # Thursday: 3 working days
    ("2026-02-02", "2026-02-06", 4, True),  # Friday: more than 3
    ("2026-02-06", "2026-02-09", 1, False),  # Friday -> Monday: the weekend does not count
    ("2026-02-06", "2026-02-11", 3, False),
    ("2026-02-06", "2026-02-12", 4, True),
    ("2026-02-07", "2026-02-11", 3, False),  # filed on Saturday
    ("2026-02-07", "2026-02-12", 4, True),
    ("2026-02-05", "2026-02-01", 0, False),  # today before submission (bad clock): never overdue
])
def test_approval_overdue(submitted, today, waiting, overdue):
    assert approval_waiting_days(D(submitted), D(today)) == waiting
    assert approval_overdue(D(submitted), D(today)) is overdue


def test_approval_overdue_skips_holidays_and_takes_a_limit():
    holidays = {D("2026-02-17")}  # Tuesday
    assert not approval_overdue(D("2026-02-16"), D("2026-02-19"), holidays)  # Wed, Thu = 2
    assert not approval_overdue(D("2026-02-16"), D("2026-02-20"), holidays)  # 3
    assert approval_overdue(D("2026-02-16"), D("2026-02-23"), holidays)  # 4
    assert approval_overdue(D("2026-02-16"), D("2026-02-18"), limit=1)
    assert not approval_overdue(D("2026-02-16"), D("2026-02-17"), limit=1)
    assert APPROVAL_LIMIT == 3
