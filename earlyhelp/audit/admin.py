"""The admin site writes nothing the audit trail does not see: every ModelAdmin registered derives
from `AuditedAdmin`, whose every save, removal and inline change is an audit row with the values
before and after, in the admin's own transaction (tests/test_admin_audited.py checks each one)."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.trail import audited_writes, record_change
from earlyhelp.organisations.models import User


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, bool | int | str) else str(value)


def _values(instance: models.Model) -> dict[str, Any]:
    return {
        field.name: _plain(getattr(instance, field.name))
        for field in instance._meta.concrete_fields
        if not field.primary_key and field.name != "password"
    }


def _related(instance: models.Model) -> dict[str, list[str]]:
    if instance.pk is None:
        return {}
    return {
        field.name: sorted(str(item) for item in getattr(instance, field.name).all())
        for field in instance._meta.many_to_many
    }


def _differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every change made in the admin site, recorded as the services record theirs."""

    def after_save(self, request: HttpRequest, obj: Any, change: bool) -> None:
        """What else a save sets going, inside its transaction (a subclass's hook)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        before = _values(saved) if saved is not None else {}
        form._audit_related_before = _related(saved) if saved is not None else {}
        with audited_writes():
            super().save_model(request, obj, form, change)
            record_change(
                actor=_actor(request),
                verb=AuditEvent.Verb.UPDATED if change else AuditEvent.Verb.CREATED,
                target=obj,
                changes=_differences(before, _values(obj)),
            )
            self.after_save(request, obj, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        with audited_writes():
            super().save_related(request, form, formsets, change)
            moved = _differences(getattr(form, "_audit_related_before", {}), _related(form.instance))
            if moved:
                record_change(actor=_actor(request), verb=AuditEvent.Verb.UPDATED, target=form.instance, changes=moved)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        actor = _actor(request)
        with audited_writes():
            for obj in [deleted.instance for deleted in formset.deleted_forms if deleted.instance.pk]:
                record_change(actor=actor, verb=AuditEvent.Verb.DELETED, target=obj, changes={"removed": str(obj)})
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                obj.delete()
            for obj in instances:
                before = _values(type(obj)._default_manager.get(pk=obj.pk)) if obj.pk else {}
                created = obj.pk is None
                obj.save()
                record_change(
                    actor=actor,
                    verb=AuditEvent.Verb.CREATED if created else AuditEvent.Verb.UPDATED,
                    target=obj,
                    changes=_differences(before, _values(obj)),
                )
            formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with audited_writes():
            record_change(
                actor=_actor(request), verb=AuditEvent.Verb.DELETED, target=obj, changes={"removed": _values(obj)}
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with audited_writes():
            for obj in queryset:
                record_change(
                    actor=_actor(request), verb=AuditEvent.Verb.DELETED, target=obj, changes={"removed": _values(obj)}
                )
            super().delete_queryset(request, queryset)
