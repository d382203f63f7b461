"""Requests for discussion (T&P Appendix 1): named with consent, anonymous without, from the
front door; the coordinators' decisions."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited_writes
from earlyhelp.forums import requesting
from earlyhelp.forums.models import ForumMember, RequestForDiscussion
from tests import forums_world as world_of
from tests.factories import a_referral, contact_received

pytestmark = pytest.mark.django_db
Status = RequestForDiscussion.Status


@pytest.fixture
def world(authority, forum_coordinator, business_support, alice, frameworks):
    return world_of.forum_world(
        authority, coordinator=forum_coordinator, business_support=business_support, core=alice, accepted=False
    )


def problems_of(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def test_a_named_request_keeps_every_part_of_the_form_and_is_audited(world):
    request = world.named_case
    assert request.consent_given
    assert not request.is_anonymous
    assert request.child_name == "Maya Lewis"
    assert request.school == "Kingsthorpe Primary School"
    assert request.consent_given_by == "Her mother, Jo Lewis"
    assert request.status == Status.SUBMITTED
    assert request.reference == f"FD{request.pk:06d}"
    assert [a.name for a in request.not_shared_with.all()] == ["Northamptonshire Police"]
    assert AuditEvent.objects.filter(target_type="forums.requestfordiscussion", target_id=request.pk).exists()


def test_an_anonymous_request_refuses_every_identifying_field(world):
    details = world_of.details(
        world.requester,
        child_name="Maya",
        address="3 Kingsley Road",
        school="Kingsthorpe",
        date_of_birth=timezone.localdate() - timedelta(days=3000),
        consent_given_by="Mum",
    )
    with pytest.raises(ValidationError) as refused:
        requesting.request_submit(actor=world.requester, forum=world.forum, details=details)
    problems = problems_of(refused.value)
    for name in ("child_name", "address", "school", "date_of_birth", "consent_given_by"):
        assert problems[name][0].startswith("Leave this empty: without the family's consent")
    assert RequestForDiscussion.objects.count() == 3


def test_the_database_itself_cannot_hold_an_identifying_field_on_an_anonymous_case(world):
    with pytest.raises(IntegrityError), transaction.atomic(), audited_writes():
        RequestForDiscussion.objects.create(
            forum=world.forum, consent_given=False, child_name="Maya", summary="x", barrier="y"
        )


def test_identifying_words_in_an_anonymous_case_are_refused_until_the_requester_confirms(world):
    details = world_of.details(world.requester, summary="Jack lives at NN2 7AL and was born 3/4/2018")
    with pytest.raises(ValidationError) as refused:
        requesting.request_submit(actor=world.requester, forum=world.forum, details=details)
    assert "checked_for_identifying_words" in problems_of(refused.value)
    assert [len(found) for found in requesting.identifying_warnings(details).values()] == [3]
    confirmed = world_of.details(
        world.requester, summary="Jack lives at NN2 7AL and was born 3/4/2018", checked_for_identifying_words=True
    )
    assert requesting.request_submit(actor=world.requester, forum=world.forum, details=confirmed).is_anonymous


def test_a_named_case_is_not_checked_for_identifying_words(world):
    details = world_of.named(world.requester, summary="Maya's mum, Mrs Lewis, says she was born 4/5/2017")
    assert requesting.identifying_warnings(details) == {}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"requester_name": " "}, "requester_name", "Enter your name"),
        ({"requester_email": ""}, "requester_email", "Enter your email address, so the coordinator can reply"),
        ({"summary": ""}, "summary", "Give a brief overview of the main issues"),
        ({"barrier": ""}, "barrier", "Say what is stuck: the barrier to address or the resolution you need"),
        ({"about": ""}, "about", "Say whether the request is about a child, a young person or a family"),
        ({"consent_given": None}, "consent_given", "Say whether the family has agreed to be discussed by name"),
        ({"presenting_issues": []}, "presenting_issues", "Choose at least one presenting issue"),
        ({"presenting_issues": ["made_up"]}, "presenting_issues", "Choose the presenting issues from the list"),
        (
            {"level_of_need": None},
            "level_of_need",
            "Choose the level of need, or tick what you know in the Vulnerability Matrix",
        ),
        ({"level_of_need": 5}, "level_of_need", "Choose a level of need from 1 to 4"),
        ({"caf_completed": None}, "caf_completed", "Say whether a CAF has been completed"),
        ({"kind": "gossip"}, "kind", "Say whether this is about a family or a community issue"),
        (
            {"level_of_need": None, "indicators": ["no-such-indicator"]},
            "level_of_need",
            "Tick indicators from the Vulnerability Matrix only",
        ),
    ],
)
def test_each_missing_or_wrong_answer_is_named_beside_its_field(world, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        requesting.request_submit(
            actor=world.requester, forum=world.forum, details=world_of.details(world.requester, **changes)
        )
    assert problems_of(refused.value)[field] == [message]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"child_name": ""}, "child_name", "Enter the name of the child, young person or family"),
        ({"consent_given_by": ""}, "consent_given_by", "Enter who gave consent"),
        ({"consent_given_on": None}, "consent_given_on", "Enter the date consent was given"),
        ({"consent_how": ""}, "consent_how", "Say how consent was given: the signed form, or by phone"),
    ],
)
def test_a_named_case_says_whose_consent_and_when(world, changes, field, message):
    details = world_of.named(world.requester)
    details = requesting.RequestDetails(**(details.__dict__ | changes))
    with pytest.raises(ValidationError) as refused:
        requesting.request_submit(actor=world.requester, forum=world.forum, details=details)
    assert problems_of(refused.value)[field] == [message]


def test_future_dates_of_birth_and_consent_are_refused(world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    details = world_of.named(world.requester)
    details = requesting.RequestDetails(
        **(details.__dict__ | {"date_of_birth": tomorrow, "consent_given_on": tomorrow})
    )
    with pytest.raises(ValidationError) as refused:
        requesting.request_submit(actor=world.requester, forum=world.forum, details=details)
    assert set(problems_of(refused.value)) == {"date_of_birth", "consent_given_on"}


def test_the_thresholds_tool_gives_the_level_when_the_requester_ticks_indicators(world):
    details = world_of.details(world.requester, level_of_need=None, indicators=["l2-learning-01"])
    made = requesting.request_submit(actor=world.requester, forum=world.forum, details=details)
    assert made.level_of_need == 2
    assert made.framework_version is not None
    assert made.indicators == ["l2-learning-01"]


def test_a_community_issue_needs_no_child_nor_consent(world):
    issue = world.community_issue
    assert issue.kind == RequestForDiscussion.Kind.COMMUNITY_ISSUE
    assert issue.title == f"Community issue {issue.reference}"
    assert not issue.is_anonymous


def test_a_request_after_the_deadline_is_marked_late(world, monkeypatch):
    meeting = world.meeting
    monkeypatch.setattr(
        "earlyhelp.forums.requesting.timezone.localdate", lambda: meeting.deadline_on + timedelta(days=1)
    )
    late = requesting.request_submit(
        actor=world.requester, forum=world.forum, details=world_of.details(world.requester)
    )
    assert late.late
    monkeypatch.setattr("earlyhelp.forums.requesting.timezone.localdate", lambda: meeting.deadline_on)
    on_time = requesting.request_submit(
        actor=world.requester, forum=world.forum, details=world_of.details(world.requester)
    )
    assert not on_time.late


def decide(world, request, decision, meeting=None, reason="", member=None, seen=None):
    return requesting.request_decide(
        actor=(member or world.coordinator).user,
        member=member or world.coordinator,
        request=request,
        decision=decision,
        meeting=meeting,
        reason=reason,
        seen_version=seen,
    )


def test_the_coordinator_accepts_a_request_onto_a_meeting_in_slot_order(world):
    first = decide(world, world.named_case, requesting.Decision.ACCEPT, world.meeting)
    second = decide(world, world.anonymous_case, requesting.Decision.ACCEPT, world.meeting)
    assert (first.status, first.meeting, first.slot_order) == (Status.ACCEPTED, world.meeting, 1)
    assert second.slot_order == 2
    assert first.decided_by == world.coordinator.user


def test_holding_or_redirecting_says_why(world):
    with pytest.raises(ValidationError) as refused:
        decide(world, world.named_case, requesting.Decision.HOLD)
    assert problems_of(refused.value) == {"reason": ["Say why it is held, and when it will be discussed"]}
    with pytest.raises(ValidationError) as refused:
        decide(world, world.named_case, requesting.Decision.REDIRECT)
    assert problems_of(refused.value) == {"reason": ["Say where the request was redirected, and why"]}
    held = decide(world, world.named_case, requesting.Decision.HOLD, reason="Agenda full; next month")
    assert (held.status, held.meeting) == (Status.HELD, None)
    redirected = decide(world, held, requesting.Decision.REDIRECT, reason="To the front door")
    assert redirected.status == Status.REDIRECTED
    assert redirected.ended_at is not None


def test_a_meeting_whose_agenda_has_gone_cannot_take_more(world):
    meeting = world.meeting
    with audited_writes():
        meeting.agenda_sent_at = timezone.now()
        meeting.save(update_fields=["agenda_sent_at"])
        from earlyhelp.audit.trail import record_change

        record_change(actor=None, actor_label="test", verb=AuditEvent.Verb.UPDATED, target=meeting, changes={})
    with pytest.raises(ValidationError) as refused:
        decide(world, world.named_case, requesting.Decision.ACCEPT, meeting)
    assert problems_of(refused.value) == {"meeting": ["That meeting's agenda has been sent: choose a later meeting"]}


def test_only_those_who_run_the_forum_decide(world):
    for who in (world.core, world.extended_invited):
        with pytest.raises(ValidationError):
            decide(world, world.named_case, requesting.Decision.ACCEPT, world.meeting, member=who)
    accepted = decide(world, world.named_case, requesting.Decision.ACCEPT, world.meeting, member=world.business_support)
    assert accepted.status == Status.ACCEPTED


def test_a_decision_from_a_stale_page_is_refused(world):
    version = world.named_case.version
    decide(world, world.named_case, requesting.Decision.HOLD, reason="Next month", seen=version)
    with pytest.raises(ValidationError) as refused:
        decide(world, world.named_case, requesting.Decision.ACCEPT, world.meeting, seen=version)
    assert refused.value.code == "stale"


def test_a_decided_request_cannot_be_decided_again(world):
    decide(world, world.named_case, requesting.Decision.REDIRECT, reason="Elsewhere")
    with pytest.raises(ValidationError) as refused:
        decide(world, world.named_case, requesting.Decision.ACCEPT, world.meeting)
    assert "cannot be changed now" in problems_of(refused.value)["decision"][0]


def test_the_requester_withdraws_their_own_request_only(world):
    with pytest.raises(ValidationError):
        requesting.request_withdraw(actor=world.coordinator.user, request=world.named_case, seen_version=None)
    withdrawn = requesting.request_withdraw(actor=world.requester, request=world.named_case, seen_version=None)
    assert withdrawn.status == Status.WITHDRAWN


def test_only_extended_members_of_the_forum_are_invited(world):
    for wrong in (world.core, world.coordinator):
        with pytest.raises(ValidationError):
            requesting.request_invite(
                actor=world.coordinator.user,
                member=world.coordinator,
                request=world.named_case,
                invited=[wrong],
                seen_version=None,
            )
    with pytest.raises(ValidationError):
        requesting.request_invite(
            actor=world.coordinator.user,
            member=world.coordinator,
            request=world.community_issue,
            invited=[world.extended_invited],
            seen_version=None,
        )
    requesting.request_invite(
        actor=world.coordinator.user,
        member=world.coordinator,
        request=world.named_case,
        invited=[world.extended_not_invited],
        seen_version=None,
    )
    assert list(world.named_case.invited.all()) == [world.extended_not_invited]


def _front_door_contact(front_door, area, *, anonymously: bool, covers_meetings: bool = True):
    from earlyhelp.frontdoor import deciding, matching
    from earlyhelp.frontdoor.models import ConsentCovers
    from earlyhelp.frontdoor.referrals import ConsentDetails
    from earlyhelp.thresholds.rules import Facts
    from earlyhelp.thresholds.selectors import framework_version_latest

    covers = [str(ConsentCovers.EARLY_HELP_SERVICE)]
    if covers_meetings:
        covers.append(str(ConsentCovers.DISCUSS_AT_MEETING))
    base = a_referral()
    contact = contact_received(
        front_door,
        consent=ConsentDetails(
            status="given",
            given_by=base.consent.given_by,
            given_on=base.consent.given_on,
            how=base.consent.how,
            covers=covers,
        ),
    )
    for entry in contact.people.all():
        matching.contact_person_record(seen_version=None, actor=front_door, entry=entry)
    contact.refresh_from_db()
    version = framework_version_latest()
    assert version is not None
    deciding.contact_level_of_need_record(
        actor=front_door,
        contact=contact,
        version=version,
        indicators=["l2-learning-01"],
        facts=Facts(),
        level=2,
    )
    deciding.contact_decide(
        actor=front_door,
        contact=contact,
        outcome="schedule",
        reasons="Below the threshold; the forum can find a lead",
        meeting_area=area,
        discuss_anonymously=anonymously,
    )
    return contact


@pytest.mark.parametrize("anonymously", [True, False])
def test_the_front_doors_discuss_at_a_meeting_outcome_arrives_as_a_request(world, front_door, anonymously):
    from earlyhelp.forums.cycle import front_door_contacts_take_in

    contact = _front_door_contact(front_door, world.forum.area, anonymously=anonymously)
    with audited_writes():
        [made] = front_door_contacts_take_in()
    assert made.contact == contact
    assert made.forum == world.forum
    assert made.is_anonymous is anonymously
    if anonymously:
        assert made.child_name == ""
        assert made.family is None
        assert contact.reason not in made.summary
    else:
        assert made.child_name
        assert made.consent_given_by
    with audited_writes():
        assert front_door_contacts_take_in() == []


def test_a_forum_member_of_every_kind_is_unique_while_they_belong(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ForumMember.objects.create(forum=world.forum, user=world.core.user, kind=ForumMember.Kind.EXTENDED)


def test_a_forum_that_takes_families_only_with_consent_refuses_an_anonymous_case(world):
    from earlyhelp.forums.models import Forum

    Forum.objects.filter(pk=world.forum.pk).update(anonymous_cases=False)
    world.forum.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        requesting.request_submit(actor=world.requester, forum=world.forum, details=world_of.details(world.requester))
    assert refused.value.message_dict["consent_given"] == [
        f"{world.forum.name} discusses a family only with their consent (FF §6.1): ask the family first"
    ]
    issue = world_of.details(world.requester, kind=RequestForDiscussion.Kind.COMMUNITY_ISSUE, about="")
    assert requesting.request_submit(actor=world.requester, forum=world.forum, details=issue).pk
