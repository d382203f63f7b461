"""The assessment: started on a configured layout, written and saved as it goes, refused for
sign-off until every part is written, authorised or returned by a team leader of the episode's
team, its level of need a thresholds decision that keeps its framework version."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.casework import assessing
from earlyhelp.casework.models import Assessment, AssessmentTemplate, Oversight, WellbeingScore
from earlyhelp.casework.selectors import Clock, case_file
from earlyhelp.casework.timescales import State
from earlyhelp.core.workflow import StaleEditError
from tests.conftest import signed_in
from tests.factories import episode_allocated, level_of_need_decided

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(team, coach, team_leader, frameworks):
    return episode_allocated(team, coach, team_leader)


def caf() -> AssessmentTemplate:
    return AssessmentTemplate.objects.get(name="early-help-assessment", active=True)


def strengths() -> AssessmentTemplate:
    return AssessmentTemplate.objects.get(name="strengths-based", active=True)


def complete_answers(template: AssessmentTemplate, episode) -> dict[str, Any]:
    people = [str(child.person_id) for child in episode.children.all()]
    answers: dict[str, Any] = {}
    for section in template.sections:
        if section["kind"] == "per_child":
            answers[section["key"]] = {person: "I want Mum and Dad to stop shouting." for person in people}
        elif section["kind"] == "munro":
            answers[section["key"]] = {question: "Written." for question, _ in assessing.MUNRO_QUESTIONS}
        elif section["kind"] == "scale":
            answers[section["key"]] = "6"
        else:
            answers[section["key"]] = f"{section['title']}: written with the family."
    answers[assessing.WELLBEING] = dict.fromkeys(people, "6")
    return answers


def written_and_sent(episode, coach, template=None):
    template = template or caf()
    assessment = assessing.assessment_start(actor=coach, episode=episode, template=template)
    child = episode.children.get().person
    assessing.assessment_save(
        actor=coach,
        assessment=assessment,
        answers=complete_answers(template, episode),
        level_of_need=level_of_need_decided(child),
        seen_version=assessment.version,
    )
    assessment.refresh_from_db()
    return assessing.assessment_submit(actor=coach, assessment=assessment)


def test_both_shipped_layouts_are_loaded_and_only_what_a_layout_asks_is_kept(episode, coach):
    assert {template.name for template in AssessmentTemplate.objects.filter(active=True)} == {
        "early-help-assessment",
        "strengths-based",
    }
    assessment = assessing.assessment_start(actor=coach, episode=episode, template=strengths())
    saved = assessing.assessment_save(
        actor=coach,
        assessment=assessment,
        answers={"working_well": "Grandma helps", "unknown": "dropped", "scale": "4"},
        level_of_need=None,
        seen_version=None,
    )
    assert "unknown" not in saved.answers
    assert saved.answers["working_well"] == "Grandma helps"


def test_an_incomplete_assessment_is_not_sent_and_each_missing_part_is_named(episode, coach):
    assessment = assessing.assessment_start(actor=coach, episode=episode, template=caf())
    child = episode.children.get()
    with pytest.raises(ValidationError) as raised:
        assessing.assessment_submit(actor=coach, assessment=assessment)
    problems = raised.value.message_dict
    assert f"child_views-{child.person_id}" in problems
    assert "risk-overall_judgement" in problems
    assert f"wellbeing-{child.person_id}" in problems
    assert "level_of_need" in problems
    assert "goals" in problems
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_a_team_leader_authorises_it_the_clocks_stop_and_wellbeing_and_oversight_are_recorded(
    episode, coach, team_leader
):
    assessment = written_and_sent(episode, coach)
    with pytest.raises(ValidationError, match="Only a team leader"):
        assessing.assessment_authorise(actor=coach, assessment=assessment, note="Fine")
    with pytest.raises(ValidationError) as raised:
        assessing.assessment_authorise(actor=team_leader, assessment=assessment, note=" ")
    assert "note" in raised.value.message_dict
    assessing.assessment_authorise(actor=team_leader, assessment=assessment, note="Agreed; plan the TAF meeting")
    episode.refresh_from_db()
    assert episode.assessment_authorised_at is not None
    assert WellbeingScore.objects.filter(episode=episode, point=WellbeingScore.Point.ASSESSMENT, score=6).count() == 1
    assert Oversight.objects.filter(episode=episode, point=Oversight.Point.ASSESSMENT).exists()
    case = case_file(episode, clock=Clock.of(episode.authority), now=timezone.now())
    clocks = [item for item in case.dues if item.due.what == "Assessment authorised"]
    assert clocks
    assert all(item.state == State.DONE for item in clocks)
    assert "10 days from the assessment" in {item.due.rule for item in case.dues}


def test_no_sign_off_before_the_assessment_is_sent_and_none_twice(episode, coach, team_leader):
    assessment = assessing.assessment_start(actor=coach, episode=episode, template=caf())
    with pytest.raises(ValidationError, match="not waiting for sign-off"):
        assessing.assessment_authorise(actor=team_leader, assessment=assessment, note="x")
    with pytest.raises(ValidationError, match="not waiting for sign-off"):
        assessing.assessment_return(actor=team_leader, assessment=assessment, because="x")


def test_a_returned_assessment_goes_back_to_draft_with_the_reason_and_can_be_sent_again(episode, coach, team_leader):
    assessment = written_and_sent(episode, coach)
    with pytest.raises(ValidationError):
        assessing.assessment_return(actor=team_leader, assessment=assessment, because="")
    assessing.assessment_return(actor=team_leader, assessment=assessment, because="Add the school's view")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.returned_because == "Add the school's view"
    assessing.assessment_submit(actor=coach, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.AWAITING_SIGN_OFF


def test_a_sent_assessment_cannot_be_changed_and_a_second_is_not_started_meanwhile(episode, coach):
    assessment = written_and_sent(episode, coach)
    with pytest.raises(ValidationError, match="can be changed only once it is returned"):
        assessing.assessment_save(actor=coach, assessment=assessment, answers={}, level_of_need=None, seen_version=None)
    with pytest.raises(ValidationError, match="already"):
        assessing.assessment_start(actor=coach, episode=episode, template=caf())


def test_an_assessment_saved_from_a_stale_page_is_refused(episode, coach, team_leader):
    assessment = assessing.assessment_start(actor=coach, episode=episode, template=caf())
    seen = assessment.version
    assessing.assessment_save(
        actor=team_leader, assessment=assessment, answers={"goals": "A"}, level_of_need=None, seen_version=seen
    )
    with pytest.raises(StaleEditError):
        assessing.assessment_save(
            actor=coach, assessment=assessment, answers={"goals": "B"}, level_of_need=None, seen_version=seen
        )


def test_the_level_of_need_must_be_a_decision_for_a_child_on_the_episode(episode, coach, okafor):
    assessment = assessing.assessment_start(actor=coach, episode=episode, template=caf())
    with pytest.raises(ValidationError) as raised:
        assessing.assessment_save(
            actor=coach,
            assessment=assessment,
            answers={},
            level_of_need=level_of_need_decided(okafor.child),
            seen_version=None,
        )
    assert "level_of_need" in raised.value.message_dict


def test_only_those_who_work_the_episode_start_an_assessment(episode, front_door, alice):
    for actor in (front_door, alice):
        with pytest.raises(ValidationError):
            assessing.assessment_start(actor=actor, episode=episode, template=caf())


def _post_answers(episode, assessment, template, action: str) -> dict[str, Any]:
    data: dict[str, Any] = {"version": str(assessment.version), "action": action}
    answers = complete_answers(template, episode)
    for section in template.sections:
        key = section["key"]
        if section["kind"] in ("per_child", "munro"):
            for sub, text in answers[key].items():
                data[f"{key}-{sub}"] = text
        else:
            data[key] = answers[key]
    for person, score in answers[assessing.WELLBEING].items():
        data[f"wellbeing-{person}"] = score
    return data


def test_the_assessment_on_its_pages_from_start_to_sign_off(episode, coach, team_leader):
    client = signed_in(coach)
    started = client.post(f"/episodes/{episode.pk}/assessment/", {"template": strengths().pk})
    assert started.status_code == 302
    assessment = Assessment.objects.get()
    data = _post_answers(episode, assessment, strengths(), "submit")
    refused = client.post(f"/episodes/{episode.pk}/assessment/", data).content.decode()
    assert "Record the level of need with the thresholds tool" in refused
    assert "written with the family" in refused  # what was typed is still there
    assessment.refresh_from_db()
    assert assessment.answers["working_well"]  # saved, though not sent
    decision = level_of_need_decided(episode.children.get().person)
    data = _post_answers(episode, assessment, strengths(), "submit") | {"level_of_need": str(decision.pk)}
    sent = client.post(f"/episodes/{episode.pk}/assessment/", data)
    assert sent.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.AWAITING_SIGN_OFF
    detail = f"/episodes/{episode.pk}/assessments/{assessment.pk}/"
    assert "Sign-off" not in client.get(detail).content.decode()
    leader = signed_in(team_leader)
    assert "Sign-off" in leader.get(detail).content.decode()
    done = leader.post(detail, {"decision": "authorise", "note": "Agreed"})
    assert done.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.AUTHORISED
    assert "authorised" in leader.get(f"/episodes/{episode.pk}/").content.decode()


def test_the_thresholds_tool_returns_to_the_assessment_that_asked_and_nowhere_else(episode, coach, frameworks):
    child = episode.children.get().person
    data = {
        "version": frameworks["northamptonshire"].pk,
        "indicators": ["l2-learning-01"],
        "level": "2",
        "action": "save",
    }
    back = f"/episodes/{episode.pk}/assessment/"
    response = signed_in(coach).post(f"/people/{child.pk}/level-of-need/?next={back}", data)
    assert response["Location"] == back
    elsewhere = signed_in(coach).post(f"/people/{child.pk}/level-of-need/?next=https://evil.example/", data)
    assert elsewhere["Location"].startswith(f"/people/{child.pk}/")


def test_a_sign_off_after_someone_else_signed_it_off_is_refused_and_says_so(episode, coach, team_leader):
    assessment = written_and_sent(episode, coach)
    assessing.assessment_authorise(actor=team_leader, assessment=assessment, note="Agreed")
    response = signed_in(team_leader).post(
        f"/episodes/{episode.pk}/assessments/{assessment.pk}/", {"decision": "return", "note": "Late"}
    )
    assert response.status_code == 200
    assert "Your sign-off has not been saved" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.AUTHORISED
