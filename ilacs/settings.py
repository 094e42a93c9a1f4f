"""ILACS Tracker settings, read from environment variables.

Development defaults just work (SQLite in the project folder, DEBUG on). A production deployment
sets DEBUG=False, and then SECRET_KEY, ALLOWED_HOSTS and SITE_URL are required: the app refuses to
start without them rather than run with an insecure or broken default. See the README's deployment
section.
"""

import datetime
import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")
    return value


DEBUG = env_bool("DEBUG", True)

if DEBUG:
    SECRET_KEY = os.environ.get("SECRET_KEY") or "development-only-key-never-used-in-production"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    SECRET_KEY = env_required("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")

SERVICE_NAME = os.environ.get("SERVICE_NAME", "ILACS Tracker")

# The address people reach the service at (https://ilacs.example.gov.uk): links in emails start
# with it, since an email has no page to be relative to. Required when DEBUG is off.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if not SITE_URL and DEBUG:
    SITE_URL = "http://127.0.0.1:8000"  # `make run`
if not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL must be set when DEBUG is off: the service's address, such as "
        "https://ilacs.example.gov.uk (links in reminder emails start with it)"
    )
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL must start with https:// or http://, not {SITE_URL!r}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # The house, top floor first: the project; the domain apps; tenancy; the ground floor
    # (README, "Where things live"; the import contract in pyproject.toml keeps it so).
    "ilacs",
    "dashboards",
    "reports",
    "api",
    "readiness",
    "improvement_plans",
    "inspections",
    "accounts",
    "core",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sends a signed-in user who still owes a second factor to the two-factor page.
    "accounts.two_factor.TwoFactorMiddleware",
    # Signed-in pages are never stored by browsers or proxies (Cache-Control: no-store).
    "ilacs.middleware.no_store_for_signed_in",
    # Hostile input: a NUL character anywhere in the parameters is a 400, not a database error.
    "ilacs.middleware.reject_null_characters",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ilacs.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "ilacs.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "ilacs.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The app's queries are short reads; PostgreSQL's JIT compiler, triggered by a misestimated
    # row count, once added ~400 ms to a 40 ms dashboard query (make bench). Off unless the
    # database URL's options say otherwise.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several officers save at once; wait for the write lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out account and address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.SignInProtectionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Single sign-on with the council's OpenID Connect provider (accounts.sso; README, "Signing in
# with the council's accounts"): on when OIDC_CLIENT_ID is set, and then the provider's issuer
# and endpoints are required. Authorisation code flow with PKCE and a nonce; the ID token's
# signature, issuer and audience are checked; people are matched to invited accounts by their
# verified email address and never created here.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_ISSUER", "").strip()
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_TOKEN_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_JWKS_ENDPOINT", "").strip()
OIDC_OP_USER_ENDPOINT = ""  # not read: the claims come from the signed ID token
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGORITHM", "RS256").strip()
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
OIDC_TIMEOUT = 10
if OIDC_RP_CLIENT_ID:
    for _name in (
        "OIDC_CLIENT_SECRET",
        "OIDC_ISSUER",
        "OIDC_AUTHORIZATION_ENDPOINT",
        "OIDC_TOKEN_ENDPOINT",
        "OIDC_JWKS_ENDPOINT",
    ):
        if not os.environ.get(_name, "").strip():
            raise ImproperlyConfigured(f"{_name} must be set when OIDC_CLIENT_ID is")
    AUTHENTICATION_BACKENDS.append("accounts.sso.CouncilAccountBackend")

# PASSWORD_SIGN_IN=false: people sign in only through the provider (no password form, reset or
# password from an invitation), so the council's own policies (leavers, MFA) apply to everyone.
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", True)
if not PASSWORD_SIGN_IN:
    if not OIDC_RP_CLIENT_ID:
        raise ImproperlyConfigured("PASSWORD_SIGN_IN=false needs single sign-on (OIDC_CLIENT_ID)")
    AUTHENTICATION_BACKENDS.remove("django.contrib.auth.backends.ModelBackend")

# A forgotten password's link (accounts.views.ResetConfirmView) works once, for this long.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 2) * 3600
# An invitation's link (accounts.tokens) works once, for this many days.
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)

LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "ilacs.storage.StaticFilesStorage"  # WhiteNoise: compressed, hashed names
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Evidence files (readiness app) are kept through Django's storage API, in the "evidence" storage,
# under names the app makes (a random uuid), and served only by a view that checks permissions,
# as attachments. No URL serves MEDIA_ROOT: nothing there is reachable except through that view
# (WhiteNoise serves STATIC_ROOT only). By default the files go on the local disk in
# EVIDENCE_ROOT (MEDIA_ROOT/evidence). EVIDENCE_STORAGE_BACKEND (a dotted path) with
# EVIDENCE_STORAGE_OPTIONS (JSON) puts them elsewhere, e.g. an S3-compatible object store through
# django-storages (installed separately; README, "Evidence files"):
#   EVIDENCE_STORAGE_BACKEND=storages.backends.s3.S3Storage
#   EVIDENCE_STORAGE_OPTIONS='{"bucket_name": "ilacs-evidence", "default_acl": "private",
#                              "querystring_auth": true, "file_overwrite": false}'
EVIDENCE_ROOT = Path(os.environ.get("EVIDENCE_ROOT", MEDIA_ROOT / "evidence"))
_evidence_options = os.environ.get("EVIDENCE_STORAGE_OPTIONS", "").strip()
try:
    EVIDENCE_STORAGE_OPTIONS = json.loads(_evidence_options) if _evidence_options else {}
except ValueError:
    raise ImproperlyConfigured(
        f"EVIDENCE_STORAGE_OPTIONS must be a JSON object, not {_evidence_options!r}"
    ) from None
if not isinstance(EVIDENCE_STORAGE_OPTIONS, dict):
    raise ImproperlyConfigured("EVIDENCE_STORAGE_OPTIONS must be a JSON object")
STORAGES["evidence"] = {
    "BACKEND": os.environ.get(
        "EVIDENCE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
    ),
    "OPTIONS": EVIDENCE_STORAGE_OPTIONS or {"location": EVIDENCE_ROOT},
}
# The largest evidence file accepted, and the most one authority may keep in all (bytes).
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
EVIDENCE_AUTHORITY_QUOTA_BYTES = env_int("EVIDENCE_AUTHORITY_QUOTA_BYTES", 2 * 1024 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# No 'unsafe-inline': GOV.UK Frontend's one inline script (it marks the body as JavaScript-enabled)
# carries the per-request nonce; everything else is a file of our own origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# HTTPS only when DEBUG is off. Behind a proxy that terminates TLS, set SECURE_PROXY_SSL_HEADER to
# the header it sets (e.g. HTTP_X_FORWARDED_PROTO) so Django knows the request came over HTTPS; set
# SECURE_SSL_REDIRECT=false only when the proxy itself redirects HTTP to HTTPS.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers probe app servers over plain HTTP
if os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"].strip(), "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31_536_000)  # a year
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload directive only matters once someone submits the domain to hstspreload.org.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Signed out after SESSION_IDLE_MINUTES without a request: each request pushes expiry back.
SESSION_ENGINE = "django.contrib.sessions.backends.db"  # shared by every app server
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True

# Shared by every app server: the database (run `manage.py createcachetable` once) or Redis
# (CACHE_URL=redis://host:6379/0, needs the redis package). Development keeps it in memory.
_cache_url = os.environ.get("CACHE_URL", "" if DEBUG else "db").strip()
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url == "db":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ilacs_cache",
            # Room for every authority's dashboard for a few days, and the portfolio's pages.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
elif _cache_url in {"", "locmem"}:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must be db, locmem or a redis:// URL, not {_cache_url!r}"
    )

# Sign-in protection (django-axes): 10 failed attempts within 5 minutes for one username from one
# address locks that combination out until 5 minutes pass without another attempt. Against
# password spraying (a few passwords on each of many usernames), SIGN_IN_ADDRESS_LIMIT failures
# from one address within SIGN_IN_ADDRESS_MINUTES, whatever the usernames, refuse every sign-in
# from it (accounts.backends.SignInLockoutHandler; 0 switches it off).
AXES_HANDLER = "accounts.backends.SignInLockoutHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
SIGN_IN_ADDRESS_LIMIT = env_int("SIGN_IN_ADDRESS_LIMIT", 30)
SIGN_IN_ADDRESS_MINUTES = env_int("SIGN_IN_ADDRESS_MINUTES", 15)
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = datetime.timedelta(minutes=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/sign_in_locked.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_SENSITIVE_PARAMETERS = ["password"]
# Behind a reverse proxy, the client's address is the proxy's unless these say how to find it.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    env_list("AXES_META_PRECEDENCE_ORDER", ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"])
    if AXES_IPWARE_PROXY_COUNT
    else ["REMOTE_ADDR"]
)

# Two-factor sign-in with an authenticator app: "none" (only those who set it up), "managers"
# (senior managers and administrators must) or "all".
REQUIRE_TWO_FACTOR = os.environ.get("REQUIRE_TWO_FACTOR", "none").strip().lower()
if REQUIRE_TWO_FACTOR not in {"none", "managers", "all"}:
    raise ImproperlyConfigured(
        f"REQUIRE_TWO_FACTOR must be none, managers or all, not {REQUIRE_TWO_FACTOR!r}"
    )
OTP_TOTP_ISSUER = SERVICE_NAME

# Reminders go through Django's mailers; development prints them to the console.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {
            key.lower(): value
            for key, value in {
                "HOST": os.environ.get("EMAIL_HOST"),
                "PORT": os.environ.get("EMAIL_PORT") and env_int("EMAIL_PORT", 25),
                "USERNAME": os.environ.get("EMAIL_HOST_USER"),
                "PASSWORD": os.environ.get("EMAIL_HOST_PASSWORD"),
                "USE_TLS": os.environ.get("EMAIL_USE_TLS") and env_bool("EMAIL_USE_TLS", False),
            }.items()
            if value
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ilacs-tracker@localhost")

# The read-only API (api/): requests a personal API token may make in a minute, then 429.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 300)

# Ofsted report PDFs larger than this are refused before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Logs go to standard output, one JSON object a line when LOG_FORMAT=json (the default with DEBUG
# off) so that a log collector can index them. Sign-ins and refused access go to "ilacs.security".
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "ilacs.log_format.JsonFormatter"},
    },
    "filters": {"refusals_logged_once": {"()": "ilacs.log_format.RefusalsLoggedOnce"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # A refused access is logged once, by ilacs.security (accounts.permissions).
        "django.request": {"filters": ["refusals_logged_once"]},
        # WeasyPrint narrates every PDF step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Django's tasks narrate every task's start and end at INFO (a refresh after each change).
        "django.tasks": {"level": "WARNING"},
    },
}

# Background work (Django's tasks): the dashboards' refresh after a change (dashboards.tasks).
# The immediate backend runs a task in the process that enqueues it, once the change has
# committed, so one server needs no worker; a task backend with workers (such as
# django-tasks-db's) can take it off the request without any other change.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
