"""The one settings module. Everything that differs between machines comes from the environment.

With no environment at all this is the embedded default: SQLite in ``var/``, a Celery broker on the file
system (no server), media under ``var/``. Production sets ``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``,
``ALLOWED_HOSTS`` and the e-mail settings; see README.
"""

import secrets
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()


def _local_secret(name: str, *, nbytes: int = 32) -> str:
    """A secret kept in ``var/`` (never committed), made on first use: the embedded default needs no setup."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(nbytes))
        path.chmod(0o600)
    return path.read_text().strip()


EMBEDDED = "DATABASE_URL" not in env

SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret("secret_key", nbytes=50)
DEBUG = env.bool("DEBUG", default=EMBEDDED)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Behind a proxy that terminates HTTPS, set BEHIND_HTTPS_PROXY=true so Django trusts X-Forwarded-Proto; the site
# is then HTTPS only: plain HTTP is redirected (except the container's health check) and HSTS is sent.
BEHIND_HTTPS_PROXY = env.bool("BEHIND_HTTPS_PROXY", default=False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=BEHIND_HTTPS_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if BEHIND_HTTPS_PROXY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=BEHIND_HTTPS_PROXY)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): nothing but this site's own files; no inline script or style, no frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
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
# Browser features the site never uses are switched off (core/headers.py).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# Sensitive personal data (ID numbers, phones, bank accounts) is encrypted with these keys (Fernet; the
# first encrypts, all decrypt, so a new key can be put first and `manage.py rotate_personal_data` re-encrypts)
# and indexed by a keyed hash for equality look-ups.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[]) or [_local_secret("field_key")]
BLIND_INDEX_KEY = env.str("BLIND_INDEX_KEY", default="") or _local_secret("blind_index_key")
# The trails' hashes are keyed with this (HMAC-SHA256, core/chain.py), so that rewriting a row and recomputing the
# hashes after it needs a key the database never holds. Production must set it (a system check refuses to deploy
# without it, core/checks.py); the embedded default keeps one in var/. Signed checkpoints of every chain's head and
# count are written daily to CHECKPOINT_DIR, out of the database's reach (core/checkpoints.py).
CHAIN_KEY_FROM_ENVIRONMENT = bool(env.str("CHAIN_KEY", default=""))
CHAIN_KEY = env.str("CHAIN_KEY", default="") or _local_secret("chain_key")
CHECKPOINT_DIR = Path(env.str("CHECKPOINT_DIR", default=str(VAR_DIR / "checkpoints")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # PostgreSQL's lookups and the pg_trgm extension (the trigram indexes: core/postgres.py)
    "django_fsm",
    "django_celery_beat",
    "django_htmx",
    "axes",
    "csp",
    "accounts",
    "notifications",
    "workdays",
    "core",
    "catalog",
    "applications",
    "payments",
    "audits",  # issue 11: oversight
    "reports",  # issue 12: reports read the other apps; none imports it
    "ninja",  # its documentation page then serves Swagger UI from its own static files, never a CDN
    "api",
    "usage",  # issue 17: the application subsidy (R20); reads the other apps; the API mounts its platform endpoint
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.inputs.RejectNulMiddleware",  # a NUL byte anywhere in the input: 400, before any view
    "csp.middleware.CSPMiddleware",
    "core.headers.PermissionsPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.sessions.IdleSessionMiddleware",  # idle officials signed out after 30 minutes, buyers after 4 hours
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.workspace",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------------------
if EMBEDDED:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # Web, worker and beat share the file: WAL and immediate transactions avoid "database is locked".
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
else:
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Issue 15: PostgreSQL's JIT compiles any query its planner costs above 100,000 (a count or an anti-join
        # over 100,000 rows) and spends 1-2 s compiling what runs in 0.1 s (the sweep's consistency check at
        # 100,000 applications: 1,700 ms with it, 175 ms without). Short queries are this system's work.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sign-in ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in before any password check
    "accounts.backends.UsernameOrMobileBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Failed sign-ins are throttled per account and address: 5 failures lock for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The account, whatever was typed (user name or mobile), so failures add up per account and no mobile is stored.
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
# The client's address: X-Forwarded-For is read only from a proxy named in TRUSTED_PROXIES (core/clientip.py).
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Password-reset requests an hour, per account and per network address.
PASSWORD_RESET_LIMIT_PER_ACCOUNT = env.int("PASSWORD_RESET_LIMIT_PER_ACCOUNT", default=3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Every objection to a public notice pauses it (R34): one network address may send this many in 24 hours.
OBJECTION_DAILY_LIMIT = env.int("OBJECTION_DAILY_LIMIT", default=5)
# A complaint from the public (R25) opens work for the district: the same limit per address.
COMPLAINT_DAILY_LIMIT = env.int("COMPLAINT_DAILY_LIMIT", default=5)
# Four-eyes (R36): an account that received its role this recently may not approve a payment batch.
FOUR_EYES_COOLING_OFF_HOURS = env.int("FOUR_EYES_COOLING_OFF_HOURS", default=72)
# The JSON API (api/): requests one token may make a minute (then 429 with Retry-After), the largest request body
# it reads, and how long a new personal token of an official lives.
API_REQUESTS_PER_MINUTE = env.int("API_REQUESTS_PER_MINUTE", default=120)
# Paths whose refusals are RFC 9457 problems (application/problem+json), also those answered before a view runs.
PROBLEM_JSON_PATHS = ["/api/"]
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=2 * 1024 * 1024)
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)

SESSION_COOKIE_HTTPONLY = True
SESSION_IDLE_MINUTES_OFFICIAL = env.int("SESSION_IDLE_MINUTES_OFFICIAL", default=30)
SESSION_IDLE_MINUTES_BUYER = env.int("SESSION_IDLE_MINUTES_BUYER", default=240)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG and not EMBEDDED)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Language and time ---------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise reads it at start-up; collectstatic fills it in production
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Documents uploaded by buyers and manufacturers live outside every served root and are sent only by views
# that check access.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- E-mail and SMS ------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.filebased.EmailBackend"
    if EMBEDDED
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="农机购置与应用补贴 <noreply@localhost>")
# The SMS gateway is an interface (notifications.sms); the default writes to an outbox table in the admin.
SMS_BACKEND = env.str("SMS_BACKEND", default="notifications.sms.OutboxBackend")
# The embedded default also writes each text message (reset links masked) to the terminal, so that a demo
# registration's code can be read there; never in production.
SMS_ECHO = env.bool("SMS_ECHO", default=DEBUG)

# --- Celery --------------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue = VAR_DIR / "celery-queue"
    _queue.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "control_folder": str(VAR_DIR / "celery-control"),
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "scan-warning-signs": {"task": "audits.tasks.scan_warnings", "schedule": crontab(hour=2, minute=30)},  # R38
    "sweep-deadlines": {"task": "applications.tasks.sweep_deadlines", "schedule": 300.0},
    "deliver-pending-notifications": {
        "task": "notifications.tasks.sweep_pending_deliveries",
        "schedule": 300.0,
    },
    # issue 12: last month's reports, on the first working day of the month (idempotent: daily is harmless).
    "generate-monthly-reports": {
        "task": "reports.tasks.generate_last_month",
        "schedule": crontab(hour=6, minute=30),
    },
    "remind-annual-summaries": {"task": "reports.tasks.remind_annual_summaries", "schedule": crontab(hour=8, minute=0)},
    # issue 14 §2: a signed checkpoint of every trail's heads and counts, daily, after the night's warning scan.
    "checkpoint-trails": {"task": "core.tasks.write_checkpoint", "schedule": crontab(hour=3, minute=30)},
}

# --- Logging -------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "filters": {"refusals_on_one_line": {"()": "core.logs.RefusalsOnOneLine"}},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["refusals_on_one_line"]},  # a 403 is one line, not a traceback
    },
}

SITE_NAME = _("Beijing Agricultural Machinery Purchase Subsidy")
