"""Settings for the portfolio application, read from environment variables.

With no environment at all the app runs "embedded": SQLite, Celery's filesystem
broker and file-based email, everything under ``var/``. Setting ``DATABASE_URL``
switches to production mode, where the settings listed in
``PRODUCTION_REQUIRED`` must be present or start-up fails with a clear message.
See the configuration table in README.md.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


# -----------------------------------------------------------------------------
# Mode
# -----------------------------------------------------------------------------
PRODUCTION = env("DATABASE_URL") is not None
PRODUCTION_REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL")

if PRODUCTION:
    missing = [name for name in PRODUCTION_REQUIRED if env(name) is None]
    if missing:
        raise ImproperlyConfigured(
            "DATABASE_URL is set, so the app runs in production mode and also needs: "
            + ", ".join(missing)
            + ". Set them in the environment (see the configuration table in README.md)."
        )

VAR_DIR.mkdir(parents=True, exist_ok=True)


def _embedded_secret_key() -> str:
    """Return a per-installation key kept in var/, so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# -----------------------------------------------------------------------------
# Core
# -----------------------------------------------------------------------------
SECRET_KEY = env("SECRET_KEY") or _embedded_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_TZ = True
LANGUAGE_CODE = "en-gb"
USE_I18N = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "django_celery_results",
    "axes",
    "csp",
    "portfolio.core",
    "products",
    "programs",
    "risks",
    "portfolio.reports",
    "portfolio.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before the login check, so a session past its absolute limit is signed out and sent to the login page.
    "portfolio.core.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "portfolio.core.middleware.LoginRequiredMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portfolio.urls"
WSGI_APPLICATION = "portfolio.wsgi.application"
ASGI_APPLICATION = "portfolio.asgi.application"

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
                "portfolio.core.context_processors.navigation",
            ],
        },
    },
]

# -----------------------------------------------------------------------------
# Database
# -----------------------------------------------------------------------------
if PRODUCTION:
    DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL"), conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The pages' queries are many short correlated subqueries whose estimated cost passes PostgreSQL's JIT
        # thresholds: compiling them takes a second or more, running them a few milliseconds.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(VAR_DIR / "portfolio.sqlite3")),
            # Web, worker and beat share the file: wait for locks instead of failing.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# -----------------------------------------------------------------------------
# Auth
# -----------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and client address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "portfolio.core.backends.AuthenticationBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Asked by the password forms (change, admin), not by create_user: demo and test passwords are not checked.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request (every request moves the expiry on),
# and SESSION_ABSOLUTE_TIMEOUT seconds after signing in whatever the activity
# (portfolio.core.middleware.SessionTimeoutMiddleware). The same in embedded and production mode.
SESSION_IDLE_TIMEOUT = int(env("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_ABSOLUTE_TIMEOUT = int(env("SESSION_ABSOLUTE_TIMEOUT", str(12 * 60 * 60)))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_SAVE_EVERY_REQUEST = True

# Sign-in lockout (django-axes, attempts in the database): LOGIN_FAILURE_LIMIT failed attempts for one
# username from one client address lock that pair out for LOGIN_LOCKOUT_MINUTES, on the login pages
# (admin too) and at POST /api/v1/auth/token/. A failed attempt during the lockout starts the cool-off
# again, so "try again in N minutes" is always true; a successful sign-in clears the count.
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_CALLABLE = "portfolio.core.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# The client address is REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the address the
# outermost of them saw (X-Forwarded-For); never what the client itself wrote into that header.
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "portfolio.core.lockout.client_address"

# -----------------------------------------------------------------------------
# Static files (served by WhiteNoise, never from another host)
# -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Embedded mode serves straight from the source folders, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = VAR_DIR / "media"

# -----------------------------------------------------------------------------
# Cache
# -----------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# -----------------------------------------------------------------------------
# Feedback import (CSV)
# -----------------------------------------------------------------------------
# A larger file, or one with more data rows, is refused whole before its rows are checked.
FEEDBACK_IMPORT_MAX_BYTES = int(env("FEEDBACK_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
FEEDBACK_IMPORT_MAX_ROWS = int(env("FEEDBACK_IMPORT_MAX_ROWS", "5000"))
# An uploaded file waits this long in the cache (Redis when REDIS_URL is set, so any web process finds it)
# between its preview and the "Import" button; after that it is uploaded again.
FEEDBACK_IMPORT_PREVIEW_SECONDS = int(env("FEEDBACK_IMPORT_PREVIEW_SECONDS", str(60 * 60)))

# -----------------------------------------------------------------------------
# Celery
# -----------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery" / "broker"
    _processed_dir = VAR_DIR / "celery" / "processed"
    # kombu's control (broadcast) exchange defaults to a folder relative to the working directory.
    _control_dir = VAR_DIR / "celery" / "control"
    # kombu does not create these folders itself.
    for _folder in (_broker_dir, _processed_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
else:
    # A task not acknowledged within this time goes to another worker (acks_late): keep it well above the
    # longest task, whose hard limit is REPORT_TASK_TIME_LIMIT below.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "portfolio")
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "portfolio.core.tasks.clear_expired_sessions",
        "schedule": 6 * 60 * 60,
    },
    # The one entry for stakeholder reports: who gets what and when lives in ReportSubscription.
    "plan-stakeholder-reports": {
        "task": "portfolio.reports.tasks.plan_reports",
        "schedule": 5 * 60,
    },
}

# -----------------------------------------------------------------------------
# Email
# -----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Portfolio <portfolio@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_URL"):
    vars().update(dj_email_url.parse(env("EMAIL_URL")))
elif env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
    EMAIL_FILE_PATH.mkdir(parents=True, exist_ok=True)
EMAIL_TIMEOUT = 30

# -----------------------------------------------------------------------------
# Stakeholder reports
# -----------------------------------------------------------------------------
# The address links in emails point to (no request to read it from when a worker sends).
SITE_URL = (env("SITE_URL", "http://localhost:8000") or "").rstrip("/")
REPORTS_MESSAGE_ID_DOMAIN = env("REPORTS_MESSAGE_ID_DOMAIN", "portfolio.localhost")
REPORT_MAX_ATTEMPTS = int(env("REPORT_MAX_ATTEMPTS", "5"))
# SMTP failures retry after base × 2^(attempt − 1) seconds, ± 25 % jitter.
REPORT_RETRY_BASE_SECONDS = float(env("REPORT_RETRY_BASE_SECONDS", "60"))
# A delivery left "sending" longer than this (its worker died) is taken back by the sweeper or the next try.
REPORT_CLAIM_TIMEOUT_SECONDS = int(env("REPORT_CLAIM_TIMEOUT_SECONDS", str(10 * 60)))
# Well under the broker's visibility timeout, so a stuck task is killed before the broker hands it out again.
REPORT_TASK_TIME_LIMIT = int(env("REPORT_TASK_TIME_LIMIT", str(5 * 60)))

# -----------------------------------------------------------------------------
# REST API
# -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous request is answered 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "portfolio.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "portfolio.core.api.filters.StableOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "portfolio.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "portfolio.core.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth": env("AUTH_THROTTLE_RATE", "20/minute")},
    # The throttle's client address, as the lockout's: left unset, DRF would take the whole
    # X-Forwarded-For header, which a client changes at will to get a fresh allowance.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Portfolio API",
    "DESCRIPTION": (
        "Products, roadmaps, programs, projects, resources and risks.\n\n"
        "Authenticate with `Authorization: Token <key>` (POST /api/v1/auth/token/) or a session. "
        "Every list is paginated (`page` from 1, `page_size` from 1 to 200), filtered and ordered "
        '(`ordering=field,-other`). Every error answers `{"detail": "...", "errors": {"field": ["..."]}}`: '
        "400 for invalid input (an unknown filter value, id, ordering field or page size is refused, never ignored), "
        "401/403 for authentication and permissions, 404 for an unknown id or a page past the last, "
        "409 for a stale version, 413 for a body over the upload limit, 415 for an unsupported content type, "
        "429 when throttled."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    # No "online validator" badge: on any host but localhost Swagger UI would load it from
    # validator.swagger.io (another host, refused by the CSP) and tell that host the schema's address.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RAGEnum": "programs.models.RAG",
        "FeatureStatusEnum": "products.models.Feature.Status",
        "InsightKindEnum": "products.models.MarketInsight.Kind",
        "ReleaseStatusEnum": "products.models.Release.Status",
        "FeedbackStatusEnum": "products.models.Feedback.Status",
        "SeverityEnum": "portfolio.core.scales.Severity",
        "DependencyKindEnum": "programs.models.Dependency.Kind",
        "CostEntryCategoryEnum": "programs.models.CostEntry.Category",
        "ProjectStatusEnum": "programs.models.Project.Status",
        "ObjectiveStatusEnum": "portfolio.core.models.StrategicObjective.Status",
        "ProgramStatusEnum": "programs.models.Program.Status",
        "RiskKindEnum": "risks.models.Risk.Kind",
        "RiskCategoryEnum": "risks.models.Risk.Category",
        "RiskStatusEnum": "risks.models.Risk.Status",
        "RiskEditableStatusEnum": "risks.services.EDITABLE_STATUS_CHOICES",
    },
}

# -----------------------------------------------------------------------------
# Security headers (every mode) and HTTPS (production)
# -----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Everything is served by the app itself: no inline script, style or event handler anywhere
# (templates load theirs from static/), so nothing needs 'unsafe-inline' or a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # On by default, so `check --deploy` is clean with nothing silenced. The header only makes a domain
    # eligible: it joins the browsers' preload list when its owner submits it at hstspreload.org, which
    # is hard to undo. Set SECURE_HSTS_PRELOAD=false for a domain that must never be preloaded
    # (check --deploy then warns security.W021, on purpose).
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # /healthz is probed over plain HTTP by load balancers and compose.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Failed sign-ins and lockouts are warnings; axes' per-request bookkeeping is INFO noise.
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every layout step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
