"""Every decision rule, on both shipped frameworks; and adding an indicator never lowers the level."""

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from earlyhelp.thresholds.definition import framework_parse
from earlyhelp.thresholds.rules import Facts, UnknownIndicatorsError, recommend
from earlyhelp.thresholds.services import SHIPPED_FRAMEWORKS

NORTHAMPTONSHIRE = framework_parse((SHIPPED_FRAMEWORKS / "northamptonshire.yaml").read_text(encoding="utf-8"))
NEWHAM = framework_parse((SHIPPED_FRAMEWORKS / "newham.yaml").read_text(encoding="utf-8"))
EARLIER = SHIPPED_FRAMEWORKS / "earlier"
NORTHAMPTONSHIRE_2013 = framework_parse((EARLIER / "northamptonshire-2013.yaml").read_text(encoding="utf-8"))
NEWHAM_1 = framework_parse((EARLIER / "newham-1.yaml").read_text(encoding="utf-8"))


def actions(result):
    return [action.id for action in result.actions]


def rules(result):
    return [reason.rule for reason in result.reasons]


def reason(result, rule):
    return next(reason for reason in result.reasons if reason.rule == rule)


# Northamptonshire


def test_nothing_selected_means_universal_services():
    result = recommend(NORTHAMPTONSHIRE, [])
    assert (result.level, actions(result)) == (1, ["universal_services"])
    assert rules(result) == ["nothing-selected"]


def test_level_1_only_means_universal_services_and_no_assessment():
    result = recommend(NORTHAMPTONSHIRE, ["l1-learning-01", "l1-housing-01"])
    assert result.level == 1
    assert actions(result) == ["universal_services"]
    assert "No additional assessment" in result.actions[0].text
    assert reason(result, "highest-level").indicators == ("l1-learning-01", "l1-housing-01")


def test_level_2_in_one_area_means_support_yourself_without_a_caf():
    result = recommend(NORTHAMPTONSHIRE, ["l2-housing-01", "l2-housing-02", "l1-learning-01"])
    assert result.level == 2
    assert actions(result) == ["support_yourself"]
    assert reason(result, "one-area-of-need").indicators == ("l2-housing-01", "l2-housing-02")
    assert "caf_must" not in actions(result)


def test_level_2_in_two_areas_means_a_caf_must_be_completed_and_a_forum_or_taf_considered():
    result = recommend(NORTHAMPTONSHIRE, ["l2-learning-01", "l2-housing-01"])
    assert result.level == 2
    assert actions(result) == ["caf_must", "consider_forum_or_taf", "access_services_from_caf"]
    fired = reason(result, "several-areas-of-need")
    assert fired.indicators == ("l2-learning-01", "l2-housing-01")
    assert "Learning/education" in fired.text
    assert "Housing, employment and finance" in fired.text


def test_the_number_of_areas_that_calls_for_a_caf_is_configurable():
    three_areas = NORTHAMPTONSHIRE.model_copy(
        update={"rules": NORTHAMPTONSHIRE.rules.model_copy(update={"areas_of_need_for_assessment": 3})}
    )
    two = recommend(three_areas, ["l2-learning-01", "l2-housing-01"])
    three = recommend(three_areas, ["l2-learning-01", "l2-housing-01", "l2-warmth-01"])
    assert actions(two) == ["support_yourself"]
    assert actions(three)[0] == "caf_must"


def test_any_level_3_means_a_caf_forum_or_taf_and_a_lead_professional():
    result = recommend(NORTHAMPTONSHIRE, ["l3-learning-05", "l2-housing-01"])
    assert result.level == 3
    assert actions(result) == ["caf_must", "consider_forum_or_taf", "identify_lead_professional"]
    assert reason(result, "highest-level").indicators == ("l3-learning-05",)
    assert not result.refer_to_social_care


def test_level_3_with_a_caf_already_means_updating_it_and_telling_the_lead_professional():
    result = recommend(NORTHAMPTONSHIRE, ["l3-learning-05"], Facts(caf_exists=True))
    assert actions(result) == ["caf_update", "consider_forum_or_taf", "identify_lead_professional"]
    assert "assessment-exists" in rules(result)


def test_any_level_4_means_an_immediate_referral_not_delayed_for_a_caf():
    result = recommend(NORTHAMPTONSHIRE, ["l4-learning-01", "l2-housing-01"])
    assert result.level == 4
    assert result.refer_to_social_care
    assert actions(result) == ["refer_social_care", "do_not_delay_for_caf"]


def test_level_4_with_a_caf_already_means_sending_it_with_the_referral():
    result = recommend(NORTHAMPTONSHIRE, ["l4-learning-01"], Facts(caf_exists=True))
    assert actions(result) == ["refer_social_care", "send_existing_caf"]


@pytest.mark.parametrize("item", [f"safeguarding-0{n}" for n in range(1, 7)])
def test_any_immediate_safeguarding_item_means_an_immediate_referral(item):
    result = recommend(NORTHAMPTONSHIRE, [item, "l1-learning-01"])
    assert result.level == 4
    assert result.refer_to_social_care
    assert actions(result)[0] == "refer_social_care"
    assert reason(result, "list:immediate-safeguarding").indicators == (item,)


def test_any_section_17_factor_means_a_referral():
    result = recommend(NORTHAMPTONSHIRE, ["s17-environment-04"])
    assert result.level == 4
    assert result.refer_to_social_care
    assert reason(result, "list:section-17").indicators == ("s17-environment-04",)


def test_several_cse_indicators_mean_a_referral_and_the_reason_says_which():
    result = recommend(NORTHAMPTONSHIRE, ["cse-01", "cse-02", "cse-12", "l2-learning-01"])
    assert result.level == 4
    assert result.refer_to_social_care
    fired = reason(result, "list:cse")
    assert fired.indicators == ("cse-01", "cse-02", "cse-12")
    assert "3 or more" in fired.text


def test_fewer_cse_indicators_than_several_are_named_but_do_not_refer_alone():
    result = recommend(NORTHAMPTONSHIRE, ["cse-01", "cse-02", "l2-learning-01"])
    assert result.level == 2
    assert not result.refer_to_social_care
    assert reason(result, "list:cse:below").indicators == ("cse-01", "cse-02")


def test_how_many_cse_indicators_refer_is_configurable():
    lists = [
        special.model_copy(update={"refer_when": 2}) if special.id == "cse" else special
        for special in NORTHAMPTONSHIRE.special_lists
    ]
    stricter = NORTHAMPTONSHIRE.model_copy(update={"special_lists": lists})
    assert recommend(stricter, ["cse-01", "cse-02"]).refer_to_social_care


def test_any_fgm_concern_means_a_referral():
    result = recommend(NORTHAMPTONSHIRE, ["l1-learning-01"], Facts(fgm_concern=True))
    assert result.level == 4
    assert result.refer_to_social_care
    assert "fgm-concern" in rules(result)
    assert actions(result) == ["refer_social_care", "do_not_delay_for_caf"]


def test_immediate_danger_means_999_first_then_a_referral():
    result = recommend(NORTHAMPTONSHIRE, ["l2-learning-01"], Facts(immediate_danger=True))
    assert result.level == 4
    assert actions(result) == ["call_police", "refer_social_care", "do_not_delay_for_caf"]
    assert "999" in result.actions[0].text


def test_no_consent_for_a_caf_means_consider_safeguarding_and_an_anonymous_forum():
    result = recommend(NORTHAMPTONSHIRE, ["l2-learning-01", "l2-housing-01"], Facts(consent_given=False))
    assert actions(result)[-2:] == ["consider_safeguarding", "anonymous_forum"]
    assert "safeguarding" in result.actions[-2].text
    assert "without any details that could identify" in result.actions[-1].text


def test_consent_given_or_not_yet_asked_adds_nothing():
    for consent in (True, None):
        result = recommend(NORTHAMPTONSHIRE, ["l2-learning-01", "l2-housing-01"], Facts(consent_given=consent))
        assert "no-consent" not in rules(result)


def test_universal_needs_do_not_raise_consent():
    assert "no-consent" not in rules(recommend(NORTHAMPTONSHIRE, ["l1-learning-01"], Facts(consent_given=False)))


def test_an_unknown_indicator_is_refused_by_name():
    with pytest.raises(UnknownIndicatorsError, match="'l9-nothing-01'") as refused:
        recommend(NORTHAMPTONSHIRE, ["l2-learning-01", "l9-nothing-01"])
    assert refused.value.unknown == ["l9-nothing-01"]
    with pytest.raises(UnknownIndicatorsError) as two:
        recommend(NORTHAMPTONSHIRE, ["x-1", "x-2"])
    assert str(two.value) == (
        f"northamptonshire version {NORTHAMPTONSHIRE.version} has no indicator 'x-1', 'x-2'. "
        "Use the identifiers from `thresholds export --framework northamptonshire`."
    )


def test_the_same_indicator_twice_counts_once():
    result = recommend(NORTHAMPTONSHIRE, ["l2-learning-01", "l2-learning-01"])
    assert reason(result, "highest-level").indicators == ("l2-learning-01",)


# Newham: level 2 is targeted early help (Families First); levels 3 and 4 are statutory.


def test_newham_with_nothing_selected_points_to_no_level_and_says_what_section_5_6a_says():
    result = recommend(NEWHAM, [])
    assert result.level is None
    assert actions(result) == ["not_eligible"]
    assert result.actions[0].source == "Section 5.6 (a)"
    assert "signpost" in result.actions[0].text
    assert "Neighbourhood Action Meeting" in result.actions[0].text
    assert rules(result) == ["nothing-selected"]
    assert recommend(NEWHAM_1, []).actions == ()


def test_newham_one_factor_means_families_first_with_consent():
    result = recommend(NEWHAM, ["ff-family-conflict"])
    assert result.level == 2
    assert actions(result) == ["refer_families_first", "families_first_consent"]
    assert reason(result, "early-help").indicators == ("ff-family-conflict",)


def test_newham_has_no_several_areas_rule():
    result = recommend(NEWHAM, ["ff-family-conflict", "ff-domestic-abuse", "ff-mental-health"])
    assert actions(result) == ["refer_families_first", "families_first_consent"]
    assert "several-areas-of-need" not in rules(result)


def test_newham_an_acute_or_chronic_factor_means_childrens_social_care_not_families_first():
    result = recommend(NEWHAM, ["ff-family-conflict", "ff-substance-misuse-acute"])
    assert result.level == 3
    assert result.refer_to_social_care
    assert actions(result) == ["refer_social_care"]
    assert reason(result, "highest-level").indicators == ("ff-substance-misuse-acute",)
    assert "statutory-level" in rules(result)


def test_newham_immediate_danger_and_fgm_are_referred_at_its_highest_level():
    danger = recommend(NEWHAM, [], Facts(immediate_danger=True))
    assert danger.level == 4
    assert actions(danger) == ["call_police", "refer_social_care"]
    fgm = recommend(NEWHAM, ["ff-family-conflict"], Facts(fgm_concern=True))
    assert fgm.level == 4
    assert fgm.refer_to_social_care


def test_newham_refused_consent_says_one_thing_no_referral_and_consider_safeguarding():
    result = recommend(NEWHAM, ["ff-exploitation"], Facts(consent_given=False))
    assert actions(result) == ["not_without_consent", "consider_safeguarding"]
    assert not any("Refer to the Families First" in action.text for action in result.actions)
    assert result.actions[1].source.startswith("Section 16.1")
    assert "line manager" in result.actions[1].text


def test_an_earlier_version_keeps_its_own_words():
    result = recommend(NEWHAM_1, ["ff-exploitation"], Facts(consent_given=False))
    assert actions(result) == [
        "refer_families_first",
        "families_first_consent",
        "not_without_consent",
        "consider_safeguarding",
        "neighbourhood_action_meeting",
    ]
    assert NORTHAMPTONSHIRE_2013.version == "2013"
    single = recommend(NORTHAMPTONSHIRE_2013, ["l2-learning-01"])
    assert "is not required" in single.actions[0].text


def test_no_framework_attributes_its_own_advice_to_national_practice_where_the_documents_say_it():
    for framework in (NORTHAMPTONSHIRE, NEWHAM):
        assert "National" not in framework.actions["consider_safeguarding"].source


def test_newham_has_no_northamptonshire_lists():
    with pytest.raises(UnknownIndicatorsError):
        recommend(NEWHAM, ["cse-01"])


def test_newham_ignores_an_existing_caf_it_does_not_use():
    assert actions(recommend(NEWHAM, ["ff-exploitation-acute"], Facts(caf_exists=True))) == ["refer_social_care"]


# Adding an indicator never lowers the recommended level.

facts_strategy = st.builds(
    Facts,
    caf_exists=st.booleans(),
    consent_given=st.sampled_from([True, False, None]),
    immediate_danger=st.booleans(),
    fgm_concern=st.booleans(),
)


def _level(result):
    return result.level or 0


@pytest.mark.parametrize("framework", [NORTHAMPTONSHIRE, NEWHAM], ids=["northamptonshire", "newham"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_adding_an_indicator_never_lowers_the_level(framework, data):
    identifiers = sorted(framework.by_id)
    chosen = data.draw(st.lists(st.sampled_from(identifiers), max_size=12, unique=True))
    extra = data.draw(st.sampled_from(identifiers))
    facts = data.draw(facts_strategy)
    before = recommend(framework, chosen, facts)
    after = recommend(framework, [*chosen, extra], facts)
    assert _level(after) >= _level(before)
    if before.refer_to_social_care:
        assert after.refer_to_social_care


# Child sexual exploitation below "several" (T&P Part Two, level 2), on every version


@pytest.mark.parametrize("framework", [NORTHAMPTONSHIRE, NORTHAMPTONSHIRE_2013], ids=["2013.1", "2013"])
@pytest.mark.parametrize("ticked", [["cse-01"], ["cse-01", "cse-02"]])
def test_one_or_two_cse_indicators_are_at_least_level_2_and_the_reason_names_them(framework, ticked):
    result = recommend(framework, ticked)
    assert result.level == 2
    assert result.response == "early_help"
    assert not result.refer_to_social_care
    assert "universal" not in rules(result)
    below = reason(result, "list:cse:below")
    assert below.indicators == tuple(ticked)
    assert "Links with older men/people" in below.text
    assert "at least Level 2: Early Help" in below.text
    assert "3 or more" in below.text
    assert not any("Only level 1" in item.text for item in result.reasons)


def test_three_cse_indicators_call_for_a_referral():
    result = recommend(NORTHAMPTONSHIRE, ["cse-01", "cse-02", "cse-03"])
    assert result.refer_to_social_care
    assert result.level == 4


def test_a_single_level_2_need_uses_the_documents_words_about_a_caf():
    result = recommend(NORTHAMPTONSHIRE, ["l2-learning-01"])
    assert actions(result) == ["support_yourself"]
    text = result.actions[0].text
    assert "unlikely to require a CAF" in text
    assert "may not be necessary" in text
    assert "professional judgement" in text
    assert "not required" not in text
    assert result.actions[0].source == "Table One, level 2; section 4.1"


def test_the_universal_reason_names_the_indicators_selected():
    result = recommend(NORTHAMPTONSHIRE, ["l1-learning-01"])
    universal = reason(result, "universal")
    assert universal.indicators == ("l1-learning-01",)
    assert universal.text.startswith("Only Level 1: Universal indicators are selected (“")


def test_the_recommendation_as_json_has_every_key_the_cli_and_api_print():
    result = recommend(NORTHAMPTONSHIRE, ["l2-learning-01"], Facts(consent_given=False))
    data = result.as_dict()
    assert list(data) == [
        "framework",
        "version",
        "level",
        "level_name",
        "response",
        "refer_to_social_care",
        "actions",
        "reasons",
    ]
    assert data["framework"] == "northamptonshire"
    assert data["version"] == "2013.1"
    assert data["level_name"] == "Level 2: Early Help"
    assert data["response"] == "early_help"
    assert data["refer_to_social_care"] is False
    assert list(data["actions"][0]) == ["id", "text", "source"]
    assert list(data["reasons"][0]) == ["rule", "text", "indicators"]
    assert data["reasons"][0]["indicators"] == ["l2-learning-01"]
    assert Facts(consent_given=False, fgm_concern=True).as_dict() == {
        "caf_exists": False,
        "consent_given": False,
        "immediate_danger": False,
        "fgm_concern": True,
    }


# Word for word: what the practitioner reads ------------------------------------------------------

GOLDEN = Path(__file__).parent / "golden" / "recommendations.json"
N, F = "northamptonshire", "newham"
SCENARIOS: dict[str, tuple[str, list[str], Facts]] = {
    "nothing selected": (N, [], Facts()),
    "level 1 only": (N, ["l1-learning-01", "l1-health-01"], Facts(consent_given=True)),
    "level 2 in one area": (N, ["l2-learning-01", "l2-learning-02"], Facts(consent_given=True)),
    "level 2 in two areas": (N, ["l2-learning-01", "l2-housing-01"], Facts(consent_given=True)),
    "level 2 in two areas, consent refused": (N, ["l2-learning-01", "l2-housing-01"], Facts(consent_given=False)),
    "level 3": (N, ["l3-learning-01"], Facts()),
    "level 3 with a CAF": (N, ["l3-learning-01", "l2-health-01"], Facts(caf_exists=True, consent_given=True)),
    "level 4": (N, ["l4-learning-01"], Facts()),
    "level 4 with a CAF": (N, ["l4-learning-01"], Facts(caf_exists=True)),
    "an immediate safeguarding item": (N, ["safeguarding-01"], Facts()),
    "one CSE indicator": (N, ["cse-01"], Facts()),
    "two CSE indicators": (N, ["cse-01", "cse-02"], Facts()),
    "three CSE indicators": (N, ["cse-01", "cse-02", "cse-03"], Facts()),
    "nothing selected, consent refused": (N, [], Facts(consent_given=False)),
    "level 1 only, consent refused": (N, ["l1-learning-01"], Facts(consent_given=False)),
    "a section 17 factor": (N, ["s17-health-01"], Facts()),
    "an FGM concern": (N, [], Facts(fgm_concern=True)),
    "immediate danger": (N, ["l2-learning-01"], Facts(immediate_danger=True)),
    "Newham: nothing selected": (F, [], Facts()),
    "Newham: nothing selected, consent refused": (F, [], Facts(consent_given=False)),
    "Newham: one factor": (F, ["ff-family-conflict"], Facts(consent_given=True)),
    "Newham: two factors, consent refused": (F, ["ff-family-conflict", "ff-exclusion"], Facts(consent_given=False)),
    "Newham: acute": (F, ["ff-domestic-abuse-acute"], Facts()),
    "Newham: immediate danger": (F, ["ff-mental-health"], Facts(immediate_danger=True)),
}


def _all_recommendations() -> dict[str, object]:
    frameworks = {N: NORTHAMPTONSHIRE, F: NEWHAM}
    return {
        name: recommend(frameworks[framework], indicators, facts).as_dict()
        for name, (framework, indicators, facts) in SCENARIOS.items()
    }


def test_every_recommendation_reads_word_for_word_as_reviewed():
    """Every level, action, reason and indicator named, as a practitioner reads them: a change to
    any wording or rule shows here. After a deliberate change, review the new text and write it
    with `UPDATE_GOLDEN=1 pytest tests/test_thresholds_rules.py`."""
    found = _all_recommendations()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert found == json.loads(GOLDEN.read_text(encoding="utf-8"))
