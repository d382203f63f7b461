"""The shipped frameworks hold the whole of their source documents, and loading is versioned."""

from collections import Counter
from pathlib import Path

import pytest

from earlyhelp.thresholds.definition import FrameworkFileError, framework_parse
from earlyhelp.thresholds.models import Framework, FrameworkVersion
from earlyhelp.thresholds.services import SHIPPED_FRAMEWORKS, framework_load, framework_use

NORTHAMPTONSHIRE = (SHIPPED_FRAMEWORKS / "northamptonshire.yaml").read_text(encoding="utf-8")
NEWHAM = (SHIPPED_FRAMEWORKS / "newham.yaml").read_text(encoding="utf-8")

# Counted by hand from Part Two of Thresholds and Pathways (2013): level → domain → bullets.
NORTHAMPTONSHIRE_COUNTS = {
    1: {"learning": 7, "health": 3, "self_care": 1, "wellbeing": 7, "basic_care": 3, "warmth": 3, "guidance": 3,
        "relationships": 1, "housing": 6, "community": 4},
    2: {"learning": 6, "health": 8, "self_care": 1, "wellbeing": 15, "basic_care": 2, "warmth": 2, "guidance": 4,
        "relationships": 6, "housing": 8, "community": 4},
    3: {"learning": 5, "health": 4, "self_care": 2, "wellbeing": 14, "basic_care": 4, "warmth": 2, "guidance": 2,
        "relationships": 6, "housing": 5, "community": 3},
    4: {"learning": 4, "health": 3, "self_care": 3, "wellbeing": 14, "basic_care": 7, "warmth": 2, "guidance": 1,
        "relationships": 10, "housing": 6, "community": 1},
}  # fmt: skip


def _counts(text: str) -> dict[int, dict[str, int]]:
    definition = framework_parse(text)
    counted: dict[int, Counter[str]] = {}
    for indicator in definition.matrix_indicators():
        assert indicator.level is not None
        counted.setdefault(indicator.level, Counter())[indicator.domain] += 1
    return {level: dict(domains) for level, domains in counted.items()}


def test_northamptonshire_holds_every_indicator_of_every_level_and_domain():
    assert _counts(NORTHAMPTONSHIRE) == NORTHAMPTONSHIRE_COUNTS
    assert sum(sum(domains.values()) for domains in NORTHAMPTONSHIRE_COUNTS.values()) == 192


def test_northamptonshire_holds_the_referral_lists_in_full():
    definition = framework_parse(NORTHAMPTONSHIRE)
    lists = {special.id: special for special in definition.special_lists}
    assert len(lists["immediate-safeguarding"].items) == 6
    assert len(lists["cse"].items) == 15
    groups = Counter(item.group for item in lists["section-17"].items)
    assert groups == {"Health and Development": 8, "Environmental Factors": 4, "Parents and Carers": 6}
    assert definition.fgm is not None
    assert len(definition.fgm.guidance) == 7


def test_northamptonshire_keeps_the_documents_exact_words():
    definition = framework_parse(NORTHAMPTONSHIRE)
    by_id = definition.by_id
    assert by_id["l1-learning-01"].wording == "Achieving key milestones."
    assert by_id["l4-relationships-10"].wording == "Severe learning disability."
    assert by_id["l4-health-03"].includes == (
        "Potential for acute/life-threatening deterioration.",
        "Requiring end of life care.",
        "Severe health needs which are not currently being met at home or in education setting.",
        "Severe abnormalities in social communication.",
    )
    assert by_id["cse-13"].wording == "Having more than one sim card/phone"


def test_newham_holds_nine_factors_at_level_2_and_again_at_level_3():
    definition = framework_parse(NEWHAM)
    assert definition.level_numbers == (2, 3, 4)
    assert [level.response for level in definition.levels] == ["early_help", "statutory", "statutory"]
    counts = _counts(NEWHAM)
    assert {level: sum(domains.values()) for level, domains in counts.items()} == {2: 9, 3: 9}
    assert all(count == 1 for domains in counts.values() for count in domains.values())
    assert definition.special_lists == []
    assert definition.by_id["ff-domestic-abuse"].wording == "Parental domestic abuse"


def test_identifiers_are_unique_and_stable_in_form():
    for text in (NORTHAMPTONSHIRE, NEWHAM):
        definition = framework_parse(text)
        identifiers = list(definition.by_id)
        assert len(identifiers) == len(set(identifiers))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t.replace('version: "2013.1"', 'version: ""'), "version"),
        (lambda t: t.replace("domain: housing", "domain: houses", 1), "domain 'houses' is not one of the domains"),
        (lambda t: t.replace("l2-learning-02", "l2-learning-01", 1), "used more than once"),
        (lambda t: t.replace("  no_consent: [consider_safeguarding, anonymous_forum]\n", ""), "missing no_consent"),
        (lambda t: t.replace("[universal_services]", "[universal_service]"), "not defined: universal_service"),
        (lambda t: t.replace("response: universal", "response: everyone"), "levels.0.response"),
        (lambda t: t + "colour: blue\n", "colour"),
        (lambda t: "framework: [unclosed", "not valid YAML"),
    ],
)
def test_a_broken_framework_file_is_refused_with_the_problem_named(change, problem):
    with pytest.raises(FrameworkFileError) as refused:
        framework_parse(change(NORTHAMPTONSHIRE))
    assert problem in str(refused.value)


@pytest.mark.django_db
def test_loading_the_same_file_twice_changes_nothing():
    first = framework_load(text=NEWHAM, loaded_from="newham.yaml")
    again = framework_load(text=NEWHAM, loaded_from="newham.yaml")
    assert first.created
    assert not again.created
    assert FrameworkVersion.objects.count() == 1


@pytest.mark.django_db
def test_a_published_version_cannot_be_changed_in_place():
    framework_load(text=NEWHAM, loaded_from="newham.yaml")
    with pytest.raises(FrameworkFileError, match="give the file a new version number"):
        framework_load(text=NEWHAM.replace("Family conflict", "Family conflicts"), loaded_from="edited.yaml")


@pytest.mark.django_db
def test_a_new_version_is_loaded_beside_the_old_one():
    framework_load(text=NEWHAM, loaded_from="newham.yaml")
    framework_load(text=NEWHAM.replace('version: "2"', 'version: "3"'), loaded_from="newham-2.yaml")
    assert list(FrameworkVersion.objects.values_list("version", flat=True).order_by("pk")) == ["2", "3"]


def test_a_third_authority_adds_a_framework_with_a_file_and_no_code(tmp_path: Path):
    text = NEWHAM.replace("framework: newham", "framework: anyshire").replace("authority: Newham", "authority: Any")
    assert framework_parse(text).framework == "anyshire"


@pytest.mark.django_db
def test_the_configured_framework_is_put_in_use_and_can_be_switched(frameworks):
    in_use = Framework.objects.get(in_use=True)
    assert in_use.name == "northamptonshire"
    framework_use(name="newham")
    assert Framework.objects.get(in_use=True).name == "newham"
    with pytest.raises(FrameworkFileError, match="No framework called 'nowhere'"):
        framework_use(name="nowhere")
