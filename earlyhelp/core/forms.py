"""Django forms rendered as GOV.UK Design System components.

Every form in the service renders through `GovukFormRenderer`: each field as a GOV.UK form group
with its hint and its error message beside it, and `govuk/error_summary.html` lists the errors at
the top of the page, each linking to its field.
"""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorList
from django.http import QueryDict

from earlyhelp.core.numbers import is_ascii_digits
from earlyhelp.core.workflow import StaleEditError

INPUT_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}


# A question answered yes or no with radios, and the answer read back (None: not answered).
YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no(value: str | None) -> bool | None:
    return None if not value else value == "yes"


class GovukBoundField(BoundField):
    """Adds the GOV.UK classes, and links the input to its hint and error message."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        # A browser cuts pasted text at `maxlength` without a word; the service says so instead,
        # beside the field (and, for long text, counts as the person types).
        attrs.pop("maxlength", None)
        (widget or self.field.widget).attrs.pop("maxlength", None)  # each form has its own copy
        widget_type = self.widget_type
        classes = [INPUT_CLASSES.get(widget_type, "govuk-input")]
        # A width or other modifier set on the widget (govuk-input--width-10) is kept.
        extra = (widget or self.field.widget).attrs.get("class") or attrs.get("class")
        if extra:
            classes.append(str(extra))
        if self.errors and widget_type in {"text", "email", "number", "password", "textarea", "select", "govukdate"}:
            classes.append(f"{classes[0]}--error")
        attrs["class"] = " ".join(classes)
        described_by = []
        if self.help_text:
            described_by.append(self.hint_id)
        if self.errors:
            described_by.append(self.error_id)
        # Radios and dates are described on their fieldset instead.
        if self.character_count:
            attrs["class"] = f"{attrs['class']} govuk-js-character-count"
            described_by.append(f"{self.auto_id}-info")
        if described_by and widget_type not in {"radioselect", "govukdate", "checkboxselectmultiple"}:
            attrs["aria-describedby"] = " ".join(described_by)
        else:
            attrs.pop("aria-describedby", None)
        return attrs

    @property
    def character_count(self) -> int | None:
        """The longest text a textarea takes: shown with GOV.UK's character count."""
        longest = getattr(self.field, "max_length", None)
        return longest if self.widget_type == "textarea" and longest else None

    @property
    def errors(self) -> Any:
        """The field's errors, with Django's own "Ensure this value has at most…" in GOV.UK's words."""
        found = super().errors
        longest = getattr(self.field, "max_length", None)
        if not longest or not any(error.code == "max_length" for error in found.as_data()):
            return found
        value = self.data if isinstance(self.data, str) else ""
        default = forms.CharField().error_messages.get("max_length", "")
        words = (
            f"{self.label} must be {longest:,} characters or fewer. You have entered {len(value):,}: "
            "shorten it, nothing has been cut"
        )
        rewritten = [
            words if error.code == "max_length" and str(error.message) == str(default) else error.messages[0]
            for error in found.as_data()
        ]
        return ErrorList(rewritten, renderer=found.renderer)

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def describedby(self) -> str:
        ids = []
        if self.help_text:
            ids.append(self.hint_id)
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def first_input_id(self) -> str:
        """Where the error summary's link for this field should land."""
        if self.widget_type in {"govukdate", "radioselect", "checkboxselectmultiple"}:
            return f"{self.auto_id}_0"
        return str(self.auto_id)


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"
    bound_field_class = GovukBoundField


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year in three boxes."""

    template_name = "forms/widgets/govuk_date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            [
                forms.TextInput(attrs={"inputmode": "numeric"}),
                forms.TextInput(attrs={"inputmode": "numeric"}),
                forms.TextInput(attrs={"inputmode": "numeric"}),
            ],
            attrs,
        )

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with the GOV.UK error messages."""

    widget = GovukDateWidget

    def __init__(self, *, past_only: bool = False, **kwargs: Any) -> None:
        self.past_only = past_only
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def _name(self) -> str:
        return str(self.label or "The date")

    def compress(self, data_list: list[str]) -> date | None:
        if not data_list or not any(part.strip() for part in data_list if part):
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        missing = [label for label, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"{self._name()} must include a {' and '.join(missing)}", code="incomplete")
        if not (is_ascii_digits(day) and is_ascii_digits(month) and is_ascii_digits(year)) or len(year) != 4:
            raise forms.ValidationError(f"{self._name()} must be a real date", code="invalid")
        try:
            value = date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{self._name()} must be a real date", code="invalid") from None
        if self.past_only and value > date.today():
            raise forms.ValidationError(f"{self._name()} must be today or in the past", code="future")
        if value.year < 1900:
            raise forms.ValidationError(f"{self._name()} must be after 1900", code="too_old")
        return value

    def clean(self, value: Any) -> date | None:
        # MultiValueField reports a missing part before compress() can say which one; ask
        # compress() first so that the message names the part.
        if self.required and not any(value or []):
            raise forms.ValidationError(f"Enter {self._name().lower()}", code="required")
        return self.compress(list(value or ["", "", ""]))


def data_with(data: Any, **values: str) -> Any:
    """A form's posted data with some values replaced, every other value (lists too) kept."""
    changed = data.copy() if isinstance(data, QueryDict) else QueryDict(mutable=True)
    if not isinstance(data, QueryDict):
        for key, value in data.items():
            changed.setlist(key, value if isinstance(value, list) else [value])
    for key, value in values.items():
        changed[key] = value
    return changed


STALE_FORM = "This page is out of date. Open the record again, then make your change"


class VersionedForm(forms.Form):
    """An edit form that carries the version of the record it was opened at (ADR 11), so that a
    save from a stale page is refused instead of silently putting back someone else's change.

    `record_version` is the version when the page is first shown; a bound form keeps the one it
    was posted with. After a refused save, `show_stale()` keeps what was typed, lists what changed
    since, and moves the form on to the current version, so that saving again applies it."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    # False where the same form adds a new record: there is no version to be stale against.
    versioned = True

    def __init__(self, *args: Any, record_version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if record_version is not None:
            self.initial["version"] = record_version
        self.changes_since: list[Any] = []

    def clean_version(self) -> int | None:
        if not self.versioned:
            return None
        value = str(self.cleaned_data.get("version") or "").strip()
        if not is_ascii_digits(value) or len(value) > 9:
            raise forms.ValidationError(STALE_FORM, code="stale")
        return int(value)

    def full_clean(self) -> None:
        super().full_clean()
        # The version is a hidden field: its problem is the whole page's, not a field's.
        errors = self.errors
        if self.is_bound and "version" in errors:
            problems = errors.pop("version")
            errors.setdefault("__all__", self.error_class(error_class="nonfield")).extend(problems)

    @property
    def seen_version(self) -> int | None:
        value = self.cleaned_data.get("version") if hasattr(self, "cleaned_data") else None
        return value if isinstance(value, int) else None

    def show_stale(self, *, message: str, current_version: int, changes: list[Any]) -> None:
        self.add_error(None, message)
        self.data = data_with(self.data, version=str(current_version))
        self.changes_since = changes


def service_errors_show(form: forms.Form, error: ValidationError, *, field_for: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: each problem beside the field it names (through
    `field_for` where the service's word differs from the form's), the rest at the top; a stale
    save keeps what was typed and lists what changed since."""
    if isinstance(error, StaleEditError) and isinstance(form, VersionedForm):
        form.show_stale(message=error.messages[0], current_version=error.current_version, changes=error.changes)
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, problems in error.message_dict.items():
        field = (field_for or {}).get(key, key)
        form.add_error(field if field in form.fields else None, problems)
