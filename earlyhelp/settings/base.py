"""Settings shared by every environment. Differences between deployments come from the
environment variables read here, never from editing this file."""

from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext

from earlyhelp.settings.environment import env_bool, env_int, env_list, env_str

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-never-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    # Two-step sign-in's devices: authenticator apps and recovery codes (accounts/two_step.py).
    # Before the service's apps, so that accounts/admin.py can take their admin pages away.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Background work (ADR 30); before the service's apps too, so that accounts/admin.py can take
    # the task rows' admin page away.
    "django_tasks",
    "django_tasks_db",
    "earlyhelp.core",
    "earlyhelp.audit",
    "earlyhelp.organisations",
    "earlyhelp.accounts",
    "earlyhelp.people",
    "earlyhelp.sharing",
    "earlyhelp.thresholds",
    "earlyhelp.directory",
    "earlyhelp.frontdoor",
    "earlyhelp.casework",
    "earlyhelp.records",
    "earlyhelp.forums",
    "earlyhelp.governance",
    "earlyhelp.performance",
    "earlyhelp.site",
    "ninja",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so on every page the service answers but not on static files:
    # never stored (no-store), no powerful browser features, and the Content-Security-Policy.
    "earlyhelp.core.headers.PrivatePagesMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Oversized bodies, NUL bytes and half characters are refused before any view reads them.
    "earlyhelp.core.middleware.RequestLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session idle for 30 minutes, or 12 hours old, is ended before the page is shown.
    "earlyhelp.accounts.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Every page needs a signed-in user unless its view says @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Signed in with a password but not yet through the second step: only the second step's pages.
    "earlyhelp.accounts.middleware.TwoStepMiddleware",
    "earlyhelp.audit.middleware.AuditOriginMiddleware",
]

# The Server-Timing header on every response (earlyhelp/core/timing.py): for `make bench`.
SERVER_TIMING = env_bool("SERVER_TIMING", False)
if SERVER_TIMING:
    MIDDLEWARE.insert(0, "earlyhelp.core.timing.ServerTimingMiddleware")

ROOT_URLCONF = "earlyhelp.site.urls"
WSGI_APPLICATION = "earlyhelp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "earlyhelp" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "earlyhelp.site.context_processors.service",
            ],
            "builtins": ["earlyhelp.core.templatetags.govuk_dates"],
        },
    },
    # The lists whose rows are most of a page's rendering (ADR 27); every other page is above.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "earlyhelp" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "earlyhelp.core.jinja.environment"},
    },
]
FORM_RENDERER = "earlyhelp.core.forms.GovukFormRenderer"

# SQLite is the zero-set-up default; DATABASE_URL selects PostgreSQL (or another SQLite file).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite allows one writer. A transaction that starts by reading and then writes cannot wait
    # for another writer ("database is locked"); IMMEDIATE takes the write lock at BEGIN, so two
    # people pressing the same button queue up instead, and WAL lets pages read meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Lists of choices (a form's areas, teams) are read with .iterator(), which on PostgreSQL
    # opens a server-side cursor: three round trips (DECLARE, FETCH, CLOSE) for a few rows, and
    # unusable behind a transaction-pooling PgBouncer. One plain SELECT instead.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisations.User"
# Django's own sign-in check; the user is loaded with their authority, agency and team at once.
AUTHENTICATION_BACKENDS = ["earlyhelp.accounts.backends.GuardedUserBackend"]
# Single sign-on through the council's identity provider by OpenID Connect (ADR 23): off unless
# SINGLE_SIGN_ON=1 and the provider's addresses and this service's client are given. Nobody's
# account is made by signing on; the second step is still asked unless the provider's is trusted.
SINGLE_SIGN_ON = env_bool("SINGLE_SIGN_ON", False)
SINGLE_SIGN_ON_BUTTON = env_str("SINGLE_SIGN_ON_BUTTON", "Sign in with your council account")
SINGLE_SIGN_ON_TRUSTS_PROVIDER_MFA = env_bool("SINGLE_SIGN_ON_TRUSTS_PROVIDER_MFA", False)
if SINGLE_SIGN_ON:
    AUTHENTICATION_BACKENDS.append("earlyhelp.accounts.single_sign_on.CouncilSignOnBackend")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sign-on-return"
LOGIN_REDIRECT_URL_FAILURE = "/sign-in/"
# Guessing passwords (earlyhelp/accounts/signing_in.py): an account is locked from one source after
# this many wrong passwords, and slowed from every source after more, until the cool-off ends.
SIGN_IN_FAILURES_FROM_ONE_SOURCE = env_int("SIGN_IN_FAILURES_FROM_ONE_SOURCE", 5)
SIGN_IN_FAILURES_BEFORE_SLOWING = env_int("SIGN_IN_FAILURES_BEFORE_SLOWING", 10)
SIGN_IN_SLOW_SECONDS = env_int("SIGN_IN_SLOW_SECONDS", 30)
SIGN_IN_COOL_OFF_SECONDS = env_int("SIGN_IN_COOL_OFF_SECONDS", 15 * 60)
# Two-step sign-in (earlyhelp/accounts/two_step.py, ADR 20): always for the authority's own staff
# and administrators; for partner practitioners when this is on (otherwise their choice).
TWO_STEP_FOR_PARTNERS = env_bool("TWO_STEP_FOR_PARTNERS", False)
# The name an authenticator app shows beside the code, and the waits after wrong codes (seconds,
# doubling with each wrong code in a row).
OTP_TOTP_ISSUER = env_str("SERVICE_NAME", "Early Help")
OTP_TOTP_THROTTLE_FACTOR = env_int("TWO_STEP_THROTTLE_SECONDS", 1)
OTP_STATIC_THROTTLE_FACTOR = env_int("TWO_STEP_THROTTLE_SECONDS", 1)
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A practitioner who walks away from a shared screen is signed out (earlyhelp/accounts/sessions.py):
# after 30 minutes without a request, 12 hours after signing in at the latest, and when the browser
# closes (the session cookie is never kept on disk).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_LONGEST_SECONDS = env_int("SESSION_LONGEST_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_LONGEST_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Scripts, styles, fonts and images only from the service itself; no inline script but GOV.UK
# Frontend's one line that marks the page as able to run JavaScript, allowed by its hash
# (tests/test_security_headers.py checks the hash against base.html). No plugins, no framing, forms
# post only here.
GOVUK_JS_ENABLED_SCRIPT_HASH = "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", GOVUK_JS_ENABLED_SCRIPT_HASH],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# The service is written in English and has no translations: with translation machinery off,
# every date, number and form message on a page is formatted without a per-value look-up of the
# active language (about a third of a list page's rendering; docs/performance.md, ADR 26). Dates
# and numbers still use the en-gb formats (LANGUAGE_CODE). A Welsh edition would turn this back on.
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
# Where `collectstatic` gathers the files WhiteNoise serves in production.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    BASE_DIR / "earlyhelp" / "static",
]

# `make run`'s demonstration authority (its users share a published password) may be loaded:
# never under the production settings, which set this False whatever the environment says.
DEMO_DATA_ALLOWED = True

# Where users reach the service: the start of the links in invitations and password e-mails.
SERVICE_URL = env_str("SERVICE_URL", "http://127.0.0.1:8000")
# A link to set a password works once, for three days.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 24 * 60 * 60)

# The service's name on every page, e-mail and letter (the authority's own name is shown with it).
SERVICE_NAME = env_str("SERVICE_NAME", "Early Help")

# The thresholds framework chosen when frameworks are first loaded; afterwards
# `manage.py thresholds use NAME` switches (see docs/thresholds.md).
THRESHOLDS_FRAMEWORK = env_str("THRESHOLDS_FRAMEWORK", "northamptonshire")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# GOV.UK Frontend's stylesheet asks for its fonts and images at /assets/…; WhiteNoise serves
# the package's own folder at the site root so that those addresses resolve unchanged.
WHITENOISE_ROOT = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"

# The front door's 24-hour decision target (FF §5.6), counted in working time: the clock stops
# outside working hours, at weekends, on bank holidays and on the days listed as closed. The
# default target is one working day, so a contact received at 10:00 on a Monday is due by 10:00
# on the Tuesday (see docs/frontdoor.md).
FRONT_DOOR_WORKING_HOURS = env_str("FRONT_DOOR_WORKING_HOURS", "09:00-17:00")
FRONT_DOOR_WORKING_DAYS = env_list("FRONT_DOOR_WORKING_DAYS", ["mon", "tue", "wed", "thu", "fri"])
# Country and subdivision for the `holidays` package: GB-ENG (England), GB-WLS, GB-SCT, GB-NIR.
FRONT_DOOR_BANK_HOLIDAYS = env_str("FRONT_DOOR_BANK_HOLIDAYS", "GB-ENG")
FRONT_DOOR_CLOSED_DAYS = env_list("FRONT_DOOR_CLOSED_DAYS", [])
FRONT_DOOR_DECISION_TARGET_WORKING_HOURS = env_int("FRONT_DOOR_DECISION_TARGET_WORKING_HOURS", 8)
FRONT_DOOR_AMBER_WHEN_WORKING_HOURS_LEFT = env_int("FRONT_DOOR_AMBER_WHEN_WORKING_HOURS_LEFT", 2)
# How far back a family counts as "known to early help" for the re-referral flag.
# What receives a family the front door allocates to a family support team, inside the decision's
# transaction (ADR 16): casework opens the family's episode.
FRONT_DOOR_ALLOCATION_RECEIVER = "earlyhelp.casework.opening.episode_open"
# Retention (governance/retention.py, ADR 24): early help records are kept until the youngest
# child of the family is this old (the documents' rule), and a family with no child on record
# this many years after its last contact or episode.
RETENTION_UNTIL_YOUNGEST_IS = env_int("RETENTION_UNTIL_YOUNGEST_IS", 25)
RETENTION_YEARS_WITHOUT_CHILDREN = env_int("RETENTION_YEARS_WITHOUT_CHILDREN", 6)
# Which parts of a person's record a reader may open: consent and its limits (ADR 21). Named,
# because consent (`sharing`) sits above the person pages (`people`).
RECORD_PARTS_RULE = "earlyhelp.sharing.rules.parts_open_to"
FRONT_DOOR_RE_REFERRAL_DAYS = env_int("FRONT_DOOR_RE_REFERRAL_DAYS", 365)
# The practice framework asks professionals for the parents' written consent (FF §5.5). Off: a
# family may be allocated on verbal consent with the reason it is not in writing, and the coach
# obtains it in writing at the first visit. On: allocation needs consent in writing.
FRONT_DOOR_REQUIRE_WRITTEN_CONSENT = env_bool("FRONT_DOOR_REQUIRE_WRITTEN_CONSENT", False)
# The self-referral form: submissions allowed from one address per hour.
SELF_REFERRAL_LIMIT_PER_HOUR = env_int("SELF_REFERRAL_LIMIT_PER_HOUR", 5)
# Where the front door's e-mails come from, and the numbers a referrer in an emergency must ring.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "early.help@example.gov.uk")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
CHILDRENS_SOCIAL_CARE_PHONE = env_str("CHILDRENS_SOCIAL_CARE_PHONE", "0300 126 1000")
FRONT_DOOR_PHONE = env_str("FRONT_DOOR_PHONE", "0300 126 1001")

# How many reverse proxies stand in front of the service (0: none). The client's address is then
# taken from X-Forwarded-For, that many hops from the right: for the self-referral limit and the
# audit trail alike.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# The largest request body accepted (413 above it, as a JSON problem for the API and a GOV.UK page
# for forms). A referral with twelve children and every text at its limit is under 200 KB.
LARGEST_REQUEST_BYTES = env_int("LARGEST_REQUEST_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = LARGEST_REQUEST_BYTES
# Documents uploaded to a family's record (records/documents.py): the largest file, and the pages
# whose requests may be that large (every other request keeps the limit above).
DOCUMENT_LARGEST_BYTES = env_int("DOCUMENT_LARGEST_BYTES", 10 * 1024 * 1024)
UPLOAD_PATHS = [r"^/episodes/\d+/documents/$"]

# Where documents are kept (Django's storage API). "local" (the default): a folder outside the
# web root, DOCUMENTS_ROOT. "s3": a bucket on S3 or an S3-compatible store (MinIO, Ceph…), with
# DOCUMENTS_S3_BUCKET, DOCUMENTS_S3_ENDPOINT_URL (empty for AWS), DOCUMENTS_S3_REGION and the
# usual AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment.
DOCUMENTS_STORAGE = env_str("DOCUMENTS_STORAGE", "local")
if DOCUMENTS_STORAGE == "s3":
    _documents: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("DOCUMENTS_S3_BUCKET", "earlyhelp-documents"),
            "endpoint_url": env_str("DOCUMENTS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("DOCUMENTS_S3_REGION", "eu-west-2"),
            "default_acl": None,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"},
        },
    }
else:
    _documents = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("DOCUMENTS_ROOT", str(BASE_DIR / "var" / "documents")), "base_url": None},
    }
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": _documents,
}

# One cache for rate limits and the like: Redis where REDIS_URL is set, memory otherwise.
_redis_url = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
        if _redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background work (ADR 30): tasks are rows in the database, run by `manage.py db_worker`, which
# `make run` starts beside the web server; in production it runs as its own process.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
