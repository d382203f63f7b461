from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from earlyhelp.organisations.models import Authority
from earlyhelp.organisations.roles import Permission


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
    items = [("Home", reverse("home"))]
    if user.can(Permission.TRIAGE_CONTACTS):
        items.append(("Front door", reverse("frontdoor:queue")))
    elif user.can(Permission.VIEW_TEAM_REFERRALS):
        items.append(("New referrals", reverse("frontdoor:team-referrals")))
    if user.can(Permission.MAKE_REFERRALS):
        items.append(("Make a referral", reverse("frontdoor:refer-start")))
    if user.can(Permission.VIEW_AUTHORITY_RECORDS) or user.can(Permission.VIEW_OWN_RECORDS):
        items.append(("Find a person", reverse("people:search")))
    if user.can(Permission.ADD_PEOPLE):
        items.append(("Add a person", reverse("people:person-add")))
    items.append(("Level of need", reverse("thresholds:check")))
    if user.can(Permission.ADMINISTER_ORGANISATIONS):
        items.append(("Administration", reverse("admin:index")))
    context["navigation"] = [{"text": text, "href": href, "current": request.path == href} for text, href in items]
    return context
