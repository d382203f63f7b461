"""Production: every secret and host comes from the environment.

The service runs under gunicorn (`gunicorn.conf.py`, `make production`) behind a reverse proxy
that terminates TLS and sets X-Forwarded-Proto and X-Forwarded-For; static files are collected
(`collectstatic`) and served by WhiteNoise; Redis holds the cache and the sessions when REDIS_URL
is set, so that several app servers can serve the same users. See the README's "Production".
"""

import os

from earlyhelp.settings.base import *  # noqa: F403
from earlyhelp.settings.base import DATABASES
from earlyhelp.settings.environment import env_bool, env_int, env_str

DEBUG = False
# The demo's users share the password and API key printed in the README (load_demo refuses).
DEMO_DATA_ALLOWED = False
SECRET_KEY = os.environ["SECRET_KEY"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The proxy normally redirects plain HTTP itself; this is the service's own guard behind it.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000
# Every subdomain over HTTPS too; "preload" lets the domain join browsers' built-in list (gov.uk
# is on it already). HSTS_PRELOAD=0 for a domain whose owner has not agreed to that.
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz answers the proxy's and the load balancer's checks over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# A connection kept for a minute instead of opened for every request (about 8 ms each), checked
# before it is reused so that a database restart costs one error, not many.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Sessions read from Redis and kept in the database too, so that a Redis restart signs nobody out.
if env_str("REDIS_URL", ""):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
