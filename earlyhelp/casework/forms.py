"""The casework forms: the allocation note, the head of service's decision, the legal basis and
the lead practitioner. Each parses what was typed; the service re-checks every rule."""

from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone

from earlyhelp.casework.allocating import AllocationNote, ChildAtAllocation
from earlyhelp.casework.assessing import MUNRO_QUESTIONS, WELLBEING
from earlyhelp.casework.caseloads import Caseload, users_granted
from earlyhelp.casework.closing import ClosureDetails
from earlyhelp.casework.models import (
    Assessment,
    AssessmentTemplate,
    CapacityEscalation,
    CaseNote,
    CaseworkSettings,
    CodedNeed,
    Episode,
    EpisodeChild,
    LegalBasis,
    Meeting,
    Oversight,
    PlanAction,
    TeamMember,
)
from earlyhelp.casework.planning import ActionDetails, MeetingDetails, MemberDetails
from earlyhelp.casework.schedule import AllocationTimescales
from earlyhelp.casework.visiting import ConsentAtFirstVisit, VisitDetails
from earlyhelp.core.forms import GovukDateField, GovukFormRenderer, VersionedForm
from earlyhelp.organisations.models import Team, User
from earlyhelp.organisations.roles import Permission
from earlyhelp.thresholds.models import LevelOfNeedDecision


def _coach_label(load: Caseload) -> str:
    room = "no room" if load.room <= 0 else f"room for {load.room}"
    return f"{load.coach.full_name}: {load.weighted} of {load.capacity} families ({room})"


class AllocationForm(VersionedForm):
    """The allocation note (FF §8.1): the coach, the family's weight, each child's needs and
    wellbeing score, what the coach is to do, and the four timescales it sets."""

    default_renderer = GovukFormRenderer

    coach = forms.TypedChoiceField(
        label="Family coach",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the family coach", "invalid_choice": "Choose one of the team's coaches"},
    )
    weight = forms.CharField(
        label="Weight of this family in the coach's caseload",
        initial="1.0",
        help_text="1 is one family; more for a complex family (FF §5.4). From 0.5 to 5.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
    )
    note = forms.CharField(
        label="Allocation note",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The children and their needs as known at referral, and what the coach is to do first.",
        error_messages={"required": "Write the allocation note"},
    )
    first_visit_due = GovukDateField(
        label="First visit by", help_text="Starts at 5 working days from allocation (FF §12.1)."
    )
    assessment_due = GovukDateField(
        label="Assessment written up and authorised by", help_text="Starts at 20 days from referral (FF §10.4)."
    )
    first_meeting_due = GovukDateField(
        label="First Team Around the Family meeting by", help_text="Starts at 30 days from referral."
    )
    manager_review_due = GovukDateField(
        label="Case review with a manager by", help_text="Starts at 4 weeks from allocation (the authority's default)."
    )

    def __init__(
        self,
        *args: Any,
        episode: Episode,
        loads: list[Caseload],
        children: list[EpisodeChild],
        needs: list[CodedNeed],
        settings: CaseworkSettings,
        defaults: AllocationTimescales,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, record_version=episode.version, **kwargs)
        self.loads, self.children = loads, children
        coach = self.fields["coach"]
        assert isinstance(coach, forms.TypedChoiceField)
        coach.choices = [(load.coach.pk, _coach_label(load)) for load in loads if load.coach.pk != episode.coach_id]
        if not self.is_bound:
            self.initial.update(
                first_visit_due=episode.first_visit_due or defaults.first_visit,
                assessment_due=episode.assessment_due or defaults.assessment,
                first_meeting_due=episode.first_meeting_due or defaults.first_meeting,
                manager_review_due=episode.manager_review_due or defaults.manager_review,
                weight=str(episode.weight),
            )
        self.first_allocation = episode.status == Episode.Status.AWAITING_ALLOCATION
        if not self.first_allocation:
            return
        lowest, highest = settings.wellbeing_scale_lowest, settings.wellbeing_scale_highest
        scale = [(str(value), str(value)) for value in range(lowest, highest + 1)]
        grouped = [(need.code, need.name) for need in needs]
        for entry in children:
            name = entry.person.full_name
            self.fields[f"needs-{entry.person_id}"] = forms.MultipleChoiceField(
                label=f"{name}'s needs",
                choices=grouped,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=(
                    "From the referral, as far as it is known: the Families First factors and the Supporting "
                    "Families outcomes."
                ),
            )
            self.fields[f"wellbeing-{entry.person_id}"] = forms.ChoiceField(
                label=f"{name}'s wellbeing, from the information so far",
                choices=[("", "Choose a score"), *scale],
                required=False,
                help_text=f"{lowest} is the worst it could be, {highest} the best.",
            )
            if not self.is_bound:
                self.initial[f"needs-{entry.person_id}"] = [need.code for need in entry.needs.all()]

    def clean_weight(self) -> Decimal:
        text = str(self.cleaned_data.get("weight") or "").strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError("Enter the weight as a number, like 1 or 1.5") from None
        if not value.is_finite() or value != value.quantize(Decimal("0.1")):
            raise forms.ValidationError("Enter the weight to one decimal place at most, like 1.5")
        return value

    def child_fields(self) -> list[tuple[EpisodeChild, Any, Any]]:
        if not self.first_allocation:
            return []
        return [
            (entry, self[f"needs-{entry.person_id}"], self[f"wellbeing-{entry.person_id}"]) for entry in self.children
        ]

    def allocation_note(self) -> AllocationNote:
        data = self.cleaned_data
        coaches = {load.coach.pk: load.coach for load in self.loads}
        children = []
        if self.first_allocation:
            for entry in self.children:
                score = data.get(f"wellbeing-{entry.person_id}") or ""
                children.append(
                    ChildAtAllocation(
                        person_id=entry.person_id,
                        wellbeing=int(score) if score.isdigit() else None,
                        needs=list(data.get(f"needs-{entry.person_id}") or []),
                    )
                )
        return AllocationNote(
            coach=coaches.get(data["coach"]),
            weight=data["weight"],
            note=data["note"],
            first_visit_due=data.get("first_visit_due"),
            assessment_due=data.get("assessment_due"),
            first_meeting_due=data.get("first_meeting_due"),
            manager_review_due=data.get("manager_review_due"),
            children=children,
        )


class EscalationForm(forms.Form):
    default_renderer = GovukFormRenderer

    why = forms.CharField(
        label="Why can the team not take this family now?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The head of service decides each family's case: there is no waiting list (FF §5.4).",
        error_messages={"required": "Say why the team cannot take this family now"},
    )


class CapacityDecisionForm(forms.Form):
    default_renderer = GovukFormRenderer

    decision = forms.ChoiceField(
        label="What happens for this family?",
        choices=[
            (
                CapacityEscalation.Decision.ALLOCATE_BEYOND_CAPACITY,
                CapacityEscalation.Decision.ALLOCATE_BEYOND_CAPACITY.label,
            ),
            (CapacityEscalation.Decision.ANOTHER_TEAM, CapacityEscalation.Decision.ANOTHER_TEAM.label),
            (CapacityEscalation.Decision.OTHER, CapacityEscalation.Decision.OTHER.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happens for this family"},
    )
    other_team = forms.ModelChoiceField(
        label="If another team: which?", queryset=Team.objects.none(), required=False, empty_label="Choose a team"
    )
    reason = forms.CharField(
        label="Why",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why: the decision is recorded on the family's case"},
    )

    def __init__(self, *args: Any, escalation: CapacityEscalation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        other = self.fields["other_team"]
        assert isinstance(other, forms.ModelChoiceField)
        other.queryset = Team.objects.filter(
            area__authority_id=escalation.episode.authority_id, kind=Team.Kind.FAMILY_SUPPORT
        ).exclude(pk=escalation.episode.team_id)


class LegalBasisForm(VersionedForm):
    default_renderer = GovukFormRenderer

    legal_basis = forms.ChoiceField(
        label="Legal basis",
        choices=LegalBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the legal basis"},
    )
    social_worker = forms.ModelChoiceField(
        label="Overseeing social worker (a child in need)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a social worker",
    )
    reason = forms.CharField(
        label="Why does it change?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the legal basis changes"},
    )

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        super().__init__(*args, record_version=episode.version, **kwargs)
        worker = self.fields["social_worker"]
        assert isinstance(worker, forms.ModelChoiceField)
        worker.queryset = users_granted(Permission.OVERSEE_CHILDREN_IN_NEED).filter(authority_id=episode.authority_id)
        if not self.is_bound:
            self.initial.update(legal_basis=episode.legal_basis, social_worker=episode.overseeing_social_worker_id)


class LeadPractitionerForm(VersionedForm):
    default_renderer = GovukFormRenderer

    lead = forms.ModelChoiceField(
        label="Lead practitioner",
        queryset=User.objects.none(),
        empty_label="Choose who leads",
        help_text="From any agency: a school, health visiting, the family's coach.",
        error_messages={"required": "Choose the lead practitioner"},
    )
    agreed_with_family = forms.BooleanField(label="The family agreed who leads", required=False)
    handed_over_on = GovukDateField(label="Handover date", past_only=True)
    handover = forms.CharField(
        label="How the work was handed over",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The handover meeting, who came, what was passed on.",
        error_messages={"required": "Say how the work was handed over"},
    )

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        super().__init__(*args, record_version=episode.version, **kwargs)
        lead = self.fields["lead"]
        assert isinstance(lead, forms.ModelChoiceField)
        staff_or_partner = users_granted(Permission.VIEW_AUTHORITY_RECORDS) | users_granted(Permission.VIEW_OWN_RECORDS)
        lead.queryset = (
            staff_or_partner.filter(authority_id=episode.authority_id)
            .exclude(pk=episode.lead_practitioner_id or 0)
            .select_related("agency", "team")
            .order_by("full_name")
        )
        lead.label_from_instance = lambda user: f"{user.full_name}, {user.organisation_name}"  # type: ignore[method-assign,assignment]


def _time_of_day(text: str) -> time | None:
    """“14:30”, “2:30pm”, “9am” → a time; None when it is not one."""
    cleaned = text.strip().lower().replace(".", ":").replace(" ", "")
    afternoon, morning = cleaned.endswith("pm"), cleaned.endswith("am")
    cleaned = cleaned.removesuffix("pm").removesuffix("am")
    hours, _, minutes = cleaned.partition(":")
    if not (hours.isdigit() and (minutes.isdigit() or minutes == "")) or len(hours) > 2 or len(minutes) > 2:
        return None
    hour, minute = int(hours), int(minutes or 0)
    if (afternoon or morning) and not 1 <= hour <= 12:
        return None  # "13pm", "0am": not a time on a 12-hour clock
    if afternoon and hour < 12:
        hour += 12
    if morning and hour == 12:
        hour = 0  # 12am is midnight (12pm is midday)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


class VisitForm(forms.Form):
    """A visit or contact with the family, its case note, and at the first visit the consent."""

    default_renderer = GovukFormRenderer

    kind = forms.ChoiceField(
        label="What was it?",
        choices=CaseNote.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of visit or contact it was"},
    )
    happened_on = GovukDateField(label="When did it happen?", past_only=True)
    happened_time = forms.CharField(
        label="At what time?",
        help_text="For example 14:30 or 2:30pm",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the time it happened, for example 14:30"},
    )
    successful = forms.ChoiceField(
        label="Did you see the family?",
        choices=[("yes", "Yes"), ("no", "No: nobody was in, or they would not see me")],
        widget=forms.RadioSelect,
        initial="yes",
        error_messages={"required": "Say whether you saw the family"},
    )
    who_was_seen = forms.CharField(
        label="Who was seen",
        required=False,
        max_length=500,
        help_text="Each child seen, and whether on their own.",
    )
    note = forms.CharField(
        label="Case note",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Write it now or within 24 hours: what happened, what was seen and heard, what happens next.",
    )
    consent_in_writing = forms.ChoiceField(
        label="If this is the first visit: did the family give consent in writing?",
        choices=[("yes", "Yes, in writing"), ("no", "No")],
        widget=forms.RadioSelect,
        required=False,
        help_text="Consent is obtained again at the first visit, in writing where possible (FF §12.1).",
    )
    consent_given_by = forms.CharField(label="Who signed it", required=False, max_length=200)
    consent_given_on = GovukDateField(label="Date it was signed", required=False, past_only=True)
    consent_not_in_writing_because = forms.CharField(
        label="If not in writing: why not?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_happened_time(self) -> time:
        found = _time_of_day(str(self.cleaned_data.get("happened_time") or ""))
        if found is None:
            raise forms.ValidationError("Enter the time like 14:30 or 2:30pm")
        return found

    def details(self) -> VisitDetails:
        data = self.cleaned_data
        day, at = data.get("happened_on"), data.get("happened_time")
        happened = timezone.make_aware(datetime.combine(day, at)) if day and at else None
        in_writing = {"yes": True, "no": False}.get(data.get("consent_in_writing") or "")
        return VisitDetails(
            kind=data["kind"],
            happened_at=happened,
            successful=data.get("successful") != "no",
            who_was_seen=data.get("who_was_seen") or "",
            note=data.get("note") or "",
            consent=ConsentAtFirstVisit(
                in_writing=in_writing,
                given_by=data.get("consent_given_by") or "",
                given_on=data.get("consent_given_on"),
                not_in_writing_because=data.get("consent_not_in_writing_because") or "",
            ),
        )


class CaseNoteForm(VersionedForm):
    default_renderer = GovukFormRenderer

    note = forms.CharField(
        label="Case note",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Write the case note: what happened, what was seen and heard, what is next"},
    )

    def __init__(self, *args: Any, case_note: CaseNote, **kwargs: Any) -> None:
        super().__init__(*args, record_version=case_note.version, **kwargs)
        if not self.is_bound:
            self.initial["note"] = case_note.note


class OversightForm(forms.Form):
    default_renderer = GovukFormRenderer

    point = forms.ChoiceField(
        label="Oversight at which point?",
        choices=[choice for choice in Oversight.Point.choices if choice[0] != Oversight.Point.ALLOCATION],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the point of the oversight"},
    )
    note = forms.CharField(
        label="Oversight note",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you reviewed, what you decided, and what happens next (FF §19.1).",
        error_messages={"required": "Write the oversight note"},
    )


class AssessmentStartForm(forms.Form):
    default_renderer = GovukFormRenderer

    template = forms.ModelChoiceField(
        label="Which assessment?",
        queryset=AssessmentTemplate.objects.filter(active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the assessment to use"},
    )


def _level_label(decision: LevelOfNeedDecision) -> str:
    when = timezone.localtime(decision.decided_at)
    return f"{decision.person.full_name}: level {decision.level} ({decision.level_name}), {when:%-d %B %Y}"


class AssessmentForm(VersionedForm):
    """The assessment's sections as its layout gives them, each child's views and wellbeing, and
    the level of need recorded through the thresholds tool."""

    default_renderer = GovukFormRenderer

    level_of_need = forms.ModelChoiceField(
        label="Level of need",
        queryset=LevelOfNeedDecision.objects.none(),
        required=False,
        empty_label="Not recorded yet",
        help_text=(
            "Recorded with the thresholds tool for a child on this episode; the decision keeps its framework version."
        ),
    )

    def __init__(
        self,
        *args: Any,
        assessment: Assessment,
        children: list[EpisodeChild],
        settings: CaseworkSettings,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, record_version=assessment.version, **kwargs)
        self.assessment, self.children = assessment, children
        answers = assessment.answers or {}
        self.sections: list[tuple[dict[str, str], list[str]]] = []
        for section in assessment.template.sections:
            names = self._section_fields(section, answers.get(section["key"]))
            self.sections.append((section, names))
        lowest, highest = settings.wellbeing_scale_lowest, settings.wellbeing_scale_highest
        scores = answers.get(WELLBEING) or {}
        self.wellbeing_names = []
        for child in children:
            name = f"{WELLBEING}-{child.person_id}"
            self.fields[name] = forms.ChoiceField(
                label=f"{child.person.full_name}'s wellbeing now",
                choices=[("", "Choose a score"), *[(str(value), str(value)) for value in range(lowest, highest + 1)]],
                required=False,
            )
            self.initial[name] = scores.get(str(child.person_id), "")
            self.wellbeing_names.append(name)
        level = self.fields["level_of_need"]
        assert isinstance(level, forms.ModelChoiceField)
        level.queryset = LevelOfNeedDecision.objects.filter(
            person__in=[child.person for child in children]
        ).select_related("person", "framework_version__framework")
        level.label_from_instance = _level_label  # type: ignore[method-assign,assignment]
        self.initial["level_of_need"] = assessment.level_of_need_id

    def _section_fields(self, section: dict[str, str], value: Any) -> list[str]:
        key, kind, title = section["key"], section["kind"], section["title"]
        help_text = section.get("help", "")
        names = []
        if kind == "per_child":
            for child in self.children:
                name = f"{key}-{child.person_id}"
                self.fields[name] = forms.CharField(
                    label=f"{child.person.full_name}'s views",
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=help_text,
                )
                self.initial[name] = (value or {}).get(str(child.person_id), "")
                names.append(name)
        elif kind == "munro":
            for question, label in MUNRO_QUESTIONS:
                name = f"{key}-{question}"
                self.fields[name] = forms.CharField(
                    label=label, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
                )
                self.initial[name] = (value or {}).get(question, "")
                names.append(name)
        elif kind == "scale":
            self.fields[key] = forms.ChoiceField(
                label=title,
                choices=[("", "Choose"), *[(str(value), str(value)) for value in range(11)]],
                required=False,
                help_text=help_text,
            )
            self.initial[key] = value or ""
            names.append(key)
        else:
            self.fields[key] = forms.CharField(
                label=title,
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=help_text,
            )
            self.initial[key] = value or ""
            names.append(key)
        return names

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        found: dict[str, Any] = {}
        for section, names in self.sections:
            key, kind = section["key"], section["kind"]
            if kind == "per_child":
                found[key] = {str(child.person_id): data.get(f"{key}-{child.person_id}", "") for child in self.children}
            elif kind == "munro":
                found[key] = {question: data.get(f"{key}-{question}", "") for question, _ in MUNRO_QUESTIONS}
            else:
                found[key] = data.get(names[0], "")
        found[WELLBEING] = {
            str(child.person_id): data.get(f"{WELLBEING}-{child.person_id}", "") for child in self.children
        }
        return found


class SignOffForm(forms.Form):
    default_renderer = GovukFormRenderer

    decision = forms.ChoiceField(
        label="Do you authorise this assessment?",
        choices=[("authorise", "Yes, authorise it"), ("return", "No, return it to be written further")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you authorise the assessment"},
    )
    note = forms.CharField(
        label="Your oversight, or what needs to change",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write your oversight, or what needs to change"},
    )


class TeamMemberForm(forms.Form):
    default_renderer = GovukFormRenderer

    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the member's name"})
    is_family = forms.BooleanField(label="A member of the family", required=False)
    role = forms.CharField(
        label="Role, or how they are related to the children",
        max_length=200,
        help_text="For example ‘class teacher’, ‘health visitor’, ‘mother’, ‘Maya (age 10)’",
        error_messages={"required": "Enter their role, or how they are related to the children"},
    )
    agency = forms.CharField(label="Agency", max_length=200, required=False, help_text="Leave empty for the family")
    email = forms.EmailField(label="Email address (optional)", required=False, max_length=254)

    def member(self) -> MemberDetails:
        data = self.cleaned_data
        return MemberDetails(
            name=data["name"],
            role=data["role"],
            agency=data.get("agency") or "",
            is_family=bool(data.get("is_family")),
            email=data.get("email") or "",
        )


class PlanActionForm(forms.Form):
    default_renderer = GovukFormRenderer

    what = forms.CharField(
        label="What needs to happen",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what needs to happen"},
    )
    who = forms.CharField(label="Who will do it", max_length=200, error_messages={"required": "Say who will do it"})
    by_when = GovukDateField(label="By when")
    outcome_sought = forms.CharField(
        label="The outcome sought",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what the action is for: the outcome sought"},
    )
    measure = forms.CharField(
        label="How everyone will know it is working",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say how everyone will know it is working"},
    )

    def details(self) -> ActionDetails:
        data = self.cleaned_data
        return ActionDetails(
            what=data["what"],
            who=data["who"],
            by_when=data.get("by_when"),
            outcome_sought=data["outcome_sought"],
            measure=data["measure"],
        )


class PlanActionUpdateForm(VersionedForm):
    default_renderer = GovukFormRenderer

    status = forms.ChoiceField(
        label="Where does it stand?",
        choices=PlanAction.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the action stands"},
    )
    by_when = GovukDateField(label="By when")
    progress = forms.CharField(
        label="Progress",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What has happened, measured as the plan says.",
    )

    def __init__(self, *args: Any, action: PlanAction, **kwargs: Any) -> None:
        super().__init__(*args, record_version=action.version, **kwargs)
        if not self.is_bound:
            self.initial.update(status=action.status, by_when=action.by_when, progress=action.progress)


class MeetingForm(forms.Form):
    default_renderer = GovukFormRenderer

    kind = forms.ChoiceField(
        label="Which meeting?",
        choices=Meeting.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which meeting it was"},
    )
    held_on = GovukDateField(label="When was it held?", past_only=True)
    held_time = forms.CharField(
        label="At what time?",
        help_text="For example 14:30 or 2:30pm",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the time it was held, for example 14:30"},
    )
    attended = forms.MultipleChoiceField(
        label="Who attended",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Members of the Team Around the Family, the family among them.",
    )
    minutes = forms.CharField(
        label="Minutes",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What was discussed and agreed, and how the plan changes.",
        error_messages={"required": "Write the minutes"},
    )
    copies_given = forms.BooleanField(
        label="The family and every member were given a copy of the assessment and the plan",
        required=False,
        help_text="At the initial planning meeting and each review.",
    )
    feedback_offered = forms.BooleanField(
        label="At an ending meeting: the family was offered the chance to give feedback",
        required=False,
        help_text="They must be offered it (FF §18.1), whether or not they take it.",
    )
    family_feedback = forms.CharField(
        label="The family's feedback, in their words (if they gave it)",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        members: list[TeamMember],
        children: list[EpisodeChild],
        settings: CaseworkSettings,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        attended = self.fields["attended"]
        assert isinstance(attended, forms.MultipleChoiceField)
        attended.choices = [(str(member.pk), f"{member.name}, {member.agency or member.role}") for member in members]
        self.children = children
        lowest, highest = settings.wellbeing_scale_lowest, settings.wellbeing_scale_highest
        self.wellbeing_names = []
        for child in children:
            name = f"wellbeing-{child.person_id}"
            self.fields[name] = forms.ChoiceField(
                label=f"{child.person.full_name}'s wellbeing (at a review)",
                choices=[("", "Choose a score"), *[(str(value), str(value)) for value in range(lowest, highest + 1)]],
                required=False,
            )
            self.wellbeing_names.append(name)

    def clean_held_time(self) -> time:
        found = _time_of_day(str(self.cleaned_data.get("held_time") or ""))
        if found is None:
            raise forms.ValidationError("Enter the time like 14:30 or 2:30pm")
        return found

    def details(self) -> MeetingDetails:
        data = self.cleaned_data
        day, at = data.get("held_on"), data.get("held_time")
        scores = {child.person_id: data.get(f"wellbeing-{child.person_id}") or "" for child in self.children}
        return MeetingDetails(
            kind=data["kind"],
            held_at=timezone.make_aware(datetime.combine(day, at)) if day and at else None,
            minutes=data["minutes"],
            attended=[int(pk) for pk in data.get("attended") or []],
            wellbeing={pk: int(score) if score.isdigit() else None for pk, score in scores.items()},
            feedback_offered=bool(data.get("feedback_offered")),
            family_feedback=data.get("family_feedback") or "",
            copies_given=bool(data.get("copies_given")),
        )


class ClosureForm(VersionedForm):
    default_renderer = GovukFormRenderer

    end_reason = forms.ChoiceField(
        label="Why is the work ending?",
        choices=[choice for choice in Episode.EndReason.choices if choice[0] != Episode.EndReason.STEPPED_UP],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the work is ending"},
    )
    transition_to = forms.CharField(
        label="If moving on: to whom?",
        max_length=300,
        required=False,
        help_text="The universal service or single agency, and the lead practitioner there.",
    )
    social_care_referral = forms.ChoiceField(
        label="If the family disengaged or withdrew consent: refer to children's social care?",
        choices=[("refer", "Yes, refer"), ("not_refer", "No")],
        widget=forms.RadioSelect,
        required=False,
    )
    social_care_because = forms.CharField(
        label="Why (disengagement or withdrawn consent)",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    open_actions_because = forms.CharField(
        label="If plan actions are still open: why close now?",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary = forms.CharField(
        label="Closure summary",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What changed for the family, and what happens if things slip. It goes in the closure letter.",
        required=False,  # the service names it with every other missing part at once
    )

    def __init__(
        self, *args: Any, episode: Episode, children: list[EpisodeChild], settings: CaseworkSettings, **kwargs: Any
    ) -> None:
        super().__init__(*args, record_version=episode.version, **kwargs)
        self.children = children
        lowest, highest = settings.wellbeing_scale_lowest, settings.wellbeing_scale_highest
        for child in children:
            self.fields[f"wellbeing-{child.person_id}"] = forms.ChoiceField(
                label=f"{child.person.full_name}'s wellbeing now",
                choices=[("", "Choose a score"), *[(str(value), str(value)) for value in range(lowest, highest + 1)]],
                required=False,
            )

    def details(self) -> ClosureDetails:
        data = self.cleaned_data
        scores = {child.person_id: data.get(f"wellbeing-{child.person_id}") or "" for child in self.children}
        return ClosureDetails(
            end_reason=data["end_reason"],
            summary=data["summary"],
            transition_to=data.get("transition_to") or "",
            open_actions_because=data.get("open_actions_because") or "",
            social_care_referral=data.get("social_care_referral") or "",
            social_care_because=data.get("social_care_because") or "",
            wellbeing={pk: int(score) if score.isdigit() else None for pk, score in scores.items()},
        )
