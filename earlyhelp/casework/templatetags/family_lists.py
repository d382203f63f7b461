"""`{% family_table rows caption show_coach %}`: a list of families, rendered by Jinja2 (ADR 27)."""

from collections.abc import Iterable

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

from earlyhelp.casework.selectors import FamilyRow

register = template.Library()


@register.simple_tag
def family_table(rows: Iterable[FamilyRow], caption: str, show_coach: bool = False) -> SafeString:
    # The Jinja2 template itself, not Django's wrapper of it: the wrapper would add the request's
    # context (CSRF token, the signed-in user) that a list of families does not use.
    table = engines["jinja2"].env.get_template("casework/family_table.html")  # type: ignore[attr-defined]
    html: str = table.render(rows=rows, caption=caption, show_coach=show_coach)
    return mark_safe(html)  # nosec B308, B703 (Jinja2 escaped every value: autoescape is on)
