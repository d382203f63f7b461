"""Rectification (issue 13, ADR 25): a request to correct a record, decided within the month; the
correction's history kept by the audit trail; a refusal kept on the record as disputed."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.governance import rectifying
from earlyhelp.governance.models import Rectification
from earlyhelp.people import services
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def _asked(actor, person, **changes):
    values: dict[str, Any] = {
        "requested_by": "Grace Okafor",
        "received_on": timezone.localdate(),
        "what_is_wrong": "Tobi's date of birth is wrong: he was born on 3 March, not 4",
    }
    return rectifying.rectification_record(actor=actor, person=person, **(values | changes))


def test_a_request_says_who_when_and_what(okafor, coach):
    with pytest.raises(ValidationError) as refused:
        _asked(coach, okafor.child, requested_by="", received_on=timezone.localdate() + timedelta(1), what_is_wrong="")
    assert refused.value.message_dict == {
        "requested_by": ["Enter the name of the person who asked"],
        "received_on": ["The date received must be today or in the past"],
        "what_is_wrong": ["Say what they say is wrong, and what they say is right, in their words"],
    }


def test_a_correction_keeps_the_history_of_what_the_record_said(okafor, coach):
    asked = _asked(coach, okafor.child)
    services.person_update(actor=coach, person=okafor.child, details={"first_name": "Tobias"}, seen_version=None)
    rectifying.rectification_decide(
        actor=coach, rectification=asked, decision="corrected", reason="", seen_version=asked.version
    )
    asked.refresh_from_db()
    assert (asked.decision, asked.decided_by) == ("corrected", coach)
    change = AuditEvent.objects.filter(verb="updated", target_type="people.person", target_id=okafor.child.pk).latest(
        "id"
    )
    assert change.details["first_name"] == ["Tobi", "Tobias"]
    assert "Disputed" not in signed_in(coach).get(f"/people/{okafor.child.pk}/").content.decode()


def test_a_refusal_says_why_and_keeps_their_words_on_the_record_as_disputed(okafor, coach, alice):
    asked = _asked(coach, okafor.child)
    with pytest.raises(ValidationError) as unreasoned:
        rectifying.rectification_decide(
            actor=coach, rectification=asked, decision="not_corrected", reason=" ", seen_version=None
        )
    assert unreasoned.value.message_dict == {
        "reason": ["Say why it is not corrected: the requester is told, and may complain to the ICO"]
    }
    rectifying.rectification_decide(
        actor=coach,
        rectification=asked,
        decision="not_corrected",
        reason="the birth certificate says 4 March",
        seen_version=None,
    )
    page = signed_in(alice).get(f"/people/{okafor.child.pk}/").content.decode()
    assert "Disputed: Grace Okafor said on" in page
    assert "Not corrected, because the birth certificate says 4 March" in page
    with pytest.raises(ValidationError) as again:
        rectifying.rectification_decide(
            actor=coach, rectification=asked, decision="corrected", reason="", seen_version=None
        )
    assert again.value.message_dict == {"decision": ["This request has already been decided"]}


def test_a_partner_records_a_request_but_the_authority_decides_it(okafor, alice, coach, bob):
    asked = _asked(alice, okafor.child)
    with pytest.raises(ValidationError):
        rectifying.rectification_decide(
            actor=alice, rectification=asked, decision="corrected", reason="", seen_version=None
        )
    with pytest.raises(ValidationError):
        _asked(bob, okafor.child)
    assert Rectification.objects.count() == 1


def test_the_pages_record_and_decide_a_request(okafor, coach):
    client = signed_in(coach)
    url = f"/people/{okafor.child.pk}/corrections/"
    page = client.post(url, {"requested_by": "Grace"}).content.decode()
    assert "Enter the date the request was received" in page
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "requested_by": "Grace Okafor",
            "received_on_0": today.day,
            "received_on_1": today.month,
            "received_on_2": today.year,
            "what_is_wrong": "The address is old",
        },
    )
    assert response["Location"] == url
    asked = Rectification.objects.get()
    decided = client.post(f"{url}{asked.pk}/", {"decision": "corrected", "version": asked.version})
    assert decided["Location"] == url
    assert "Corrected" in client.get(url).content.decode()
