"""The base for every model that holds personal data: it can only be written inside an
audited service (see `earlyhelp.audit.trail`)."""

from typing import Any

from django.db import models

from earlyhelp.audit.trail import UnauditedWriteError, note_write, require_scope


class AuditedQuerySet(models.QuerySet[Any]):
    """Bulk writes skip `save()`, so they would skip the audit trail: they are refused."""

    def update(self, **kwargs: Any) -> int:
        raise UnauditedWriteError(f"Bulk update of {self.model._meta.label}: change records through a service.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise UnauditedWriteError(f"Bulk update of {self.model._meta.label}: change records through a service.")

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[Any]:
        raise UnauditedWriteError(f"Bulk create of {self.model._meta.label}: create records through a service.")

    def delete(self) -> tuple[int, dict[str, int]]:
        scope = require_scope(self.model)
        for instance in self:
            note_write(scope, instance)
        return super().delete()


class AuditedModel(models.Model):
    objects = AuditedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        scope = require_scope(type(self))
        super().save(*args, **kwargs)
        note_write(scope, self)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        scope = require_scope(type(self))
        note_write(scope, self)
        return super().delete(*args, **kwargs)
