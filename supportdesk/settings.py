"""SupportDesk settings, read from the environment.

With nothing set the app runs on embedded defaults (SQLite and a kombu ``filesystem://``
broker under ``var/``, e-mail to the console, Noyo pointed at the local sandbox), so
``make run`` works on a bare machine. ``DJANGO_ENV=production`` switches every safety
setting on and refuses to start while a required setting is missing.
"""

from __future__ import annotations

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}."
    )
PRODUCTION = DJANGO_ENV == "production"

# `make run` records the address it serves on in var/server.env (SUPPORTDESK_SITE_URL), so a
# `manage.py noyo_poll` or a Celery worker started by hand in another shell finds this server's
# Noyo sandbox instead of assuming a port. The environment wins over the file. Production never
# reads it, nor does the test suite: its runners (scripts/testenv.py, scripts/embeddedenv.py)
# point SUPPORTDESK_SERVER_ENV at /dev/null, and tests/conftest.py refuses a run that read a file:
# no test may depend on whether someone ran `make run`.
SERVER_ENV_FILE = Path(env.str("SUPPORTDESK_SERVER_ENV", default=str(VAR_DIR / "server.env")))
SERVER_ENV_READ = (
    SERVER_ENV_FILE if DJANGO_ENV == "development" and SERVER_ENV_FILE.is_file() else None
)
if SERVER_ENV_READ is not None:
    environ.Env.read_env(SERVER_ENV_READ, overwrite=False)

# Production must never fall back to an embedded default: name everything missing at once,
# so an operator fixes the deployment in one go instead of one restart per variable.
REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    # The cache: without it each gunicorn worker counts failed sign-ins on its own.
    "REDIS_URL",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    # The address the e-mails (weekly batch, ARSOS reminders) link to.
    "SUPPORTDESK_SITE_URL",
)
# Talking to the real Noyo (no in-app sandbox) needs its keys, carrier UUID and webhook
# secret: no sandbox default stands in for them.
NOYO_REQUIRED_IN_PRODUCTION = (
    "NOYO_CLIENT_ID", "NOYO_CLIENT_SECRET", "NOYO_CARRIER_ID", "NOYO_WEBHOOK_SECRET",
)
if PRODUCTION:
    required = list(REQUIRED_IN_PRODUCTION)
    if not env.bool("NOYO_SANDBOX_ENABLED", default=False):
        required += NOYO_REQUIRED_IN_PRODUCTION
    missing = [name for name in required if not env.str(name, default="")]
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs these settings in the environment: "
            + ", ".join(missing)
        )

# Off unless asked for, `make run` included: a debug page shows a traceback and the settings.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str(
    "SECRET_KEY", default="django-insecure-development-only-key-not-for-production-use"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    # Append-only history tables: PostgreSQL triggers declared in the models' Meta.
    "pgtrigger",
    "supportdesk",
    "ec_access",
    "agent_rsos",
    "husky_reports",
    "noyo_sync",
    "finder",
]

MIDDLEWARE = [
    # Also COOP (SECURE_CROSS_ORIGIN_OPENER_POLICY), nosniff, Referrer-Policy, HSTS.
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp: own scripts and styles only), then Permissions-Policy.
    "supportdesk.middleware.OrderedCSPMiddleware",
    "supportdesk.middleware.SecurityHeadersMiddleware",
    # A form body in a charset Django cannot parse (UTF-16, unknown): a 400, before anything reads it.
    "supportdesk.charset.FormCharsetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages (46-61 KiB of HTML) go out gzipped, text only; static files never reach it (WhiteNoise
    # above serves them precompressed). On BREACH, see supportdesk/compression.py.
    "supportdesk.compression.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # 30 minutes without a request signs out; the session is saved at most once a minute.
    "supportdesk.middleware.SessionActivityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # An htmx request after the session expired loads the sign-in page as a page (HX-Redirect).
    "supportdesk.middleware.HtmxSignInRedirectMiddleware",
    # Every view needs a login unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A write that waited out SQLite's busy timeout answers "busy, try again" (503), not a 500.
    "supportdesk.locking.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "supportdesk.urls"
WSGI_APPLICATION = "supportdesk.wsgi.application"

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
                "supportdesk.context_processors.roles",
            ],
        },
    },
]

# An empty DATABASE_URL (`DATABASE_URL= pytest tests/ec_access/test_rules.py`) means unset.
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'supportdesk.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # make run's SQLite serves several people at once (web workers, the Celery worker and beat).
    # WAL: readers never wait for the writer, nor it for them. IMMEDIATE: a transaction takes
    # the write lock when it begins, so a second writer waits its turn (up to the busy timeout,
    # under gunicorn's default 30 s worker timeout) instead of failing at once with "database is
    # locked" when its read lock cannot be upgraded mid-transaction. synchronous=NORMAL is safe
    # under WAL (a power cut may lose the last commits, never corrupt the file) and spares an
    # fsync per commit.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Forms' widgets, labels and errors through Django's Jinja2 versions of their templates, the
# admin's own widgets through the Django template language (supportdesk/form_renderer.py).
FORM_RENDERER = "supportdesk.form_renderer.FormRenderer"

# ModelBackend, loading a user's roles with the user (every view checks a role): one query, not three.
AUTHENTICATION_BACKENDS = ["supportdesk.backends.RoleBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Login throttling (supportdesk/throttle.py, in the sign-in backend, so the admin's too): after
# LOGIN_FAILURE_LIMIT failures for a username within LOGIN_FAILURE_WINDOW seconds, that username
# is refused for LOGIN_LOCKOUT seconds. The
# per-address limit is higher: a support floor signs in from behind one NAT address, and one
# person's typos must not lock out the whole team.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_IP = env.int("LOGIN_FAILURE_LIMIT_PER_IP", default=20)
LOGIN_FAILURE_WINDOW = env.int("LOGIN_FAILURE_WINDOW", default=15 * 60)
LOGIN_LOCKOUT = env.int("LOGIN_LOCKOUT", default=15 * 60)
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, use
# REMOTE_ADDR). Only then is that header trusted for the client's address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# The cache holds the login-throttle counters: Redis when REDIS_URL is set, so every web
# process counts together; otherwise (make run) each process's memory.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
         "KEY_PREFIX": "supportdesk", "TIMEOUT": 300,
         # A Redis that does not answer costs a sign-in two seconds, not a hung worker.
         "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
              "LOCATION": "supportdesk"}
    )
}

LANGUAGE_CODE = "en-us"
# Pages write dates one way (supportdesk/formats/en/formats.py), whatever Django's locale says.
FORMAT_MODULE_PATH = ["supportdesk.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic writes a gzip and a brotli copy of every text file; WhiteNoise serves the
    # smallest one the browser accepts. Production also hashes the names (cached for a year).
    # Elsewhere the names stay plain: the test suite and a bare `runserver` never run
    # collectstatic, and a manifest storage refuses every {% static %} it has no entry for
    # (`make run` runs collectstatic, so it gets the compressed copies all the same).
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "supportdesk.compression.CompressedStaticFilesStorage"
        )
    },
}

# E-mail: console by default; EMAIL_URL (smtp+tls://user:pass@host:587) in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="supportdesk@localhost")
# Access Management's mailbox: the weekly EC batch spreadsheet goes here (seed 000).
EC_ACCESS_MANAGEMENT_EMAIL = env.str("EC_ACCESS_MANAGEMENT_EMAIL", default="EmployerGroup@humana.com")

# Celery: kombu's filesystem transport needs no server; the worker and the web process
# share one folder for messages in and out.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # With acks_late, Redis hands a task that no worker acknowledged to another worker after
    # the visibility timeout: after a worker was killed, this is how long its task waits. Kombu's
    # default is an hour. It must exceed the longest task, or Redis hands a task that is still
    # running to a second worker: the weekly batch of 100,000 groups must finish within 20 s
    # (bench/ec_batch.py), every other task takes seconds. Five minutes covers that with room, and the
    # tasks are idempotent should one ever outlast it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=5 * 60),
        # A worker looks for such tasks every interval x throttle seconds (kombu: 10 x 10):
        # every 10 s instead, one small Redis query, so the wait ends soon after the timeout.
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
CELERY_WORKER_POOL = "prefork"
# The filesystem broker's folders and beat's schedule (a test's worker gets folders of its own).
CELERY_DIR = Path(env.str("CELERY_DIR", default=str(VAR_DIR / "celery")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = CELERY_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(CELERY_DIR / "processed"),
        "store_processed": False,
    }
    # make run's worker runs its tasks in threads: with the filesystem transport, a prefork
    # pool whose child was killed deadlocks the worker (every task received, none run, SIGTERM
    # ignored). Threads have no child to lose; the tasks wait on the database, Noyo and SMTP.
    CELERY_WORKER_POOL = "threads"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Seed 000: the new-group spreadsheet is "sent to Access Management for processing on Monday".
    # crontab reads CELERY_TIMEZONE, i.e. TIME_ZONE.
    "ec-weekly-batch": {
        "task": "ec_access.tasks.run_weekly_ec_batch",
        # Daily, not only Mondays: a Monday lost to a broker outage is caught up the next
        # morning (each week runs once; the task also runs missed weeks, at most 4 back).
        "schedule": crontab(hour=6, minute=0),
    },
    # Seed 002: respond within 72 hours, follow up every five business days.
    "arsos-sla-reminders": {
        "task": "agent_rsos.tasks.send_sla_reminders",
        "schedule": crontab(minute="*/15"),
    },
    # Seed 004: connection statuses change asynchronously on Noyo's side. Noyo's webhooks bring
    # them; the poll is the backstop (webhooks missed, or not delivered at all).
    "noyo-poll-group-connections": {
        "task": "noyo_sync.tasks.poll_group_connections",
        "schedule": crontab(minute=f"*/{env.int('NOYO_POLL_MINUTES', default=5)}"),
    },
    "noyo-send-waiting-requests": {
        "task": "noyo_sync.tasks.send_waiting_noyo_requests",
        "schedule": crontab(minute="*"),
    },
    # The in-app sandbox's webhook sender (nothing to do where the sandbox is off).
    "noyo-sandbox-webhooks": {
        "task": "noyo_sync.tasks.send_sandbox_webhooks",
        "schedule": 5.0,
    },
    "noyo-process-pending-webhooks": {
        "task": "noyo_sync.tasks.process_pending_noyo_webhooks",
        "schedule": crontab(minute="*"),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_DIR / "beat-schedule")

# Where generated e-mails about cases are addressed inside the company; `make run` sets it to
# the address it serves on (and records it in var/server.env, read above).
SUPPORTDESK_SITE_URL = env.str("SUPPORTDESK_SITE_URL", default="http://127.0.0.1:8000")

# Noyo. `make run` and the tests talk to this server's own sandbox (/noyo/sandbox), which
# issues its tokens under the same address. Real Noyo (reference/noyo-authentication.yml) issues
# tokens at its accounts host and serves the API at fulfillment.noyo.com (production) or
# fulfillment-sandbox.noyo.com (Noyo's sandbox): set NOYO_BASE_URL to one of those.
NOYO_SANDBOX_ENABLED = env.bool("NOYO_SANDBOX_ENABLED", default=not PRODUCTION)
NOYO_IN_APP_SANDBOX_URL = SUPPORTDESK_SITE_URL.rstrip("/") + "/noyo/sandbox"
NOYO_PRODUCTION_URL = "https://fulfillment.noyo.com"
NOYO_BASE_URL = env.str(
    "NOYO_BASE_URL", default=NOYO_IN_APP_SANDBOX_URL if NOYO_SANDBOX_ENABLED else NOYO_PRODUCTION_URL
).rstrip("/")
# The token endpoint. Unset: the in-app sandbox's own for a base URL on it, else Noyo's
# accounts host (noyo_sync.transport.token_url).
NOYO_TOKEN_URL = env.str("NOYO_TOKEN_URL", default="")
# Noyo's carrier UUID for Humana. The in-app sandbox's Humana is the carrier of the example in
# Noyo's own OpenAPI (so the spec's example body works against it).
NOYO_CARRIER_ID = env.str("NOYO_CARRIER_ID", default="8fac0992-933a-4743-8dab-0d606ef2569e")
NOYO_CLIENT_ID = env.str("NOYO_CLIENT_ID", default="sandbox")
NOYO_CLIENT_SECRET = env.str("NOYO_CLIENT_SECRET", default="sandbox")
# The shared secret Noyo signs its webhooks with (x-noyo-signature); the in-app sandbox signs
# with the same one.
NOYO_WEBHOOK_SECRET = env.str("NOYO_WEBHOOK_SECRET", default="sandbox-webhook-secret")
# Where the in-app sandbox sends its webhooks: this server's receiver.
NOYO_SANDBOX_WEBHOOK_URL = env.str("NOYO_SANDBOX_WEBHOOK_URL",
                                   default=SUPPORTDESK_SITE_URL.rstrip("/") + "/noyo/webhooks/")

# Signed out after 30 minutes without a request: screens on a support floor are shared.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
# The age counts from the last request (inactivity expiry), refreshed at most once every
# SESSION_ACTIVITY_REFRESH seconds by supportdesk.middleware.SessionActivityMiddleware.
SESSION_ACTIVITY_REFRESH = 60
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie; the token travels in hx-headers
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# django-csp (supportdesk.middleware.OrderedCSPMiddleware sends the directives in this order).
# The two Mermaid views add 'unsafe-inline' to style-src (@csp_allow_inline_styles).
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
    },
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Error reports (ADMINS' e-mail) carry no POST values or local variables: they may hold PHI.
DEFAULT_EXCEPTION_REPORTER_FILTER = "supportdesk.middleware.PhiSafeExceptionReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # At DEBUG it logs whole template contexts (an escalation page holds member data).
        "django.template": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # httpx logs every request at INFO: a line per Noyo page, every minute.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
