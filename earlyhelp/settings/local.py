"""A developer's machine: `make run`."""

from earlyhelp.settings.base import *  # noqa: F403
from earlyhelp.settings.environment import env_bool

# The demo runs as its users see it: the service's own 404 and 500 pages. DEBUG=1 for Django's.
DEBUG = env_bool("DEBUG", False)
# Static files are served by WhiteNoise straight from the apps and node_modules, with DEBUG off
# and without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# No collectstatic here (WhiteNoise reads the finders); WhiteNoise only wants the folder to exist.
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405
