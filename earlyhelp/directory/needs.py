"""The needs every authority starts with: the nine Families First eligibility factors (FF §1.2)
and five more from the Vulnerability Matrix's domains. Administrators can add, rename or retire
them; a retired need stays on the referrals that used it."""

from typing import Any

NEEDS: list[tuple[str, str, str, bool]] = [
    ("parental-domestic-abuse", "Parental domestic abuse", "Domestic abuse between parents or carers", True),
    ("parental-mental-health", "Parental mental ill-health", "A parent or carer's mental health", True),
    ("parental-substance-misuse", "Parental substance misuse", "A parent or carer's drinking or drug use", True),
    (
        "parental-learning-disability",
        "Parents with learning disabilities or difficulties",
        "A parent or carer with learning difficulties",
        True,
    ),
    ("family-conflict", "Family conflict", "Arguments or conflict in the family", True),
    (
        "school-exclusion",
        "At risk of exclusion from school, or excluded (including NEET)",
        "A child at risk of being excluded from school, or not in education, work or training",
        True,
    ),
    (
        "exploitation",
        "Young people at risk of exploitation in the community",
        "Worries that a young person is being exploited or drawn into crime",
        True,
    ),
    (
        "emotional-wellbeing",
        "Young people with emotional wellbeing difficulties",
        "A child or young person's feelings and emotional wellbeing",
        True,
    ),
    (
        "child-to-parent-abuse",
        "Young people perpetrating domestic abuse against their parents",
        "A young person being violent or abusive to a parent",
        True,
    ),
    ("parenting", "Parenting support", "Help with parenting, routines and boundaries", False),
    ("school-attendance", "School attendance", "A child not going to school regularly", False),
    ("child-health", "Child's health, development or disability", "A child's health, development or disability", False),
    ("housing-finance", "Housing, employment or money", "Housing, work or money worries", False),
    ("community", "Isolation and community support", "Feeling alone, or needing support in the community", False),
]


def needs_ensure(need_model: Any) -> None:
    """Add any of the starting needs that are missing (used by the migration and the tests)."""
    for order, (code, name, plain_name, factor) in enumerate(NEEDS, start=1):
        need_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "plain_name": plain_name, "families_first_factor": factor, "order": order},
        )
