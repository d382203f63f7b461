"""`{% case_file_content %}`: the case file's content, rendered by Jinja2 (ADR 27)."""

from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from earlyhelp.core.jinja import rendered
from earlyhelp.sharing.templatetags.sharing_record import shared_without_consent

register = template.Library()

# What the case file's view puts in its context, passed on to the Jinja2 template.
CONTEXT = ("case", "every", "notes", "meetings", "events", "episode", "can_work", "can_allocate", "settings")


@register.simple_tag(takes_context=True)
def case_file_content(context: template.Context) -> SafeString:
    values: dict[str, Any] = {name: context[name] for name in CONTEXT}
    # Decisions to share without consent: the sharing app's own template, as on every other page.
    banner = get_template("sharing/includes/shared_without_consent.html")
    values["shared_without_consent"] = mark_safe(banner.render(shared_without_consent(values["episode"].family)))  # nosec B308, B703 (a Django template's output, escaped there)
    return rendered("casework/case_file.html", **values)
