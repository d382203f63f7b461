"""No lost updates in the admin site either (ADR 11): a record edited there carries a `version`,
and a save from a page opened before someone else's save is refused, keeping what was typed and
saying what is saved now.

The admin site saves inside a transaction; the check reads the version under the row lock, so
two administrators saving at once take turns and the second is refused.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models

from earlyhelp.core.forms import data_with
from earlyhelp.core.numbers import is_ascii_digits

STALE_ADMIN = (
    "Someone else saved this after you opened it, so your changes have not been saved. What you typed is "
    "still here; saved now: {saved}. Check, then save again"
)


class VersionedAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form that carries the version it was opened at, as `seen_version`."""

    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None:
            return data
        model = type(self.instance)
        saved = model._default_manager.select_for_update().get(pk=self.instance.pk)
        seen = str(data.get("seen_version") or "")
        if not is_ascii_digits(seen) or int(seen) != saved.version:
            self.data = data_with(self.data, seen_version=str(saved.version))
            raise forms.ValidationError(STALE_ADMIN.format(saved=_saved_differences(saved, data)), code="stale")
        self.instance.version = saved.version + 1
        return data


def _saved_differences(saved: models.Model, typed: dict[str, Any]) -> str:
    """The saved values of the fields where what was typed differs from them."""
    differences = []
    for field in saved._meta.concrete_fields:
        if field.name not in typed or field.name == "version":
            continue
        now = getattr(saved, field.name)
        if now != typed[field.name]:
            differences.append(f"{field.verbose_name} “{now}”")
    return "; ".join(differences) or "the same as what you typed"


class VersionedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The admin for a model with a `version` field."""

    form = VersionedAdminForm

    def get_fieldsets(self, request: Any, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and not any("seen_version" in (options.get("fields") or ()) for _, options in fieldsets):
            fieldsets.append((None, {"fields": ("seen_version",), "classes": ("hidden",)}))
        return fieldsets
