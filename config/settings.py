"""Settings for EPS Status.

Everything comes from the environment with a default that runs on a laptop with
no servers: SQLite, a filesystem Celery broker and a file cache under ``var/``.
Production sets ``DATABASE_URL`` and ``REDIS_URL`` (see README, "Settings").
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from config import safety
from config.queues import POOLS

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A `.env` beside manage.py is read if present; real environment variables win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PLACEHOLDER_SECRET_KEY = safety.PLACEHOLDER_SECRET_KEY

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=PLACEHOLDER_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
SNAPSHOT_DIR = Path(env.str("SNAPSHOT_DIR", default=str(VAR_DIR / "snapshot")))

# The pharmacy the search forms give as their example (name, postcode and code): one that exists.
EXAMPLE_PHARMACY = env.str("EXAMPLE_PHARMACY", default="FW844")

STATUS_PAGE = {
    "id": env.str("STATUS_PAGE_ID", default="nhseps"),
    "name": env.str("STATUS_PAGE_NAME", default="NHS Electronic Prescription Service"),
    "time_zone": "Europe/London",
}

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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "statuspage.apps.StatusPageConfig",
    "detection.apps.DetectionConfig",
    "notifications.apps.NotificationsConfig",
    "console.apps.ConsoleConfig",
    "integrations.apps.IntegrationsConfig",
    "demo.apps.DemoConfig",
]

MIDDLEWARE = [
    # First: every log line a request causes carries its id (common/request_ids.py).
    "common.request_ids.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the request: a NUL byte never reaches a query.
    "statuspage.unreadable.RefuseUnreadable",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "statuspage.language.UrlLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "console.security.ConsoleMiddleware",
    "statuspage.security_headers.PublicPagePolicy",
    # Last, as django-axes asks: it turns a lockout into its response.
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "statuspage.context_processors.site",
                "statuspage.language.other_language",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue on busy_timeout instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The role that owns the tables, for migrations only: `manage.py migrate --database owner`. The role
# in DATABASE_URL is then granted what the app needs, and on the audit trail only SELECT and INSERT
# (console/db_roles.py), so the app cannot disable the triggers that keep it append-only.
if env.str("MIGRATION_DATABASE_URL", default=""):
    DATABASES["owner"] = env.db("MIGRATION_DATABASE_URL")
    DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and shared cache ------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # A file cache, not locmem: web, worker and beat are separate processes and must
    # see the same cache version, or a change made by the worker would never show.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # Django's default of 300 is less than one snapshot's pages (each page and its live part,
            # in two languages): culling would drop the page version with them and invalidate every page.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
CACHE_MAX_AGE = env.int("CACHE_MAX_AGE", default=15)

CELERY_BROKER_URL = REDIS_URL or "filesystem://localhost/"
if not REDIS_URL:
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _control_dir = VAR_DIR / "celery" / "control"
    for _d in (_queue_dir, _processed_dir, _control_dir):
        _d.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        # Without this kombu writes its control exchange to ./control, in the source tree.
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Probes ------------------------------------------------------------------
HOLDING_NOTICE_AFTER_SECONDS = env.int("HOLDING_NOTICE_AFTER_SECONDS", default=600)
# A pull broker's health document must arrive whole within this long (a total deadline, not per read).
PULL_TIMEOUT_SECONDS = env.float("PULL_TIMEOUT_SECONDS", default=5.0)
# Pull probes reach the public internet, plus only these networks (CIDRs): a supplier's health
# endpoint on HSCN, say. Loopback on a laptop, for the demo's simulated brokers. Loopback,
# link-local (cloud metadata), NAT64 and 6to4 addresses are refused unless listed here.
PULL_ALLOWED_NETWORKS = env.list("PULL_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"] if DEBUG else [])
# Pull-probe fetches under way at once in one process.
PULL_IN_FLIGHT = env.int("PULL_IN_FLIGHT", default=32)
PROBE_RETENTION_DAYS = env.int("PROBE_RETENTION_DAYS", default=14)
ROLLUP_RETENTION_DAYS = env.int("ROLLUP_RETENTION_DAYS", default=400)

# --- Notifications ------------------------------------------------------------
# Fernet keys for mobile numbers and email addresses at rest, newest first. A laptop gets one
# generated under var/; production must set it (and keep it: without it the data is lost).
_key_file = VAR_DIR / "personal-data.key"
if env.str("PERSONAL_DATA_KEY", default=""):
    PERSONAL_DATA_KEYS = env.list("PERSONAL_DATA_KEY")
elif DEBUG:
    if not _key_file.exists():
        from cryptography.fernet import Fernet

        _key_file.write_bytes(Fernet.generate_key())
        _key_file.chmod(0o600)
    PERSONAL_DATA_KEYS = [_key_file.read_text().strip()]
else:
    raise ImproperlyConfigured(
        "PERSONAL_DATA_KEY must be set when DEBUG is off: python -c "
        "'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    )
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_MESSAGING_SERVICE_SID = env.str("TWILIO_MESSAGING_SERVICE_SID", default="")
TWILIO_FROM = env.str("TWILIO_FROM", default="")
# The number patients text JOIN, STOP or STATUS to, shown on the sign-up page. Your Twilio number by
# default; the demo shows an Ofcom drama number (07700 900000) so the page reads as it will.
SMS_NUMBER = env.str("SMS_NUMBER", default=TWILIO_FROM or ("+447700900000" if DEBUG else ""))
TWILIO_API_BASE_URL = env.str("TWILIO_API_BASE_URL", default="https://api.twilio.com")
# For an account whose webhooks are signed with SharedKeys (HMAC-SHA256) instead of the Auth Token:
# "<key id>=<secret>" pairs, comma-separated; the key id is the one Twilio names in
# X-Twilio-Webhooks-Signature-Settings. Two pairs while a key is rotated.
TWILIO_WEBHOOK_SHARED_KEYS = [
    tuple(pair.split("=", 1)) for pair in env.list("TWILIO_WEBHOOK_SHARED_KEYS", default=[]) if "=" in pair
]
# Texts go through Twilio once it is configured; a laptop without it keeps them in /dev/outbox/.
SMS_BACKEND = env.str("SMS_BACKEND", default="twilio" if TWILIO_ACCOUNT_SID else "outbox")
# The Twilio account's messages per second, held across every worker by one bucket in Redis.
SMS_PER_SECOND = env.float("SMS_PER_SECOND", default=10.0)
# A claimed delivery is handed back after this long if its worker died; a notice whose deliveries
# have not moved for SEND_STALLED_SECONDS has lost its queued tasks and is queued again.
SEND_LEASE_SECONDS = env.int("SEND_LEASE_SECONDS", default=120)
SEND_STALLED_SECONDS = env.int("SEND_STALLED_SECONDS", default=30)
# Provider calls under way at once in one sending process. Twilio takes ~150 ms to accept a text,
# so 200 in flight is up to ~1,300 texts/s a process; the bucket above is what holds the real rate.
SMS_IN_FLIGHT = env.int("SMS_IN_FLIGHT", default=200)
# Each call to Twilio is over within this long, connection, answer and all.
SMS_DEADLINE_SECONDS = env.float("SMS_DEADLINE_SECONDS", default=10.0)
# Emails under way at once in one sending process, each on its own kept-open SMTP connection,
# and how long one message may take before its connection is shut.
EMAIL_IN_FLIGHT = env.int("EMAIL_IN_FLIGHT", default=8)
EMAIL_DEADLINE_SECONDS = env.float("EMAIL_DEADLINE_SECONDS", default=20.0)
# An attempt is a lookup at the provider (for a text that may already have been accepted) and a
# send: a lease shorter than that would hand a slow delivery to a second worker while it is posted.
_worst_attempt = 2 * max(SMS_DEADLINE_SECONDS, EMAIL_DEADLINE_SECONDS)
if SEND_LEASE_SECONDS <= _worst_attempt + 5:
    raise ImproperlyConfigured(
        f"SEND_LEASE_SECONDS ({SEND_LEASE_SECONDS}) must be longer than the worst attempt "
        f"({_worst_attempt:g} s, from SMS_DEADLINE_SECONDS and EMAIL_DEADLINE_SECONDS) plus 5 s."
    )
# Double opt-in and anti-pumping limits (per hour unless named otherwise).
CONFIRMATION_TEXTS_PER_HOUR = env.int("CONFIRMATION_TEXTS_PER_HOUR", default=2000)
# EMAIL_URL expands into Django's EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, ... settings.
globals().update(env.email_url("EMAIL_URL", default="consolemail://"))
# Per SMTP operation; EMAIL_DEADLINE_SECONDS bounds a whole message.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Webhooks to addresses on private networks (127.0.0.1, 10.x, ...) only on a laptop or in tests:
# in production a webhook must never make our servers call inside the network.
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=DEBUG)
# Each webhook post is over within this long, whatever the receiver does; this many are under
# way at once in one process.
WEBHOOK_DEADLINE_SECONDS = env.float("WEBHOOK_DEADLINE_SECONDS", default=10.0)
WEBHOOKS_IN_FLIGHT = env.int("WEBHOOKS_IN_FLIGHT", default=16)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="EPS Status <no-reply@eps-status.invalid>")

# --- Security -----------------------------------------------------------------
# Our own proxies and load balancers (CIDRs). Client addresses come from X-Forwarded-For only as
# far as these wrote it (common/client_address.py); empty, every request is its own client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Prometheus scrapes each node's internal address over plain HTTP, with its token (config/metrics.py).
SECURE_REDIRECT_EXEMPT = [r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

# --- NHS ops console ------------------------------------------------------------
# Staff sign in with a password and a TOTP code. django-axes counts failures of either (by
# username and address together, so nobody can lock a colleague out from elsewhere).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Every password a member chooses (set-up, change): at least 12 characters, not a common password,
# not like their username or email, not all digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env.int("CONSOLE_FAILED_SIGN_INS", default=5)
AXES_COOLOFF_TIME = env.float("CONSOLE_LOCKOUT_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "console/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "common.client_address.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
# django-axes keeps each failed attempt's form: never the password (its default) nor the code.
AXES_SENSITIVE_PARAMETERS = ["code"]
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="EPS Status")
LOGIN_URL = "/console/sign-in/"
# A console session ends after this long without a request, and this long after signing in.
CONSOLE_IDLE_MINUTES = env.int("CONSOLE_IDLE_MINUTES", default=30)
CONSOLE_SESSION_HOURS = env.int("CONSOLE_SESSION_HOURS", default=10)
# A send to more people than this waits for a second publisher.
TWO_PERSON_RULE_RECIPIENTS = env.int("TWO_PERSON_RULE_RECIPIENTS", default=10_000)
# For the preview's cost estimate: what one SMS segment costs, in pounds.
SMS_SEGMENT_PRICE_GBP = env.float("SMS_SEGMENT_PRICE_GBP", default=0.0400)

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en-gb"
# Patient-facing pages and texts in English and Welsh; the reader chooses (statuspage/language.py).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# One JSON object per line in production (for the log shipper), plain lines on a laptop.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "common.json_logs.JsonLines",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
        },
    },
    "filters": {
        "request_id": {"()": "common.request_ids.RequestIdFilter"},
        # Links that are keys never reach a log line (common/log_redaction.py).
        "keyed_links": {"()": "common.log_redaction.RedactKeyedLinks"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "keyed_links"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The library logs every request at INFO: noise at a thousand texts a second.
        "twilio.http_client": {"level": "WARNING"},
        # django-axes announces its configuration at INFO in every process and command.
        "axes": {"level": "WARNING"},
    },
}

# A production node refuses to start on an unsafe setting (config/safety.py says which, and why).
# ACCEPT_UNSAFE_SETTINGS lets a drill on one machine (bench/) run with DEBUG off over plain HTTP;
# `check --deploy` still fails on every one of them.
ACCEPT_UNSAFE_SETTINGS = env.bool("ACCEPT_UNSAFE_SETTINGS", default=False)
if not DEBUG:
    _unsafe = safety.problems(
        secret_key=SECRET_KEY,
        allowed_hosts=ALLOWED_HOSTS,
        site_url=SITE_URL,
        sms_backend=SMS_BACKEND,
        email_backend=globals()["EMAIL_BACKEND"],
        webhooks_allow_private=WEBHOOKS_ALLOW_PRIVATE,
    )
    # The key and the host list are never accepted: there is no drill that needs them unsafe.
    _refused = [m for i, m in _unsafe if not ACCEPT_UNSAFE_SETTINGS or i in ("eps.E001", "eps.E002")]
    if _refused:
        raise ImproperlyConfigured(" ".join(_refused))

# --- Metrics (config/metrics.py) -------------------------------------------------------
# Prometheus scrapes GET /metrics on each node's internal address with "Authorization: Bearer <token>".
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Where every role on this host keeps its counters (deploy/run-role gives each role a folder in it).
METRICS_DIR = env.str("METRICS_DIR", default="")

# The Celery worker pools (config/queues.py), each of which leaves a heartbeat /healthz/pipeline checks.
WORKER_POOLS = list(POOLS)
