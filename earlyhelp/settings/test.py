"""The test suite: `make test`."""

from earlyhelp.settings.base import *  # noqa: F403

DEBUG = False
# Argon2 is deliberately slow; the tests sign in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True
