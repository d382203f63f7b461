"""The dashboards' filters, read from the page's address so that a view can be shared."""

from datetime import date, timedelta
from typing import Any

from django import forms

from earlyhelp.core.forms import GovukDateField, GovukFormRenderer
from earlyhelp.organisations.models import Area, Team, User

LONGEST_PERIOD_DAYS = 5 * 366 + 1


def year_to(day: date) -> tuple[date, date]:
    """The default period: the twelve months up to and including `day`."""
    try:
        since = day.replace(year=day.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        since = day.replace(year=day.year - 1, day=28) + timedelta(days=1)
    return since, day


class DashboardFiltersForm(forms.Form):
    default_renderer = GovukFormRenderer

    since = GovukDateField(label="From", required=False)
    until = GovukDateField(label="To", required=False)
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.none(), required=False, empty_label="Every team")
    coach = forms.ModelChoiceField(
        label="Worker", queryset=User.objects.none(), required=False, empty_label="Every worker"
    )
    area = forms.ModelChoiceField(label="Area", queryset=Area.objects.none(), required=False, empty_label="Every area")

    def __init__(self, *args: Any, teams: Any, coaches: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["coach"].queryset = coaches  # type: ignore[attr-defined]
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end of the period must be on or after its start")
        elif since and until and (until - since).days > LONGEST_PERIOD_DAYS:
            self.add_error("until", "Choose a period of five years or less")
        return data
