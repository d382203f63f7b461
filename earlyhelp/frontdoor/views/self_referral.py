"""A family asks for help themselves: one short public page in plain words, no sign-in.

Nothing is saved until they press "Send": a form with problems comes back with everything they
typed and the problem beside each answer. It is protected against abuse by a limit on sends from
one address per hour, a limit on the size of every answer and of the whole request, and a hidden
"honeypot" box that people cannot see but form-filling robots fill in.
"""

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from earlyhelp.core.addresses import client_address
from earlyhelp.core.forms import GovukDateField, GovukFormRenderer
from earlyhelp.core.middleware import request_length
from earlyhelp.directory.models import Need
from earlyhelp.frontdoor import receiving
from earlyhelp.frontdoor.models import Consent, ConsentCovers, ConsentHow, Contact, ContactPerson
from earlyhelp.frontdoor.referrals import ConsentDetails, PersonDetails, Referral
from earlyhelp.organisations.models import Authority

log = logging.getLogger(__name__)

CHILD_SLOTS = 3
LARGEST_REQUEST = 64 * 1024
RELATIONSHIPS = [
    ("parent", "I am their parent"),
    ("carer", "I look after them (carer or guardian)"),
    ("young_person", "I am the young person"),
    ("other_adult", "Something else"),
]


class SelfReferralForm(forms.Form):
    default_renderer = GovukFormRenderer

    your_name = forms.CharField(label="Your name", max_length=200, error_messages={"required": "Enter your name"})
    relationship = forms.ChoiceField(
        label="Who are you?",
        choices=RELATIONSHIPS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who you are"},
    )
    phone = forms.CharField(label="Phone number", max_length=50, required=False)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    address = forms.CharField(
        label="Your address", max_length=500, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    needs = forms.ModelMultipleChoiceField(
        label="What would you like help with?",
        queryset=Need.objects.filter(active=True),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose all that apply.",
        error_messages={"required": "Choose at least one thing you would like help with"},
    )
    reason = forms.CharField(
        label="Tell us what is happening",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="In your own words. What is worrying you, and how is it affecting your children?",
        error_messages={
            "required": "Tell us what is happening",
            "max_length": "Tell us in 3,000 characters or fewer",
        },
    )
    what_has_been_tried = forms.CharField(
        label="Has anyone helped already? (optional)",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, your school, GP or health visitor.",
    )
    agree = forms.BooleanField(
        label=(
            "I agree to the early help team contacting me, and talking to the services that know my family, "
            "to work out the best help"
        ),
        error_messages={
            "required": "You need to agree before we can help. If you do not want to agree, you can ring us instead"
        },
    )
    # The honeypot: hidden from people (and from screen readers); robots fill it in.
    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        needs = self.fields["needs"]
        assert isinstance(needs, forms.ModelMultipleChoiceField)
        needs.label_from_instance = lambda need: need.plain_name  # type: ignore[method-assign,assignment]
        for slot in range(1, CHILD_SLOTS + 1):
            required = slot == 1
            self.fields[f"child_{slot}_name"] = forms.CharField(
                label="Their first and last name",
                max_length=200,
                required=required,
                error_messages={"required": "Enter the name of at least one child"},
            )
            self.fields[f"child_{slot}_date_of_birth"] = GovukDateField(
                label="Their date of birth", required=False, past_only=True, help_text="For example, 27 3 2015"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("phone") or "").strip() and not data.get("email") and "email" not in self.errors:
            self.add_error("phone", "Give a phone number or an email address, so that we can contact you")
        for slot in range(1, CHILD_SLOTS + 1):
            name = (data.get(f"child_{slot}_name") or "").strip()
            if name and len(name.split()) < 2:
                self.add_error(f"child_{slot}_name", "Enter the child's first and last name")
            if (
                name
                and not data.get(f"child_{slot}_date_of_birth")
                and f"child_{slot}_date_of_birth" not in self.errors
            ):
                self.add_error(f"child_{slot}_date_of_birth", "Enter the child's date of birth")
        return data

    def children(self) -> list[PersonDetails]:
        found = []
        for slot in range(1, CHILD_SLOTS + 1):
            name = (self.cleaned_data.get(f"child_{slot}_name") or "").strip()
            if name:
                first, _, last = name.rpartition(" ")
                found.append(
                    PersonDetails(
                        role=ContactPerson.Role.CHILD,
                        first_name=first,
                        last_name=last,
                        date_of_birth=self.cleaned_data.get(f"child_{slot}_date_of_birth"),
                        address=self.cleaned_data["address"],
                        postcode=self.cleaned_data["postcode"],
                    )
                )
        return found

    def referral(self) -> Referral:
        data = self.cleaned_data
        name = data["your_name"].strip()
        first, _, last = name.rpartition(" ")
        referral = Referral(
            referrer_name=name,
            referrer_role=dict(RELATIONSHIPS)[data["relationship"]],
            referrer_email=data["email"],
            referrer_phone=data["phone"],
            children=self.children(),
            needs=[need.code for need in data["needs"]],
            reason=data["reason"],
            what_has_been_tried=data["what_has_been_tried"],
            consent=ConsentDetails(
                status=Consent.GIVEN,
                given_by=f"{name} ({dict(RELATIONSHIPS)[data['relationship']].lower()})",
                given_on=timezone.localdate(),
                how=ConsentHow.ONLINE,
                covers=[ConsentCovers.EARLY_HELP_SERVICE, ConsentCovers.SHARE_WITH_AGENCIES],
            ),
        )
        if data["relationship"] != "young_person":
            role = (
                data["relationship"] if data["relationship"] in ("parent", "carer") else ContactPerson.Role.OTHER_ADULT
            )
            referral.adults.append(
                PersonDetails(
                    role=role,
                    first_name=first or name,
                    last_name=last or name,
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                    postcode=data["postcode"],
                )
            )
        return referral


def _limit_key(request: HttpRequest) -> str:
    return f"self-referral:{client_address(request) or 'unknown'}"


def _over_the_limit(request: HttpRequest, authority: Authority) -> bool:
    """Whether this address has already sent as many requests as an hour allows."""
    return int(cache.get(_limit_key(request), 0)) >= authority.self_referral_limit_per_hour


def _count_a_send(request: HttpRequest) -> None:
    """Only a request that was accepted counts towards the limit: a form with a mistake does not."""
    key = _limit_key(request)
    cache.add(key, 0, timeout=60 * 60)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=60 * 60)


def _problems_into_form(form: SelfReferralForm, problems: dict[str, str]) -> None:
    """Problems the shared checks found, put beside the answer they came from."""
    where = {"referrer_email": "email", "referrer_phone": "phone", "referrer_name": "your_name", "needs": "needs"}
    for key, message in problems.items():
        field = where.get(key)
        if key.startswith("children."):
            slot = int(key.split(".")[1]) + 1
            field = f"child_{slot}_date_of_birth" if "date" in key else f"child_{slot}_name"
        elif key.startswith("adults."):
            field = "postcode" if "postcode" in key else "your_name"
        form.add_error(field if field in form.fields else None, message)


@login_not_required
@require_http_methods(["GET", "POST"])
def ask_for_help(request: HttpRequest) -> HttpResponse:
    authority = Authority.objects.current()
    if authority is None:
        return render(request, "frontdoor/ask_unavailable.html", {}, status=503)
    context: dict[str, Any] = {"front_door_phone": authority.front_door_phone, "child_slots": range(1, CHILD_SLOTS + 1)}
    if request.method == "POST" and request_length(request) > LARGEST_REQUEST:
        return render(request, "frontdoor/ask_too_much.html", context, status=413)
    form = SelfReferralForm(request.POST or None)
    if request.method == "POST":
        if _over_the_limit(request, authority):
            # Everything typed stays on the page, so the family can copy it or ring with it to hand.
            context |= {"form": form, "too_many": True}
            return render(request, "frontdoor/ask.html", context, status=429)
        if form.is_valid():
            if form.cleaned_data["website"]:
                log.warning("Self-referral honeypot filled in from %s; nothing saved", client_address(request))
                return redirect("frontdoor:ask-sent")
            try:
                contact = receiving.contact_receive(
                    referral=form.referral(), source=Contact.Source.FAMILY, authority_id=authority.pk
                )
            except receiving.ReferralInvalidError as invalid:
                _problems_into_form(form, invalid.problems)
            else:
                _count_a_send(request)
                request.session["self_referral_reference"] = contact.reference
                return redirect("frontdoor:ask-sent")
    context["form"] = form
    return render(request, "frontdoor/ask.html", context)


@login_not_required
@require_http_methods(["GET"])
def ask_sent(request: HttpRequest) -> HttpResponse:
    reference = request.session.pop("self_referral_reference", "")
    authority = Authority.objects.current()
    phone = authority.front_door_phone if authority else settings.FRONT_DOOR_PHONE
    return render(request, "frontdoor/ask_sent.html", {"reference": reference, "front_door_phone": phone})
