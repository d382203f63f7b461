from typing import Any

from django import forms
from django.utils import timezone

from earlyhelp.core.forms import YES_NO, GovukDateField, GovukFormRenderer, VersionedForm, yes_no
from earlyhelp.directory.models import Need
from earlyhelp.forums.identifying import POSTCODE
from earlyhelp.forums.models import Attendance, Forum, ForumAction, ForumMeeting, ForumMember, RequestForDiscussion
from earlyhelp.forums.referring import ChildAndConsent
from earlyhelp.forums.requesting import PRESENTING_ISSUES, Decision, RequestDetails
from earlyhelp.forums.running import ActionDetails, Ending
from earlyhelp.frontdoor.journey import ConsentForm
from earlyhelp.frontdoor.referrals import ConsentDetails
from earlyhelp.organisations.models import Agency, Area, User
from earlyhelp.thresholds.definition import FrameworkDefinition
from earlyhelp.thresholds.forms import LevelOfNeedCheckForm

LEVELS = [
    ("", "Not sure: use the matrix below"),
    ("1", "Level 1"),
    ("2", "Level 2"),
    ("3", "Level 3"),
    ("4", "Level 4"),
]


class RequestForm(LevelOfNeedCheckForm):
    """T&P Appendix 1, in full: the requester, the child and family (named only with consent),
    the presenting issues, the level of need through the thresholds tool, what has been done,
    who to invite, and consent in the form's own words."""

    default_renderer = GovukFormRenderer

    kind = forms.ChoiceField(
        label="What would you like the forum to discuss?",
        choices=RequestForDiscussion.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether this is about a family or a community issue"},
    )
    requester_name = forms.CharField(label="Your name", max_length=200, required=False)
    requester_agency_name = forms.CharField(label="Your agency", max_length=200, required=False)
    requester_email = forms.EmailField(
        label="Your email address",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    requester_phone = forms.CharField(label="Your telephone number", max_length=50, required=False)
    about = forms.ChoiceField(
        label="Is the request about a child, a young person or a family?",
        choices=RequestForDiscussion.About.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent_given = forms.ChoiceField(
        label="Has the family agreed to be discussed by name at the forum?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
        help_text="If not, the forum discusses the case anonymously: leave out anything that could identify them",
    )
    child_name = forms.CharField(label="Name of the child, young person or family", max_length=200, required=False)
    address = forms.CharField(
        label="Address", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    date_of_birth = GovukDateField(label="Date of birth (if applicable)", required=False, past_only=True)
    school = forms.CharField(label="School or early years setting", max_length=200, required=False)
    age_or_school_year = forms.CharField(
        label="Age or school year",
        max_length=50,
        required=False,
        help_text="For an anonymous case, this instead of a date of birth: for example ‘Year 4’",
    )
    presenting_issues = forms.MultipleChoiceField(
        label="The main presenting issues",
        choices=[(group, list(items)) for group, items in PRESENTING_ISSUES.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    summary = forms.CharField(
        label="A brief overview of the case or issue",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="The main issues concerning the child, family or community",
    )
    barrier = forms.CharField(
        label="What is stuck?",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The barrier or blockage to address, or the resolution you need to move on",
    )
    level_of_need = forms.TypedChoiceField(
        label="What is the child or young person's level of need?",
        choices=LEVELS,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Or tick what you know in the Vulnerability Matrix below, and the thresholds tool works it out",
    )
    what_has_been_done = forms.CharField(
        label="What has been done so far, and which professionals or agencies are involved?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    caf_completed = forms.ChoiceField(
        label="Has a CAF been completed?", choices=YES_NO, widget=forms.RadioSelect, required=False
    )
    caf_number = forms.CharField(label="If so, the CAF number", max_length=50, required=False)
    who_to_invite = forms.CharField(
        label="Agencies or people you would like invited to the meeting",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent_given_by = forms.CharField(label="Name of the person giving consent", max_length=200, required=False)
    consent_given_on = GovukDateField(label="Date consent was given", required=False, past_only=True)
    consent_how = forms.ChoiceField(
        label="How was consent given?",
        choices=[("Signed the consent form", "They signed the consent form"), ("By phone", "By phone")],
        widget=forms.RadioSelect,
        required=False,
    )
    not_shared_with = forms.ModelMultipleChoiceField(
        label="Agencies the family asked not to be told (optional)",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their members see the case without the family's name or details",
    )
    checked_for_identifying_words = forms.BooleanField(
        label="I have checked: these words do not identify the family", required=False
    )

    def __init__(self, *args: Any, definition: FrameworkDefinition, user: User, **kwargs: Any) -> None:
        super().__init__(*args, definition=definition, **kwargs)
        # The matrix's indicators only: the front door's facts are not the form's questions.
        for name in ("caf_exists", "immediate_danger", "fgm_concern", "consent"):
            del self.fields[name]
        self.fields["not_shared_with"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            authority_id=user.authority_id
        ).order_by("name")
        if not self.is_bound:
            self.initial.update(
                {
                    "requester_name": user.full_name,
                    "requester_agency_name": user.agency.name if user.agency else "",
                    "requester_email": user.email,
                }
            )

    def details(self, user: User) -> RequestDetails:
        data = self.cleaned_data
        agency = user.agency if user.agency and data.get("requester_agency_name") == user.agency.name else None
        return RequestDetails(
            kind=data.get("kind") or "",
            requester_name=data.get("requester_name") or "",
            requester_agency=agency,
            requester_agency_name=data.get("requester_agency_name") or "",
            requester_email=data.get("requester_email") or "",
            requester_phone=data.get("requester_phone") or "",
            summary=data.get("summary") or "",
            barrier=data.get("barrier") or "",
            about=data.get("about") or "",
            consent_given=yes_no(data.get("consent_given")),
            child_name=data.get("child_name") or "",
            address=data.get("address") or "",
            date_of_birth=data.get("date_of_birth"),
            school=data.get("school") or "",
            age_or_school_year=data.get("age_or_school_year") or "",
            presenting_issues=list(data.get("presenting_issues") or []),
            level_of_need=data.get("level_of_need"),
            indicators=list(data.get("indicators") or []),
            what_has_been_done=data.get("what_has_been_done") or "",
            caf_completed=yes_no(data.get("caf_completed")),
            caf_number=data.get("caf_number") or "",
            who_to_invite=data.get("who_to_invite") or "",
            consent_given_by=data.get("consent_given_by") or "",
            consent_given_on=data.get("consent_given_on"),
            consent_how=data.get("consent_how") or "",
            not_shared_with=list(data.get("not_shared_with") or []),
            checked_for_identifying_words=bool(data.get("checked_for_identifying_words")),
        )


class DecisionForm(VersionedForm):
    default_renderer = GovukFormRenderer

    decision = forms.ChoiceField(
        label="What happens to this request?",
        choices=[
            (Decision.ACCEPT, "Accept it onto a meeting's agenda"),
            (Decision.HOLD, "Hold it for the next meeting"),
            (Decision.REDIRECT, "Redirect it elsewhere"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept, hold or redirect the request"},
    )
    meeting = forms.ModelChoiceField(
        label="Which meeting?",
        queryset=ForumMeeting.objects.none(),
        required=False,
        empty_label=None,
        help_text="A late request can still go on this meeting's agenda, by your choice",
    )
    reason = forms.CharField(
        label="Why (for holding or redirecting)",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example ‘Redirected to the front door: the family consents to a referral’",
    )

    def __init__(self, *args: Any, request: RequestForDiscussion, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, record_version=request.version, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        self.fields["meeting"].label_from_instance = lambda meeting: (  # type: ignore[attr-defined]
            f"{meeting.held_on:%-d %B %Y}"
            + (" (deadline passed)" if meeting.deadline_on < timezone.localdate() else "")
        )


class MoveOnForm(VersionedForm):
    default_renderer = GovukFormRenderer

    ending = forms.ChoiceField(
        label="What happens to the case now?",
        choices=[
            (Ending.ESCALATE, "Escalate it to the service managers: the forum cannot resolve it"),
            (Ending.OUTCOMES_MET, "Its outcomes are met"),
            (Ending.CLOSE, "Close it: nothing more for the forum"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happens to the case"},
    )
    reason = forms.CharField(label="Why", max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DiscussionForm(forms.Form):
    default_renderer = GovukFormRenderer
    ACTION_ROWS = 3

    notes = forms.CharField(
        label="The discussion", max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    decisions = forms.CharField(
        label="What the forum decided", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(self.ACTION_ROWS):
            self.fields[f"what-{index}"] = forms.CharField(label="Action", max_length=2000, required=False)
            self.fields[f"owner_name-{index}"] = forms.CharField(label="Who", max_length=200, required=False)
            self.fields[f"owner_agency_name-{index}"] = forms.CharField(
                label="Their agency", max_length=200, required=False
            )
            self.fields[f"due_on-{index}"] = GovukDateField(label="Due by", required=False)

    def action_rows(self) -> list[list[Any]]:
        return [
            [self[f"{name}-{index}"] for name in ("what", "owner_name", "owner_agency_name", "due_on")]
            for index in range(self.ACTION_ROWS)
        ]

    def actions(self) -> list[ActionDetails]:
        data = self.cleaned_data
        found = []
        for index in range(self.ACTION_ROWS):
            parts = [data.get(f"{name}-{index}") for name in ("what", "owner_name", "owner_agency_name", "due_on")]
            if any(parts):
                found.append(
                    ActionDetails(
                        what=parts[0] or "",
                        owner_name=parts[1] or "",
                        owner_agency_name=parts[2] or "",
                        due_on=parts[3],
                    )
                )
        return found


class ActionReviewForm(VersionedForm):
    default_renderer = GovukFormRenderer

    outcome = forms.ChoiceField(
        label="Was it done?",
        choices=[(ForumAction.Status.DONE, "Yes, it was done"), (ForumAction.Status.NOT_DONE, "No: drop it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the action was done"},
    )
    done_on = GovukDateField(label="Date it was done", required=False, past_only=True)
    note = forms.CharField(
        label="Note (why, if dropped)", max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttendanceForm(forms.Form):
    """The members who came, ticked, and anyone else typed in (part one is open to all
    practitioners in the locality)."""

    default_renderer = GovukFormRenderer
    GUEST_ROWS = 3

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        parts = [("", "Did not come"), *Attendance.Part.choices]
        for member in members:
            self.fields[f"member-{member.pk}"] = forms.ChoiceField(
                label=f"{member.user.full_name}, {member.get_kind_display()}",
                choices=parts,
                required=False,
                help_text=member.user.agency.name if member.user.agency else (member.represents or ""),
            )
        for index in range(self.GUEST_ROWS):
            self.fields[f"guest_name-{index}"] = forms.CharField(label="Name", max_length=200, required=False)
            self.fields[f"guest_agency-{index}"] = forms.CharField(label="Agency", max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for index in range(self.GUEST_ROWS):
            name, agency = data.get(f"guest_name-{index}"), data.get(f"guest_agency-{index}")
            if name and not agency:
                self.add_error(f"guest_agency-{index}", f"Enter {name}'s agency")
            if agency and not name:
                self.add_error(f"guest_name-{index}", "Enter the name of the person who came")
        return data

    def member_fields(self) -> list[Any]:
        return [self[f"member-{member.pk}"] for member in self.members]

    def guest_rows(self) -> list[list[Any]]:
        return [[self[f"guest_name-{index}"], self[f"guest_agency-{index}"]] for index in range(self.GUEST_ROWS)]


class LearningForm(VersionedForm):
    default_renderer = GovukFormRenderer

    learning = forms.CharField(
        label="What the forum learned",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Reflections on the learning gained from the discussions, individually or together",
    )


class InviteForm(VersionedForm):
    default_renderer = GovukFormRenderer

    invited = forms.ModelMultipleChoiceField(
        label="Extended members invited to this case",
        queryset=ForumMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Core members are in every case discussion; an extended member sees part one, and only the cases "
            "they are invited to"
        ),
    )

    def __init__(self, *args: Any, request: RequestForDiscussion, **kwargs: Any) -> None:
        super().__init__(*args, record_version=request.version, **kwargs)
        field = self.fields["invited"]
        field.queryset = ForumMember.objects.filter(  # type: ignore[attr-defined]
            forum_id=request.forum_id, kind=ForumMember.Kind.EXTENDED, left_on__isnull=True
        ).select_related("user", "user__agency")
        field.label_from_instance = lambda m: f"{m.user.full_name}, {m.represents or m.user.agency}"  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["invited"] = list(request.invited.all())


class ReferToFrontDoorForm(ConsentForm):
    """The child, the reasons and the family's consent to early help: what the front door needs
    beyond what the forum already holds."""

    first_name = forms.CharField(label="The child's first name", max_length=100, required=False)
    last_name = forms.CharField(label="The child's last name", max_length=100, required=False)
    date_of_birth = GovukDateField(label="The child's date of birth", required=False, past_only=True)
    postcode = forms.CharField(label="Postcode", max_length=8, required=False)
    needs = forms.ModelMultipleChoiceField(
        label="What are you worried about?",
        queryset=Need.objects.filter(active=True),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply: the front door decides against these",
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = ["first_name", "last_name", "date_of_birth", "postcode", "needs"]

    def __init__(self, *args: Any, request: RequestForDiscussion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            first, _, last = request.child_name.partition(" ")
            found = POSTCODE.search(request.address)
            self.initial.update(
                {
                    "first_name": first,
                    "last_name": last,
                    "date_of_birth": request.date_of_birth,
                    "postcode": found.group(0).upper() if found else "",
                    "version": request.version,
                }
            )

    @property
    def seen_version(self) -> int | None:
        value = str(self.cleaned_data.get("version") or "")
        return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else -1

    def details(self) -> ChildAndConsent:
        data = self.cleaned_data
        given = data.get("consent") == "given"
        return ChildAndConsent(
            first_name=data.get("first_name") or "",
            last_name=data.get("last_name") or "",
            date_of_birth=data.get("date_of_birth"),
            postcode=data.get("postcode") or "",
            needs=[need.code for need in data.get("needs") or []],
            consent=ConsentDetails(
                status=data.get("consent") or "",
                given_by=(data.get("given_by") or "") if given else "",
                given_on=data.get("given_on") if given else None,
                how=(data.get("how") or "") if given else "",
                covers=list(data.get("covers") or []) if given else [],
            ),
        )


class ReportFiltersForm(forms.Form):
    """The report's period and forum, read from the page's address so that a view can be shared."""

    default_renderer = GovukFormRenderer

    since = GovukDateField(label="From", required=False)
    until = GovukDateField(label="To", required=False)
    forum = forms.ModelChoiceField(
        label="Forum", queryset=Forum.objects.none(), required=False, empty_label="Every forum"
    )

    def __init__(self, *args: Any, forums: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end of the period must be on or after its start")
        elif since and until and (until - since).days > 3 * 366:
            self.add_error("until", "Choose a period of three years or less")
        return data


class MarketPlaceForm(forms.Form):
    default_renderer = GovukFormRenderer

    area = forms.ModelChoiceField(label="Area", queryset=Area.objects.none(), empty_label=None, required=False)
    held_on = GovukDateField(label="Date of the event", required=False)
    venue = forms.CharField(label="Venue", max_length=300, required=False)
    details = forms.CharField(
        label="What is on (optional)", max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies attending (optional)",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, areas: list[Any], user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        agency_field = self.fields["agencies"]
        assert isinstance(area_field, forms.ModelChoiceField)
        assert isinstance(agency_field, forms.ModelMultipleChoiceField)
        area_field.queryset = Area.objects.filter(pk__in=[area.pk for area in areas])
        agencies = Agency.objects.filter(authority_id=user.authority_id).exclude(kind=Agency.Kind.SCHOOL)
        agency_field.queryset = agencies.order_by("name")


class MeetingChangeForm(VersionedForm):
    default_renderer = GovukFormRenderer

    change = forms.ChoiceField(
        label="What is changing?",
        choices=[("move", "The date or the venue"), ("cancel", "The meeting is cancelled")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the meeting moves or is cancelled"},
    )
    held_on = GovukDateField(label="New date", required=False)
    venue = forms.CharField(label="Venue", max_length=300, required=False)
    because = forms.CharField(
        label="Why it is cancelled", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
