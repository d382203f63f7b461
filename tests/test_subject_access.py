"""Subject access (issue 13, ADR 25): everything held about a person gathered, third-party
information reviewed with reasons before anything is sent, tracked against the statutory month."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.governance import subject_access
from earlyhelp.governance.deadlines import months_after
from earlyhelp.governance.models import DisclosureItem, SubjectAccessRequest
from earlyhelp.organisations.roles import Role
from earlyhelp.people.models import Person
from tests.conftest import signed_in
from tests.factories import UserFactory
from tests.test_access import a_closed_episode

pytestmark = pytest.mark.django_db


@pytest.fixture
def governance(authority):
    return UserFactory(authority=authority, roles=[Role.INFORMATION_GOVERNANCE], full_name="Information governance")


@pytest.fixture
def maya(coach, team_leader, frameworks):
    a_closed_episode()
    return Person.objects.get(first_name="Maya")


def _request(governance, person, **changes):
    values: dict[str, Any] = {
        "requested_by": "Siobhan Brennan",
        "requester_is": "parent",
        "received_on": timezone.localdate(),
        "identity_checked": True,
    }
    return subject_access.request_record(actor=governance, person=person, **(values | changes))


@pytest.mark.parametrize(
    ("received", "months", "due"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 15), 1, date(2026, 4, 15)),
        (date(2026, 12, 7), 1, date(2027, 1, 7)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
    ],
)
def test_the_month_runs_to_the_corresponding_day_or_the_months_last(received, months, due):
    assert months_after(received, months) == due


def test_a_request_gathers_everything_held_and_marks_what_is_about_someone_else(maya, governance):
    request = _request(governance, maya)
    kinds = {item.kind: item.third_party for item in request.items.all()}
    assert kinds["Your details"] is False
    assert kinds["Referral to early help"] is True
    assert kinds["Family and relationships"] is True
    assert kinds["Level of need"] is False
    assert kinds["Agreement to receive help"] is False
    assert kinds["Who has opened or changed your record"] is False
    referral = request.items.get(kind="Referral to early help")
    assert "From: Priya Shah" in referral.text
    assert request.due_on == months_after(timezone.localdate(), 1)
    created = AuditEvent.objects.get(verb="created", target_type="governance.subjectaccessrequest")
    assert created.details["items"] == request.items.count()


def test_the_request_says_who_asked_when_and_as_whom(maya, governance):
    with pytest.raises(ValidationError) as refused:
        _request(governance, maya, requested_by=" ", requester_is="", received_on=timezone.localdate() + timedelta(1))
    assert refused.value.message_dict == {
        "requested_by": ["Enter the name of the person who asked"],
        "requester_is": ["Say who they are to the person the information is about"],
        "received_on": ["The date received must be today or in the past"],
    }
    assert not SubjectAccessRequest.objects.exists()


def test_nothing_is_sent_until_identity_is_checked_and_third_party_information_reviewed(maya, governance):
    request = _request(governance, maya, identity_checked=False)
    with pytest.raises(ValidationError) as refused:
        subject_access.request_send(actor=governance, request=request, sent_on=timezone.localdate())
    waiting = request.items.filter(third_party=True).count()
    assert refused.value.messages == [
        "Check the requester's identity, and their authority to act for the person, first",
        f"{waiting} item{'s' if waiting != 1 else ''} about or from someone else still to review",
    ]
    subject_access.identity_confirm(actor=governance, request=request)
    referral = request.items.get(kind="Referral to early help")
    with pytest.raises(ValidationError) as unreasoned:
        subject_access.item_decide(
            actor=governance,
            item=referral,
            decision="redact",
            redacted_text=referral.text,
            reason="",
            seen_version=None,
        )
    assert unreasoned.value.message_dict == {
        "redacted_text": ["Remove what must not be sent from the text below (the original is kept)"],
        "reason": ["Give the reason (for example: it identifies the referrer, who did not consent)"],
    }
    subject_access.item_decide(
        actor=governance,
        item=referral,
        decision="redact",
        redacted_text=referral.text.replace("Priya Shah", "[removed]"),
        reason="Identifies the referrer, who did not consent",
        seen_version=None,
    )
    for item in request.items.filter(third_party=True, decision="pending"):
        subject_access.item_decide(
            actor=governance,
            item=item,
            decision="withhold",
            redacted_text="",
            reason="Another family's",
            seen_version=None,
        )
    subject_access.request_send(actor=governance, request=request, sent_on=timezone.localdate())
    request.refresh_from_db()
    assert request.status == SubjectAccessRequest.Status.SENT
    sent = subject_access.pack(request)
    assert all(item.decision != DisclosureItem.Decision.WITHHOLD for item in sent)
    assert "Priya Shah" not in " ".join(item.sent_text for item in sent)
    assert "[removed]" in " ".join(item.sent_text for item in sent)
    event = AuditEvent.objects.filter(target_type="governance.subjectaccessrequest").latest("id")
    assert event.details["on_time"] is True


def test_a_complex_request_is_extended_once_within_the_month_with_its_reason(maya, governance):
    request = _request(governance, maya)
    with pytest.raises(ValidationError):
        subject_access.request_extend(actor=governance, request=request, because=" ")
    subject_access.request_extend(actor=governance, request=request, because="Twelve years of records")
    request.refresh_from_db()
    assert request.due_on == months_after(request.received_on, 3)
    with pytest.raises(ValidationError) as again:
        subject_access.request_extend(actor=governance, request=request, because="More")
    assert again.value.message_dict == {"because": ["This request has already been extended"]}


def test_an_extension_after_the_month_is_refused(maya, governance):
    request = _request(governance, maya, received_on=timezone.localdate() - timedelta(days=40))
    with pytest.raises(ValidationError) as late:
        subject_access.request_extend(actor=governance, request=request, because="Complex")
    assert late.value.message_dict == {"because": ["The month has passed: an extension had to be made within it"]}


def test_only_information_governance_handles_requests(maya, team_leader, governance):
    with pytest.raises(ValidationError):
        _request(team_leader, maya)
    request = _request(governance, maya)
    assert signed_in(team_leader).get(f"/subject-access/{request.pk}/").status_code == 404
    assert signed_in(team_leader).get(f"/people/{maya.pk}/subject-access/").status_code == 404


def test_information_governance_works_a_request_through_the_pages(maya, governance):
    client = signed_in(governance)
    assert "Record a subject access request" in client.get(f"/people/{maya.pk}/").content.decode()
    page = client.post(f"/people/{maya.pk}/subject-access/", {"requested_by": "Siobhan"}).content.decode()
    assert "Say who they are to the person the information is about" in page
    assert 'value="Siobhan"' in page
    today = timezone.localdate()
    response = client.post(
        f"/people/{maya.pk}/subject-access/",
        {
            "requested_by": "Siobhan Brennan",
            "requester_is": "parent",
            "received_on_0": today.day,
            "received_on_1": today.month,
            "received_on_2": today.year,
            "identity_checked": "on",
        },
    )
    request = SubjectAccessRequest.objects.get()
    assert response["Location"] == f"/subject-access/{request.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "still to review" in detail
    item = request.items.get(kind="Referral to early help")
    client.post(
        f"/subject-access/{request.pk}/items/{item.pk}/",
        {"decision": "withhold", "reason": "The referrer's account", "version": item.version},
    )
    item.refresh_from_db()
    assert item.decision == "withhold"
    assert "Subject access requests" in client.get("/").content.decode()
    assert request.person.reference in client.get("/subject-access/").content.decode()
    pack = client.get(f"/subject-access/{request.pk}/pack/").content.decode()
    assert "Information we hold about" in pack
    assert "Priya Shah" not in pack


def test_the_request_page_reads_in_the_same_number_of_queries_however_much_is_held(maya, governance, coach):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import level_of_need_decided

    def count(request) -> int:
        client = signed_in(governance)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/subject-access/{request.pk}/").status_code == 200
        return len(queries)

    first = _request(governance, maya)
    few = count(first)
    for _ in range(3):
        level_of_need_decided(maya)
    more = _request(governance, maya)
    assert more.items.count() == first.items.count() + 3
    assert count(more) == few


def test_a_forums_named_request_about_the_person_is_gathered_and_an_anonymous_one_cannot_be(
    maya, governance, forum_coordinator, business_support, alice
):
    from earlyhelp.forums import requesting
    from tests import forums_world as world_of

    world = world_of.forum_world(
        maya.authority, coordinator=forum_coordinator, business_support=business_support, core=alice, accepted=False
    )
    named = requesting.request_submit(
        actor=world.requester,
        forum=world.forum,
        details=world_of.named(world.requester, child_name=f"{maya.first_name} {maya.last_name}"),
    )
    request = _request(governance, maya)
    [item] = request.items.filter(kind="Request for discussion at an Early Help Forum")
    assert named.reference in item.text
    assert item.third_party is True
    assert world.anonymous_case.reference not in "".join(request.items.values_list("text", flat=True))
