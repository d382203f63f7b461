"""Checks Django runs before it serves (`manage.py check`, and gunicorn's start in
`gunicorn.conf.py`): mistakes of set-up that would otherwise show as a 500 on every page."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def static_files_collected(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """With the manifest storage (production), every page's stylesheet link needs the manifest
    `collectstatic` writes: without it each page is a 500. Say so before serving anything."""
    backend = settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    if "Manifest" not in backend:
        return []
    manifest = settings.STATIC_ROOT and (settings.STATIC_ROOT / "staticfiles.json")
    if manifest and manifest.exists():
        return []
    return [
        Error(
            f"Static files have not been collected into {settings.STATIC_ROOT}: every page would fail.",
            hint="Run `python manage.py collectstatic --no-input` first (`make production` does).",
            id="earlyhelp.E001",
        )
    ]
