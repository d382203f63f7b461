"""An authority's casework configuration: its timescales and service model, and the versioned
list of needs episodes are coded against (`needs/*.yaml`)."""

from pathlib import Path
from typing import Any

import yaml
from django.db import IntegrityError, transaction

from earlyhelp.casework.models import CaseworkSettings, CodedNeed, NeedsList
from earlyhelp.casework.schedule import TimescaleRules
from earlyhelp.core.compiled import Compiled
from earlyhelp.frontdoor.clock import WorkingTime, rules_of, working_time
from earlyhelp.organisations.models import Authority

SHIPPED_NEEDS = Path(__file__).parent / "needs"
SHIPPED_ASSESSMENTS = Path(__file__).parent / "assessments"
SECTION_KINDS = ("text", "per_child", "munro", "scale")


# Read on every casework page: built once (core/compiled.py).
_SETTINGS: "Compiled[CaseworkSettings]" = Compiled(
    lambda authority: CaseworkSettings.objects.filter(authority_id=authority).order_by("pk")[:1]
)


def casework_settings_of(authority: Authority) -> CaseworkSettings:
    """The authority's casework settings, made with the documents' defaults the first time
    they are asked for (an authority set up before casework has none yet)."""
    found = _SETTINGS.list(authority=authority.pk)
    if found:
        return found[0]
    try:
        with transaction.atomic():
            return CaseworkSettings.objects.create(authority=authority)
    except IntegrityError:  # made by another request at the same moment
        return CaseworkSettings.objects.get(authority=authority)


def timescale_rules(settings: CaseworkSettings) -> TimescaleRules:
    return TimescaleRules(
        allocation_target_working_hours=settings.allocation_target_working_hours,
        allocation_limit_working_hours=settings.allocation_limit_working_hours,
        first_visit_working_days_from_allocation=settings.first_visit_working_days_from_allocation,
        first_visit_days_from_referral=settings.first_visit_days_from_referral,
        assessment_days_from_referral=settings.assessment_days_from_referral,
        assessment_days_from_allocation=settings.assessment_days_from_allocation,
        assessment_days_from_first_visit=settings.assessment_days_from_first_visit,
        first_meeting_days_from_assessment=settings.first_meeting_days_from_assessment,
        first_meeting_days_from_referral=settings.first_meeting_days_from_referral,
        manager_review_weeks_from_allocation=settings.manager_review_weeks_from_allocation,
        visit_interval_weeks=settings.visit_interval_weeks,
        review_interval_weeks=settings.review_interval_weeks,
        case_note_working_hours=settings.case_note_working_hours,
        intervention_months=settings.intervention_months,
        case_supervision_months=settings.case_supervision_months,
    )


def working_time_of(authority: Authority) -> WorkingTime:
    """The front door's clock (its working days and hours, bank holidays and closed days),
    which casework counts its working days and hours by."""
    return working_time(rules_of(authority))


def needs_list_in_use() -> NeedsList | None:
    return NeedsList.objects.filter(in_use=True).first()


def needs_lists_load(needs_list_model: Any = NeedsList, coded_need_model: Any = CodedNeed) -> list[Any]:
    """Load each shipped needs list not loaded yet; the newest loaded becomes the one in use.
    Takes the models so that a migration can pass its historical ones."""
    loaded = []
    for path in sorted(SHIPPED_NEEDS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        needs_list, created = needs_list_model.objects.get_or_create(
            name=data["name"], version=str(data["version"]), defaults={"title": data["title"]}
        )
        if created:
            order = 0
            for group, needs in data["needs"].items():
                for code, name in needs:
                    order += 1
                    coded_need_model.objects.create(
                        needs_list=needs_list, code=code, name=name, group=group, order=order
                    )
            loaded.append(needs_list)
    if loaded:
        needs_list_model.objects.filter(in_use=True).update(in_use=False)
        newest = loaded[-1]
        newest.in_use = True
        newest.save(update_fields=["in_use"])
    return loaded


def assessment_templates_load(template_model: Any = None) -> list[Any]:
    """Load each shipped assessment layout not loaded yet (a changed file needs a new version).
    Takes the model so that a migration can pass its historical one."""
    from earlyhelp.casework.models import AssessmentTemplate

    model = template_model or AssessmentTemplate
    loaded = []
    for path in sorted(SHIPPED_ASSESSMENTS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in data["sections"]:
            if section["kind"] not in SECTION_KINDS:
                raise ValueError(f"{path.name}: section {section['key']} has an unknown kind {section['kind']!r}")
        template, created = model.objects.get_or_create(
            name=data["name"],
            version=str(data["version"]),
            defaults={"title": data["title"], "definition": {"sections": data["sections"]}},
        )
        if created:
            model.objects.filter(name=data["name"]).exclude(pk=template.pk).update(active=False)
            loaded.append(template)
    return loaded
