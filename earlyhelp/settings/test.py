"""The test suite: `make test`."""

import tempfile

from earlyhelp.settings.base import *  # noqa: F403

DEBUG = False
# Argon2 is deliberately slow; the tests sign in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True
# Documents uploaded by the tests go to a folder of their own, never the developer's var/.
STORAGES["documents"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": tempfile.mkdtemp(prefix="earlyhelp-test-documents-"), "base_url": None},
}
