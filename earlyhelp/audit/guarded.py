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

    def derived_update(self, **kwargs: Any) -> int:
        """An UPDATE of values the service works out from audited records (the model's
        `DERIVED_FIELDS`, e.g. an episode's next deadline): nobody types them, and the change
        that moved them has its audit row. Any other field is refused."""
        self._only_derived(kwargs)
        return super().update(**kwargs)

    def derived_bulk_update(self, objs: list[Any], fields: list[str] | tuple[str, ...], batch_size: int) -> int:
        self._only_derived(fields)
        # Django's bulk_update runs UPDATEs through the queryset's own update(), refused above.
        plain: models.QuerySet[Any] = models.QuerySet(self.model, using=self.db)
        return plain.bulk_update(objs, fields, batch_size=batch_size)

    def _only_derived(self, fields: Any) -> None:
        allowed = set(getattr(self.model, "DERIVED_FIELDS", ()))
        if not set(fields) <= allowed:
            raise UnauditedWriteError(
                f"Bulk update of {self.model._meta.label}: {sorted(set(fields) - allowed)} are not derived fields."
            )

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
