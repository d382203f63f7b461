from typing import Any

from django import forms

from earlyhelp.core.forms import GovukFormRenderer
from earlyhelp.directory.models import Need
from earlyhelp.organisations.models import Area, Authority

LEVELS = [("", "Any level"), ("1", "Level 1"), ("2", "Level 2"), ("3", "Level 3"), ("4", "Level 4")]


class ServiceSearchForm(forms.Form):
    default_renderer = GovukFormRenderer

    words = forms.CharField(label="Words to look for", required=False, max_length=100)
    level = forms.ChoiceField(label="Level of need", choices=LEVELS, required=False)
    area = forms.ModelChoiceField(label="Area", queryset=Area.objects.none(), required=False, empty_label="Any area")
    age = forms.IntegerField(
        label="Age of the child or young person",
        required=False,
        min_value=0,
        max_value=25,
        error_messages={
            "min_value": "Age must be 0 or more",
            "max_value": "Age must be 25 or less",
            "invalid": "Enter an age in years, like 8",
        },
    )
    needs = forms.ModelMultipleChoiceField(
        label="What help is needed?",
        queryset=Need.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, authority: Authority | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = Area.objects.filter(authority=authority)
        self.fields["age"].widget.attrs.update({"class": "govuk-input--width-3", "inputmode": "numeric"})
