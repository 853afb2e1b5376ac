"""Hotline tickets: through every level, overdue escalation, the reporter's identity, links to intake and review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from doudi.audit.models import AuditEvent
from doudi.core.errors import NotFoundOrForbidden
from doudi.hotline import services
from doudi.hotline.choices import Channel, Status, TicketKind
from doudi.hotline.errors import HotlineError
from doudi.hotline.models import Ticket
from doudi.hotline.selectors import caller_shown, escalated_to_me, ticket_list
from doudi.hotline.services import TicketInput
from doudi.hotline.services.escalation import ticket_escalate_overdue
from tests import factories as f
from tests.reviews.conftest import entitlement


@pytest.fixture
def staff(tree, people):
    return {
        "province": f.user("prov", (tree.province, "civil_affairs")),
        "city": f.user("city", (tree.city, "civil_affairs")),
        "county": people.county,
        "township": people.owner,
    }


def _ticket(actor, region, kind=TicketKind.HELP, **kw) -> Ticket:
    return services.ticket_create(actor=actor, data=TicketInput(
        kind=kind, channel=kw.pop("channel", Channel.PHONE), summary=kw.pop("summary", "家中老人生病，生活困难"),
        region=region, caller_name=kw.pop("caller_name", "王小明"), caller_phone=kw.pop("caller_phone", "13812345678"),
        **kw))


def test_a_ticket_goes_down_every_level_and_one_answer_goes_back(tree, staff):
    t = _ticket(staff["province"], tree.province, channel=Channel.PLATFORM_12345)
    assert t.status == Status.RECEIVED and t.resolution_due > t.acknowledge_due
    for actor, target in ((staff["province"], tree.city), (staff["city"], tree.county),
                          (staff["county"], tree.town_a)):
        t = services.ticket_transfer(actor=actor, ticket=t, to_region=target, reason="属地办理")
        assert t.region == target and t.status == Status.RECEIVED
    with pytest.raises(NotFoundOrForbidden):  # the province's caseworker of another township cannot act
        services.ticket_accept(actor=f.user("x", (tree.town_b, "township_caseworker")), ticket=t)
    t = services.ticket_accept(actor=staff["township"], ticket=t)
    t = services.ticket_respond(actor=staff["township"], ticket=t, text="已安排入户了解")
    t = services.ticket_resolve(actor=staff["township"], ticket=t, reply="已为您家办理临时救助申请")
    t = services.ticket_callback(actor=staff["township"], ticket=t, satisfaction="satisfied")
    assert t.status == Status.CLOSED and t.reply == "已为您家办理临时救助申请"
    kinds = list(t.events.values_list("kind", flat=True))
    assert kinds.count("transferred") == 3 and kinds[-1] == "callback"
    # every level above still sees it; the other township does not
    assert t in ticket_list(actor=staff["city"]) and t not in ticket_list(actor=f.user("y", (tree.town_b,
                                                                                             "township_caseworker")))


def test_an_unsatisfied_caller_reopens_the_ticket(tree, staff):
    t = _ticket(staff["township"], tree.town_a)
    services.ticket_accept(actor=staff["township"], ticket=t)
    services.ticket_resolve(actor=staff["township"], ticket=t, reply="答复")
    t = services.ticket_callback(actor=staff["township"], ticket=t, satisfaction="unsatisfied", note="没解决")
    assert t.status == Status.ACCEPTED and t.satisfaction == "unsatisfied"


def test_time_limits_come_from_the_profile(tree, staff):
    from doudi.core.workdays import add_working_days

    t = _ticket(staff["township"], tree.town_a, kind=TicketKind.COMPLAINT)
    today = timezone.localdate()
    # national profile: complaint acknowledge 1, response 3, resolution 15 working days (illustrative values)
    assert t.acknowledge_due == add_working_days(today, 1)
    assert t.resolution_due == add_working_days(t.acknowledge_due, 15)
    urgent = _ticket(staff["township"], tree.town_a, kind=TicketKind.HELP, urgent=True)
    assert urgent.resolution_due == today  # 紧急求助 same day


def test_overdue_tickets_escalate_one_level_per_missed_stage_and_only_once(tree, staff):
    t = _ticket(staff["township"], tree.town_a)
    later = t.acknowledge_due + dt.timedelta(days=1)
    assert ticket_escalate_overdue(today=later) == 1
    t.refresh_from_db()
    assert t.escalated_to == tree.county
    assert ticket_escalate_overdue(today=later) == 0  # a re-run the same day changes nothing
    assert t in escalated_to_me(actor=staff["county"])
    far = t.resolution_due + dt.timedelta(days=1)
    ticket_escalate_overdue(today=far)
    t.refresh_from_db()
    assert t.escalated_to == tree.province  # receipt, first answer and resolution all missed: three levels up
    assert t.region == tree.town_a, "escalation watches from above; the township still handles it"
    services.ticket_accept(actor=staff["township"], ticket=t)
    services.ticket_resolve(actor=staff["township"], ticket=t, reply="已办结")
    assert ticket_escalate_overdue(today=far + dt.timedelta(days=30)) == 0


def test_a_reporters_identity_is_never_shown_to_the_reported_persons_area(tree, staff, people):
    hh = f.household(tree.village_a, members=2)
    ent = entitlement(hh)
    t = _ticket(staff["county"], tree.county, kind=TicketKind.REPORT, caller_name="李举报",
                caller_phone="13900001111", summary="李举报反映：该户有人在外务工收入高，电话13900001111")
    services.ticket_accept(actor=staff["county"], ticket=t)
    t.refresh_from_db()
    assert caller_shown(t, user=staff["county"]) != "（举报人、投诉人信息已保密）"
    assert services.caller_reveal(actor=staff["county"], ticket=t) == ("李举报", "13900001111")
    # the township where the reported household lives: the ticket's content may reach it, the reporter never
    township = people.owner
    assert "李举报" not in caller_shown(t, user=township)
    with pytest.raises(NotFoundOrForbidden):
        services.caller_reveal(actor=township, ticket=t)
    task = services.ticket_open_review(actor=staff["county"], ticket=t, entitlement=ent)
    assert "李举报" not in task.note and "13900001111" not in task.note
    assert task.household_id == hh.pk
    for e in AuditEvent.objects.all():
        text = f"{e.object_repr}{e.changes}{e.reason}"
        assert "李举报" not in text and "13900001111" not in text


def test_a_complaint_about_a_caseworker_goes_to_the_level_above(tree, staff, people):
    t = _ticket(staff["county"], tree.town_a, kind=TicketKind.COMPLAINT, subject_staff=people.owner,
                summary="经办人员态度差")
    assert t.region == tree.county
    assert t not in ticket_list(actor=people.owner), "the caseworker complained about does not see it"


def test_a_help_request_becomes_an_application(tree, staff):
    hh = f.household(tree.village_a, members=2)
    t = _ticket(staff["township"], tree.town_a)
    with pytest.raises(HotlineError):
        services.ticket_to_application(actor=staff["township"], ticket=t, applicant=hh.memberships.first().person,
                                       programs=["dibao"])
    services.ticket_link(actor=staff["township"], ticket=t, household=hh)
    app = services.ticket_to_application(actor=staff["township"], ticket=t,
                                         applicant=hh.memberships.first().person, programs=["dibao"])
    t.refresh_from_db()
    assert app.channel == "hotline" and t.number in app.statement and t.application == app and t.case is not None


def test_bad_input_gets_a_chinese_error_and_writes_nothing(tree, staff):
    with pytest.raises(HotlineError) as e:
        _ticket(staff["township"], tree.town_a, summary="  ")
    assert "诉求内容" in e.value.message
    with pytest.raises(NotFoundOrForbidden):
        _ticket(staff["township"], tree.town_b)
    assert not Ticket.objects.exists()


def test_public_submission_needs_no_login_and_lands_in_the_township(tree):
    t = services.ticket_submit_public(data=TicketInput(kind=TicketKind.CONSULTATION, channel=Channel.PHONE,
                                                       summary="低保怎么申请？", region=tree.town_a))
    assert t.channel == Channel.WEB and t.region == tree.town_a and t.created_by is None


def test_12345_import_is_all_or_nothing_and_idempotent(tree, staff):
    header = "工单编号,诉求类型,诉求人,联系电话,诉求内容,承办区划代码,是否紧急\n"
    good = f"GD001,求助,赵六,13700000000,生活困难,{tree.town_a.code},否\nGD002,咨询,,,怎么申请,{tree.town_a.code},否\n"
    bad = header + good + f"GD003,表扬,钱七,1,好,{tree.town_a.code},否\n"
    with pytest.raises(HotlineError) as e:
        services.ticket_import_12345(actor=staff["county"], content=bad.encode(), filename="a.csv")
    assert "第4行" in e.value.message and not Ticket.objects.exists()
    r = services.ticket_import_12345(actor=staff["county"], content=(header + good).encode("utf-8-sig"),
                                     filename="a.csv")
    assert len(r.created) == 2 and r.created[1].anonymous
    again = services.ticket_import_12345(actor=staff["county"], content=(header + good).encode(), filename="a.csv")
    assert again.skipped == 2 and Ticket.objects.count() == 2


def test_the_escalate_command_is_safe_to_rerun(tree, staff):
    import io

    from django.core.management import call_command

    t = _ticket(staff["township"], tree.town_a)
    later = (t.acknowledge_due + dt.timedelta(days=1)).isoformat()
    out = io.StringIO()
    call_command("hotline", "escalate", "--day", later, stdout=out)
    call_command("hotline", "escalate", "--day", later, stdout=out)
    assert out.getvalue().splitlines() == ["督办 1 件超期工单", "督办 0 件超期工单"]


def test_hotline_limits_are_profile_data_but_not_engine_parameters():
    from doudi.policy.loader import load_profile

    profile = load_profile("national")
    day = dt.date(2026, 6, 1)
    assert "procedure.hotline.complaint.resolution_workdays" in profile.entries
    params = profile.params_as_of(day)
    assert not any(k.startswith(("procedure.hotline.", "procedure.inspection.")) for k in params.values), \
        "tuning a hotline limit must not change the version stored with an eligibility decision"
    assert "procedure.notice_days" in params.values
