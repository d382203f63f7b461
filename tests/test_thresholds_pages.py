"""Checking a level of need in the browser pages, and recording one in a child's record."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from earlyhelp.audit.models import AuditEvent
from earlyhelp.thresholds.models import LevelOfNeedDecision
from earlyhelp.thresholds.services import SHIPPED_FRAMEWORKS, framework_load
from tests.conftest import signed_in
from tests.factories import consent_to_share, level_of_need_decided

pytestmark = pytest.mark.django_db

TWO_AREAS = {"indicators": ["l2-learning-01", "l2-housing-01"], "check": "1"}


def test_a_signed_in_practitioner_checks_a_level_of_need_without_saving_anything(frameworks, bob):
    response = signed_in(bob).get("/level-of-need/", TWO_AREAS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Level 2: Early Help" in page
    assert "A CAF (Common Assessment for Families) assessment must be completed" in page
    assert 'value="l2-learning-01" checked' in page
    assert LevelOfNeedDecision.objects.count() == 0


def test_the_public_guidance_needs_no_sign_in_and_shows_no_service_navigation(frameworks):
    response = Client().get("/guidance/level-of-need/", {"indicators": ["l4-learning-01"], "check": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Level 4: Specialist" in page
    assert "Refer to children's social care now" in page
    assert "Find a person" not in page
    assert "Nothing you tick here is saved or sent" in page


def test_an_unknown_indicator_is_named_and_the_other_ticks_are_kept(frameworks, coach):
    response = signed_in(coach).get("/level-of-need/", {"indicators": ["l2-learning-01", "made-up"], "check": "1"})
    page = response.content.decode()
    assert "made-up is not an indicator in Northamptonshire" in page
    assert 'value="l2-learning-01" checked' in page
    assert "Recommended level of need" not in page


def test_immediate_danger_tells_the_practitioner_to_call_999(frameworks, coach):
    response = signed_in(coach).get("/level-of-need/", {"immediate_danger": "on", "check": "1"})
    assert "call the police on 999 now" in response.content.decode()


def test_another_framework_can_be_chosen(frameworks, coach):
    page = signed_in(coach).get("/level-of-need/", {"framework": "newham"}).content.decode()
    assert "Families First eligibility factors" in page
    assert "Parental domestic abuse" in page
    assert signed_in(coach).get("/level-of-need/", {"framework": "nowhere"}).status_code == 404


def test_the_check_pages_say_so_when_no_framework_is_loaded(coach):
    assert signed_in(coach).get("/level-of-need/").status_code == 404


def test_the_matrix_is_browsable_by_level_domain_and_words(frameworks):
    client = Client()
    everything = client.get("/guidance/level-of-need/matrix/").content.decode()
    assert "192 indicators" in everything
    assert "Immediate safeguarding" in everything
    assert "Looked after history" in everything
    level = client.get("/guidance/level-of-need/matrix/", {"level": "4", "domain": "housing"}).content.decode()
    assert "6 indicators" in level
    assert "No fixed abode or homeless." in level
    words = client.get("/guidance/level-of-need/matrix/", {"words": "domestic abuse"}).content.decode()
    assert "History of domestic abuse." in words
    assert "Ongoing domestic abuse." in words
    assert "Serious or repeated domestic abuse where the children were present" in words  # section 17
    nothing = client.get("/guidance/level-of-need/matrix/", {"words": "zebra"}).content.decode()
    assert "No indicator matches" in nothing


def test_bad_matrix_filters_are_ignored_rather_than_failing(frameworks):
    response = Client().get("/guidance/level-of-need/matrix/", {"level": "nine", "domain": "<script>"})
    assert response.status_code == 200
    assert "192 indicators" in response.content.decode()


# In a child's record


def decide(client, child, **data):
    return client.post(f"/people/{child.pk}/level-of-need/", data)


def test_checking_in_a_record_recommends_a_level_and_chooses_it_ready_to_confirm(frameworks, coach, okafor):
    response = decide(signed_in(coach), okafor.child, indicators=["l3-learning-01"], action="check")
    page = response.content.decode()
    assert "Level 3: Targeted" in page
    assert 'value="3" checked' in page
    assert LevelOfNeedDecision.objects.count() == 0


def test_recording_the_recommended_level_saves_the_decision_with_its_version(frameworks, coach, okafor):
    client = signed_in(coach)
    response = decide(
        client, okafor.child, indicators=["l3-learning-01", "l2-housing-01"], consent="given", level="3", action="save"
    )
    assert response.status_code == 302
    decision = LevelOfNeedDecision.objects.get()
    assert decision.person == okafor.child
    assert decision.framework_version == frameworks["northamptonshire"]
    assert decision.indicators == ["l2-housing-01", "l3-learning-01"]
    assert decision.facts["consent_given"] is True
    assert (decision.recommended_level, decision.level, decision.override_reason) == (3, 3, "")
    assert decision.recommendation["actions"][0]["id"] == "caf_must"
    event = AuditEvent.objects.get(target_type="thresholds.levelofneeddecision", verb="created")
    assert event.details["person"] == okafor.child.pk
    assert event.actor == coach
    page = client.get(f"/people/{okafor.child.pk}/").content.decode()
    assert "Level 3: Targeted" in page


def test_a_level_that_differs_from_the_recommendation_needs_a_reason(frameworks, coach, okafor):
    client = signed_in(coach)
    refused = decide(client, okafor.child, indicators=["l2-learning-01"], level="3", action="save")
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Give the reason for deciding on level 3 when the framework recommends level 2: early help" in page
    assert 'value="l2-learning-01" checked' in page
    assert LevelOfNeedDecision.objects.count() == 0
    saved = decide(
        client,
        okafor.child,
        indicators=["l2-learning-01"],
        level="3",
        override_reason="School reports escalating concerns not yet in the matrix.",
        action="save",
    )
    assert saved.status_code == 302
    decision = LevelOfNeedDecision.objects.get()
    assert decision.differs_from_recommendation
    assert decision.override_reason == "School reports escalating concerns not yet in the matrix."


def test_a_level_must_be_chosen_before_saving(frameworks, coach, okafor):
    response = decide(signed_in(coach), okafor.child, indicators=["l2-learning-01"], action="save")
    assert "Select the level of need you have decided on" in response.content.decode()
    assert LevelOfNeedDecision.objects.count() == 0


def test_a_reason_given_for_the_recommended_level_is_not_kept(frameworks, coach, okafor):
    decide(signed_in(coach), okafor.child, indicators=["l2-learning-01"], level="2", override_reason="x", action="save")
    assert LevelOfNeedDecision.objects.get().override_reason == ""


def test_a_partner_records_a_level_for_a_child_they_work_with_but_not_for_others(frameworks, alice, bob, okafor):
    consent_to_share([okafor.child], [alice.agency], ("levels_of_need",))
    assert decide(signed_in(bob), okafor.child, indicators=[], level="1", action="save").status_code == 404
    assert decide(signed_in(alice), okafor.child, indicators=[], level="1", action="save").status_code == 302


def test_a_partner_without_the_familys_consent_cannot_open_the_childs_levels_of_need(frameworks, alice, okafor):
    decision = level_of_need_decided(okafor.child)
    client = signed_in(alice)
    assert client.get(f"/people/{okafor.child.pk}/level-of-need/{decision.pk}/").status_code == 404
    assert decide(client, okafor.child, indicators=[], level="1", action="save").status_code == 404
    assert LevelOfNeedDecision.objects.count() == 1
    refused = AuditEvent.objects.filter(verb="refused", target_id=okafor.child.pk)
    assert sorted(refused.values_list("details__attempted", flat=True)) == [
        "change levels of need",
        "open levels of need",
    ]


def test_the_level_of_need_is_for_children_not_adults(frameworks, coach, okafor):
    assert signed_in(coach).get(f"/people/{okafor.mother.pk}/level-of-need/").status_code == 404


def test_publishing_a_new_version_never_changes_a_recorded_decision(frameworks, coach, okafor):
    client = signed_in(coach)
    decide(client, okafor.child, indicators=["l2-learning-01"], level="2", action="save")
    decision = LevelOfNeedDecision.objects.get()
    text = (SHIPPED_FRAMEWORKS / "northamptonshire.yaml").read_text(encoding="utf-8")
    changed = (
        text.replace('version: "2013.1"', 'version: "2026"')
        .replace("Reduced interest in play appropriate to age.", "Little interest in play.")
        .replace("- level: 2\n    domain: learning", "- level: 3\n    domain: learning")
    )
    framework_load(text=changed, loaded_from="northamptonshire-2026.yaml")
    decision.refresh_from_db()
    assert decision.framework_version.version == "2013.1"
    assert (decision.recommended_level, decision.level) == (2, 2)
    page = client.get(f"/people/{okafor.child.pk}/level-of-need/{decision.pk}/").content.decode()
    assert "Reduced interest in play appropriate to age." in page
    assert "A newer version (2026) has been published since" in page
    decide(client, okafor.child, indicators=["l2-learning-01"], level="3", action="save")
    newest = LevelOfNeedDecision.objects.order_by("-pk")[0]
    assert newest.framework_version.version == "2026"
    assert newest.recommended_level == 3


def test_viewing_a_decision_is_audited_and_others_cannot_see_it(frameworks, coach, bob, okafor):
    decide(signed_in(coach), okafor.child, indicators=["l2-learning-01"], level="2", action="save")
    decision = LevelOfNeedDecision.objects.get()
    url = f"/people/{okafor.child.pk}/level-of-need/{decision.pk}/"
    assert signed_in(bob).get(url).status_code == 404
    before = AuditEvent.objects.filter(verb="viewed", target_id=okafor.child.pk).count()
    assert signed_in(coach).get(url).status_code == 200
    assert AuditEvent.objects.filter(verb="viewed", target_id=okafor.child.pk).count() == before + 1


def test_the_person_page_makes_the_same_queries_however_many_decisions(frameworks, coach, okafor):
    client = signed_in(coach)
    url = f"/people/{okafor.child.pk}/"
    decide(client, okafor.child, indicators=["l2-learning-01"], level="2", action="save")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        decide(client, okafor.child, indicators=["l3-learning-01"], level="3", action="save")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)
