"""Settings for the K-Smart City export portal, read from the environment.

Without any environment the portal runs in development mode on a SQLite file
next to manage.py; production sets DATABASE_URL (PostgreSQL), SECRET_KEY,
DEBUG=0 and ALLOWED_HOSTS.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-change-me-in-production-k-smart-city"  # noqa: S105 (DEBUG only)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "csp",
    "axes",
    "django_ratelimit",
    "rules",
    "portal",
    "portal.accounts",
    "portal.privacy",
    "matching.geo",
    "matching.kernel",
    "matching.companies",
    "matching.demands",
    "matching.recommendations",
    "matching.consultations",
    "matching.partnering",
    "matching.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, with the visitor's country as the last resort (Korean in Korea).
    "portal.common.visitor_language.VisitorLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The language and date settings a logged-in user chose (portal.accounts.middleware).
    "portal.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Puts the request's user on history rows (who changed an outcome).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # Login lockout; django-axes wants to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # Our `date` filter (years in the Buddhist era on Thai pages) in place of Django's.
            "builtins": ["portal.templatetags.dates"],
        },
    },
]

# SQLite file by default; DATABASE_URL=postgres://... for PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The development server and the task worker write to one file: wait for the other's lock.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out username + address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.accounts.backends.PortalBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "member_home"  # everyone lands on their own page (portal.views.member_home)
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("ko", _("Korean")), ("en", _("English")), ("th", _("Thai")), ("tr", _("Turkish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Django's cache: Redis shared by every worker of every app server (REDIS_URL, required in production);
# each process's own memory when REDIS_URL is unset (`make run`, a single process).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
        }
    }
elif not DEBUG:
    # Per-process memory would keep a session on a worker after its logout on another one.
    raise RuntimeError("REDIS_URL must be set when DEBUG is off.")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}
# Sessions in the database, read through the cache: a logout, a deactivation or a password change
# holds on the very next request, whichever worker or server answers it.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# How old a page or part of a page served from the cache may be: the directories (/companies/, /demands/;
# their content for everyone, the whole page for visitors who are not logged in), the results dashboard's
# figures, the names on an agenda (its meetings, times and places are never older: they are its key).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "30"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@k-smartcity.example")
# Named in every privacy notice as the address for questions and requests about personal data.
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "privacy@k-smartcity.example")
# Where django.core.mail.backends.filebased.EmailBackend writes each e-mail (a folder).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / ".mail"))
# Where links in e-mails sent outside a request (follow-ups from a command) point to.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://localhost:8000").rstrip("/")

# Production (DEBUG off): HTTPS only, secure cookies, HSTS. Behind a load balancer that ends TLS, set
# SECURE_PROXY_SSL_HEADER_NAME=HTTP_X_FORWARDED_PROTO so Django knows the request came in over HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if os.environ.get("SECURE_PROXY_SSL_HEADER_NAME"):
        SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER_NAME"], "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No password, token or e-mail body in any log line (portal/privacy/logging.py).
    "filters": {"no_secrets": {"()": "portal.privacy.logging.NoSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_secrets"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Personal data (portal.privacy): an account deletion a member asks for is carried out by an admin within
# this many days; accounts without a login for PRIVACY_INACTIVE_DAYS (3 years) are anonymised by a daily job.
PRIVACY_DELETION_DEADLINE_DAYS = int(os.environ.get("PRIVACY_DELETION_DEADLINE_DAYS", "30"))
PRIVACY_INACTIVE_DAYS = int(os.environ.get("PRIVACY_INACTIVE_DAYS", str(3 * 365)))

# Content-Security-Policy (django-csp): everything from our own origin; no inline script or style
# anywhere (templates pass data to scripts with json_script). Bootstrap's form controls draw their
# arrows and ticks with data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login lockout (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from one
# address, that pair is refused (429, a page that says when to try again) for the cool-off time.
# Attempts are stored in the database (shared by every app server) and logged with username and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.common.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "portal.common.security.client_ip"
AXES_SENSITIVE_PARAMETERS = []
# The typed username, without NUL bytes and cut to what axes can store (a 10 000-character name was a 500).
AXES_USERNAME_CALLABLE = "portal.common.security.login_username"
# Behind N trusted proxies (a load balancer), the client address is the N-th from the right in
# X-Forwarded-For; 0 (default) uses the connection's address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_VERBOSE = False  # log the username and address of failures and lockouts, not the user agent
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed login, for admins, beside the lockout counters

# Rate limits (django-ratelimit, portal.common.security.rate_limited) on what sends e-mail or creates
# accounts: per client address (client_ip above) and per e-mail address typed, as "count/period" (s, m,
# h or d).
# Every submission counts, one refused for a typo too; an address can be a roadshow venue's or an
# office's shared network. Beyond a limit: 429 with Retry-After. Counted in the default cache.
RATE_LIMIT_SIGNUP_PER_ADDRESS = os.environ.get("RATE_LIMIT_SIGNUP_PER_ADDRESS", "10/h")
RATE_LIMIT_SIGNUP_PER_EMAIL = os.environ.get("RATE_LIMIT_SIGNUP_PER_EMAIL", "5/h")
RATE_LIMIT_PASSWORD_RESET_PER_ADDRESS = os.environ.get("RATE_LIMIT_PASSWORD_RESET_PER_ADDRESS", "10/h")
RATE_LIMIT_PASSWORD_RESET_PER_EMAIL = os.environ.get("RATE_LIMIT_PASSWORD_RESET_PER_EMAIL", "3/h")
RATE_LIMIT_INVITATION_PER_ADDRESS = os.environ.get("RATE_LIMIT_INVITATION_PER_ADDRESS", "20/h")
RATE_LIMIT_INVITATION_PER_EMAIL = os.environ.get("RATE_LIMIT_INVITATION_PER_EMAIL", "3/h")
RATELIMIT_USE_CACHE = "default"
# Should the cache fail, the forms stay open rather than refuse everyone (portal.common.security.rate_limited
# also lets a request through, and logs it, when the cache raises).
RATELIMIT_FAIL_OPEN = True
# django-ratelimit's check knows memcached and django-redis only. Django's own Redis backend counts with
# Redis's atomic INCR, all a limit needs (W001, "not officially supported"); a process's own memory
# (`make run`, one process) counts exactly for that process (E003, "not a shared cache").
SILENCED_SYSTEM_CHECKS = {
    "django.core.cache.backends.redis.RedisCache": ["django_ratelimit.W001"],
    "django.core.cache.backends.locmem.LocMemCache": ["django_ratelimit.E003", "django_ratelimit.W001"],
}.get(CACHES[RATELIMIT_USE_CACHE]["BACKEND"], [])

# Task queue (Celery, portal/celery.py): scheduler runs, every e-mail and the periodic jobs run on workers.
# The broker is Redis in production and CI (CELERY_BROKER_URL, else REDIS_URL); without either, a folder of
# message files under .queue/ (development only: one machine), which `make run` uses.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    if not DEBUG:
        raise RuntimeError("REDIS_URL (or CELERY_BROKER_URL) must be set when DEBUG is off.")
    _QUEUE = BASE_DIR / ".queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_QUEUE / "messages"),
        "data_folder_out": str(_QUEUE / "messages"),
        "processed_folder": str(_QUEUE / "processed"),
        "control_folder": str(_QUEUE / "control"),
        "store_processed": False,
    }
    for _folder in ("messages", "processed", "control"):
        (_QUEUE / _folder).mkdir(parents=True, exist_ok=True)
else:
    # A task not acknowledged this long after a worker took it goes to another worker: longer than the
    # longest task (a scheduler run: at most 600 s plus reading and writing the event).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 30 * 60))
    }
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / ".queue" / "beat-schedule")
)
# A task is acknowledged when it has finished, not when a worker takes it: if the worker dies mid-task
# (killed, out of memory, a lost host), the task goes back to the queue for another worker.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# One queue for everything; a worker serves the queue its deployment names (tests use one of their own).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "portal")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Tests run tasks in the process that enqueues them (after the commit, as in production).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# Periodic jobs, run by `celery beat` (one per deployment; `make run` starts it inside its worker).
CELERY_BEAT_SCHEDULE = {
    "expire meeting requests past their deadline": {
        "task": "matching.consultations.booking.tasks.meeting_requests_expire",
        "schedule": crontab(minute="*/15"),
    },
    "send the meeting reminders and corrections that are due": {
        "task": "matching.consultations.booking.tasks.meeting_reminders_send",
        "schedule": crontab(minute="*/5"),
    },
    "mark scheduler runs whose worker went away": {
        "task": "matching.consultations.booking.tasks.scheduler_runs_reap",
        "schedule": crontab(minute="*"),
    },
    "plan and send the follow-ups that are due": {
        "task": "matching.consultations.outcomes.tasks.follow_ups_send",
        "schedule": crontab(hour=9, minute=0),
    },
    "close listings past their deadline": {
        "task": "matching.demands.tasks.demands_expire",
        "schedule": crontab(hour=0, minute=30),
    },
    "anonymise the accounts inactive past the retention period": {
        "task": "portal.privacy.tasks.inactive_accounts_anonymise",
        "schedule": crontab(hour=1, minute=15),
    },
}
