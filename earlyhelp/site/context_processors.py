from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from earlyhelp.accounts import two_step
from earlyhelp.organisations.models import Authority
from earlyhelp.organisations.roles import Permission

# The menu after "Home" and the front door: each item, shown to anyone with one of its permissions.
NAVIGATION: list[tuple[str, str, tuple[Permission, ...]]] = [
    ("My families", "casework:my-families", (Permission.HOLD_CASELOAD, Permission.VIEW_OWN_RECORDS)),
    ("Team", "casework:my-team", (Permission.ALLOCATE_EPISODES, Permission.VIEW_EVERY_TEAM)),
    ("Beyond capacity", "casework:capacity", (Permission.DECIDE_BEYOND_CAPACITY,)),
    (
        "Transfer panel",
        "casework:transfer-panel",
        (Permission.OVERSEE_CHILDREN_IN_NEED, Permission.ALLOCATE_EPISODES, Permission.DECIDE_BEYOND_CAPACITY),
    ),
    ("Make a referral", "frontdoor:refer-start", (Permission.MAKE_REFERRALS,)),
    ("Forums", "forums:forums", (Permission.MAKE_REFERRALS, Permission.DECIDE_BEYOND_CAPACITY)),
    ("Find a person", "people:search", (Permission.VIEW_AUTHORITY_RECORDS, Permission.VIEW_OWN_RECORDS)),
    ("Add a person", "people:person-add", (Permission.ADD_PEOPLE,)),
    ("Performance", "performance:dashboard", (Permission.VIEW_AGGREGATE_FIGURES,)),
    ("Level of need", "thresholds:check", tuple(Permission)),
    ("Administration", "admin:index", (Permission.ADMINISTER_ORGANISATIONS,)),
]


def service(request: HttpRequest) -> dict[str, object]:
    user = request.user
    # Families and partners on the public pages see whose service this is (ADR 13).
    authority = user.authority if user.is_authenticated else Authority.objects.current()
    context: dict[str, object] = {
        "service_name": authority.service_name if authority else settings.SERVICE_NAME,
        "authority_name": authority.name if authority else "",
    }
    if not user.is_authenticated:
        return context
    if two_step.session_state(request.session) is None:
        # Between the password and the second step: no menu to pages that would send them back.
        context["two_step_pending"] = True
        return context
    items = [("Home", reverse("home"))] + [
        (text, reverse(url_name)) for text, url_name, wanted in NAVIGATION if any(map(user.can, wanted))
    ]
    if user.can(Permission.TRIAGE_CONTACTS):
        items.insert(1, ("Front door", reverse("frontdoor:queue")))
    elif user.can(Permission.VIEW_TEAM_REFERRALS):
        items.insert(1, ("New referrals", reverse("frontdoor:team-referrals")))
    context["navigation"] = [{"text": text, "href": href, "current": request.path == href} for text, href in items]
    return context
