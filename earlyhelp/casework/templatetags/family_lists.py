"""`{% family_table rows caption show_coach %}`: a list of families, rendered by Jinja2 (ADR 27)."""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from earlyhelp.casework.selectors import FamilyRow
from earlyhelp.core.jinja import rendered

register = template.Library()


@register.simple_tag
def family_table(rows: Iterable[FamilyRow], caption: str, show_coach: bool = False) -> SafeString:
    return rendered("casework/family_table.html", rows=rows, caption=caption, show_coach=show_coach)
