"""A developer's machine: `make run`."""

from earlyhelp.settings.base import *  # noqa: F403
from earlyhelp.settings.environment import env_bool

DEBUG = env_bool("DEBUG", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
